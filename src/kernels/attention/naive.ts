/**
 * Naive attention, the textbook way, materializing the Nq×Nk matrices:
 *
 *   S = scale·Q·Kᵀ          matmul (transposeB, alpha = scale)      [B·Hkv, G·Nq, Nk]
 *   S = variants(S)         softcap, ALiBi, sliding window (naive_scores.wgsl), in place
 *   P = softmax(S + bias)   with the causal / padding masks          [B·H, Nq, Nk]
 *   O = P·V                 matmul                                    [B·Hkv, G·Nq, dv]
 *
 * Grouped-query attention without copying K/V per query head: the G = Hq/Hkv query heads
 * of one K/V head are consecutive, so q [B, Hq, Nq, d] is q [B·Hkv, G·Nq, d] read
 * differently, and one batched matmul per K/V head serves all G of them. The scores
 * [B·Hkv, G·Nq, Nk] are [B, Hq, Nq, Nk] in memory, and the output likewise.
 *
 * Peak memory holds S and P at once: 2·B·H·Nq·Nk floats. That is the bottleneck
 * the flash kernel removes.
 */
import type { Gpu } from '../../gpu/device';
import { Tensor } from '../../gpu/tensor';
import { packScalars } from '../../gpu/uniforms';
import { matmul } from '../matmul';
import { softmaxRows } from '../softmax';
import { WINDOW_UNBOUNDED, type AttentionProblem } from '../../problem/attention';
import { NAIVE_SCORES_KERNEL } from './specs';

/** A tensor with a new shape of the same size: a device copy (Tensor has no views). */
export async function reshapeTensor(gpu: Gpu, op: string, t: Tensor, shape: readonly number[]): Promise<Tensor> {
  const out = Tensor.zeros(gpu, shape, `${op}:reshape`);
  if (out.size === 0) return out;
  try {
    await gpu.submit(op, (e) => e.copyBufferToBuffer(t.buffer, 0, out.buffer, 0, out.size * 4));
    return out;
  } catch (e) {
    out.destroy();
    throw e;
  }
}

const SCORES_WG = 64;

/** Softcap, ALiBi and the window on the scores [B·H·Nq, Nk], in place; nothing when none is on. */
async function scoreVariants(gpu: Gpu, op: string, p: AttentionProblem, s: Tensor): Promise<void> {
  const window = p.windowLeft !== null || p.windowRight !== null;
  if (!window && p.alibiSlopes === null && p.softcap === 0) return;
  if (s.size === 0) return;
  const temporaries: GPUBuffer[] = [];
  try {
    const pipeline = await gpu.pipeline(NAIVE_SCORES_KERNEL, {
      WG: SCORES_WG,
      WINDOW: Number(window),
      ALIBI: Number(p.alibiSlopes !== null),
      SOFTCAP: Number(p.softcap > 0),
    });
    const params = gpu.uniformBuffer(
      `${op}:scores-params`,
      packScalars([
        ['u32', s.size],
        ['u32', p.Nq],
        ['u32', p.Nk],
        ['u32', p.H],
        ['i32', p.causalOffset],
        ['i32', Math.min(p.windowLeft ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED)],
        ['i32', Math.min(p.windowRight ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED)],
        ['f32', p.softcap],
      ]),
    );
    temporaries.push(params);
    const slopes = gpu.createBuffer(`${op}:slopes`, Math.max(1, p.H) * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    temporaries.push(slopes);
    if (p.alibiSlopes) gpu.device.queue.writeBuffer(slopes, 0, Float32Array.from(p.alibiSlopes));
    await gpu.submit(
      op,
      (e) => gpu.encodeKernel(e, op, NAIVE_SCORES_KERNEL, pipeline, { params, slopes, s: s.buffer }, Math.ceil(s.size / (4 * SCORES_WG))),
      temporaries,
    );
  } catch (e) {
    for (const t of temporaries) gpu.release(t);
    throw e;
  }
}

/** Inputs already validated (`resolveAttention`) and on the device. */
export async function naiveAttention(
  gpu: Gpu,
  op: string,
  p: AttentionProblem,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor | null,
  bias: Tensor | null,
): Promise<Tensor> {
  const BH = p.B * p.H;
  const BKV = p.B * p.Hkv;
  const temps: Tensor[] = [];
  const as3 = async (t: Tensor, n: number, dim: number) => {
    if (t.shape.length === 3 && t.shape[0] === BKV && t.shape[1] === n) return t;
    const r = await reshapeTensor(gpu, op, t, [BKV, n, dim]);
    temps.push(r);
    return r;
  };
  try {
    const q3 = await as3(q, p.group * p.Nq, p.d);
    const k3 = await as3(k, p.Nk, p.d);
    const v3 = await as3(v, p.Nk, p.dv);
    let keep = mask;
    if (!keep && p.keyLengths.some((n) => n < p.Nk)) {
      const data = new Float32Array(p.B * p.Nk);
      p.keyLengths.forEach((n, b) => data.fill(1, b * p.Nk, b * p.Nk + n));
      keep = Tensor.fromData(gpu, data, [p.B, p.Nk], `${op}:keep`);
      temps.push(keep);
    }
    const s = await matmul(gpu, q3, k3, { transposeB: true, alpha: p.scale });
    temps.push(s);
    await scoreVariants(gpu, op, p, s);
    const probs = await softmaxRows(gpu, op, s, [BKV, p.group * p.Nq, p.Nk], BH * p.Nq, p.Nk, bias, p.biasRows, false, {
      causal: p.causal,
      causalOffset: p.causalOffset,
      nq: p.Nq,
      keep,
      rowsPerBatch: p.H * p.Nq,
    });
    temps.push(probs);
    s.destroy();
    const o3 = await matmul(gpu, probs, v3);
    probs.destroy();
    if (o3.shape.length === p.outShape.length && o3.shape.every((n, i) => n === p.outShape[i])) return o3;
    temps.push(o3);
    return await reshapeTensor(gpu, op, o3, p.outShape);
  } finally {
    for (const t of temps) if (t !== q && t !== k && t !== v) t.destroy();
  }
}
