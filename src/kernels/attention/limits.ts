/**
 * The device limits an attention call must fit, checked on the CPU before anything is
 * uploaded or allocated: every storage buffer a variant creates (the output, the key
 * info, the naive path's score matrices and keep mask, the linear path's features,
 * weights and prefix states) against the device's storage buffer limit, and the linear
 * path's one-workgroup-per-batch dispatch against the workgroup limit.
 */
import { LimitExceededError } from '../../problem/errors';
import { assertStorageElements, type BufferLimits } from '../../problem/limits';
import type { AttentionProblem } from '../../problem/attention';
import { LINEAR_CHUNK } from './specs';

/** The device limits the check reads (a subset of `GPUSupportedLimits`). */
export interface AttentionLimits extends BufferLimits {
  readonly maxComputeWorkgroupsPerDimension: number;
}

/**
 * Every storage buffer `attention` creates for `p` beyond its inputs, as
 * `[description, f32 elements]`. Flash and linear allocate nothing past the (empty)
 * output when the output is empty; the naive path always builds its keep mask.
 * `splits` > 0: flash runs split-K with that many key ranges (its partials buffer).
 */
export function attentionBuffers(p: AttentionProblem, splits = 0): [string, number][] {
  const { B, H, Nq, Nk, d, dv } = p;
  const BH = B * H;
  const out: [string, number][] = [[`the output [${p.outShape.join(', ')}]`, BH * Nq * dv]];
  const masked = p.hasKeyPaddingMask || p.keyLengths.some((n) => n < Nk);
  if (p.variant === 'naive') {
    out.push([`the scores and weights [${BH}, ${Nq}, ${Nk}]`, BH * Nq * Nk]);
    if (masked) out.push([`the keep mask [${B}, ${Nk}]`, B * Nk]);
    return out;
  }
  if (BH * Nq * dv === 0) return out;
  const slopes = p.alibiSlopes?.length ?? 0;
  out.push([`the key info [${B} + ${B}·${Nk} + ${slopes}]`, B + (p.hasKeyPaddingMask ? B * Nk : 0) + slopes]);
  if (splits > 0) out.push([`the split-K partials [${BH}·${Nq}, ${splits}, 2 + ${dv}]`, BH * Nq * splits * (dv + 2) + 4]);
  if (p.variant === 'linear') {
    const chunks = Math.max(1, Math.ceil(Nk / LINEAR_CHUNK));
    out.push(
      [`the key weights [${B}, ${Nk}]`, B * Nk],
      [`the query features [${BH}, ${Nq}, ${d}]`, BH * Nq * d],
      [`the key features [${B * p.Hkv}, ${Nk}, ${d}]`, B * p.Hkv * Nk * d],
      [`the prefix states [${B * p.Hkv}, ${chunks}, ${d}, ${dv + 1}]`, B * p.Hkv * chunks * d * (dv + 1)],
    );
  }
  return out;
}

/**
 * Throws `LimitExceededError` when a buffer of `attentionBuffers(p)` passes the device's
 * storage buffer limit, or (linear) the batch passes `maxComputeWorkgroupsPerDimension`.
 */
export function checkAttentionLimits(op: string, limits: AttentionLimits, p: AttentionProblem, splits = 0): void {
  for (const [what, elements] of attentionBuffers(p, splits)) assertStorageElements(op, limits, what, elements);
  const perDim = limits.maxComputeWorkgroupsPerDimension;
  if (p.variant === 'linear' && p.B * p.H * p.Nq * p.dv > 0 && p.Nk > 0 && p.B > perDim) {
    throw new LimitExceededError(op, 'maxComputeWorkgroupsPerDimension', p.B, perDim, "linear attention's per-batch key weights");
  }
}
