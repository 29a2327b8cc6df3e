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
import { launch } from '../../gpu/launch';
import { Tensor } from '../../gpu/tensor';
import { matmul } from '../matmul';
import { softmaxRows } from '../softmax';
import { WINDOW_UNBOUNDED, type AttentionProblem } from '../../problem/attention';
import { NAIVE_SCORES_KERNEL } from './specs';

/** A tensor with a new shape of the same size: a device copy (Tensor has no views). */
export function reshapeTensor(gpu: Gpu, op: string, t: Tensor, shape: readonly number[]): Promise<Tensor> {
  return launch(gpu, op, async (scope) => {
    const out = scope.output(shape, 'reshape');
    if (out.size > 0) await gpu.submit(op, (e) => e.copyBufferToBuffer(t.buffer, 0, out.buffer, 0, out.size * 4));
    return out;
  });
}

const SCORES_WG = 64;

/** Softcap, ALiBi and the window on the scores [B·H·Nq, Nk], in place; nothing when none is on. */
async function scoreVariants(gpu: Gpu, op: string, p: AttentionProblem, s: Tensor): Promise<void> {
  const window = p.windowLeft !== null || p.windowRight !== null;
  if (!window && p.alibiSlopes === null && p.softcap === 0) return;
  if (s.size === 0) return;
  await launch(gpu, op, async (scope) => {
    const slopes = scope.upload('slopes', Float32Array.from(p.alibiSlopes ?? [0])); // [H] (a placeholder without ALiBi)
    const params = {
      count: s.size,
      nq: p.Nq,
      nk: p.Nk,
      heads: p.H,
      causalOffset: p.causalOffset,
      winLeft: Math.min(p.windowLeft ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED),
      winRight: Math.min(p.windowRight ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED),
      softcap: p.softcap,
    };
    const constants = { WG: SCORES_WG, WINDOW: Number(window), ALIBI: Number(p.alibiSlopes !== null), SOFTCAP: Number(p.softcap > 0) };
    await scope.run(NAIVE_SCORES_KERNEL, constants, { params, slopes, s }, Math.ceil(s.size / (4 * SCORES_WG)));
  });
}

/** Inputs already validated (`resolveAttention`) and on the device. */
export function naiveAttention(
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
  return launch(gpu, op, async (scope) => {
    // [B·Hkv, n, dim]: the caller's tensor when it already has that shape, else a copy this call owns.
    const as3 = async (t: Tensor, n: number, dim: number) =>
      t.shape.length === 3 && t.shape[0] === BKV && t.shape[1] === n ? t : scope.own(await reshapeTensor(gpu, op, t, [BKV, n, dim]));
    const q3 = await as3(q, p.group * p.Nq, p.d);
    const k3 = await as3(k, p.Nk, p.d);
    const v3 = await as3(v, p.Nk, p.dv);
    let keep = mask;
    if (!keep && p.keyLengths.some((n) => n < p.Nk)) {
      const data = new Float32Array(p.B * p.Nk);
      p.keyLengths.forEach((n, b) => data.fill(1, b * p.Nk, b * p.Nk + n));
      keep = scope.own(Tensor.fromData(gpu, data, [p.B, p.Nk], `${op}:keep`));
    }
    const s = scope.own(await matmul(gpu, q3, k3, { transposeB: true, alpha: p.scale })); // [B·Hkv, G·Nq, Nk]
    await scoreVariants(gpu, op, p, s);
    const probs = scope.own(
      await softmaxRows(gpu, op, s, [BKV, p.group * p.Nq, p.Nk], BH * p.Nq, p.Nk, bias, p.biasRows, false, {
        causal: p.causal,
        causalOffset: p.causalOffset,
        nq: p.Nq,
        keep,
        rowsPerBatch: p.H * p.Nq,
      }),
    );
    s.destroy(); // free the scores before the second matmul allocates (peak memory: S or P, and O)
    const o3 = await matmul(gpu, probs, v3); // [B·Hkv, G·Nq, dv]
    probs.destroy();
    if (o3.shape.length === p.outShape.length && o3.shape.every((n, i) => n === p.outShape[i])) return o3;
    scope.own(o3);
    return reshapeTensor(gpu, op, o3, p.outShape);
  });
}
