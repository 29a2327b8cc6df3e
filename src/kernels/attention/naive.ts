/**
 * Naive attention, the textbook way, materializing the Nq×Nk matrices:
 *
 *   S = scale·Q·Kᵀ          matmul (transposeB, alpha = scale)      [B·H, Nq, Nk]
 *   P = softmax(S + bias)   with the causal / padding masks          [B·H, Nq, Nk]
 *   O = P·V                 matmul                                    [B·H, Nq, dv]
 *
 * Peak memory holds S and P at once: 2·B·H·Nq·Nk floats. That is the bottleneck
 * the flash kernel removes.
 */
import type { Gpu } from '../../gpu/device';
import { Tensor } from '../../gpu/tensor';
import { matmul } from '../matmul';
import { softmaxRows } from '../softmax';
import type { AttentionProblem } from '../../problem/attention';

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
  const temps: Tensor[] = [];
  const as3 = async (t: Tensor, n: number, dim: number) => {
    if (t.shape.length === 3 && t.shape[0] === BH) return t;
    const r = await reshapeTensor(gpu, op, t, [BH, n, dim]);
    temps.push(r);
    return r;
  };
  try {
    const q3 = await as3(q, p.Nq, p.d);
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
    const probs = await softmaxRows(gpu, op, s, [BH, p.Nq, p.Nk], BH * p.Nq, p.Nk, bias, p.biasRows, false, {
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
