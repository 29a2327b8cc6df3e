/**
 * Dispatch folding. A dispatch may have at most `maxComputeWorkgroupsPerDimension`
 * (65,535 by default) workgroups per axis. Kernels therefore think in a *linear*
 * workgroup index and we fold it into x·y:
 *
 *   linear = wid.x + wid.y * num_workgroups.x      (WGSL side)
 *
 * Workgroups with `linear >= total` exit at once (the last row may be partial).
 */
import { LimitExceededError } from '../problem/errors';

/** Folds `total` workgroups into `[x, y, 1]` with x, y <= `maxPerDim`. */
export function foldWorkgroups(total: number, maxPerDim: number, op = 'dispatch'): [number, number, number] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`${op}: workgroup count must be a non-negative integer, got ${total}`);
  if (total === 0) return [0, 1, 1];
  const x = Math.min(total, maxPerDim);
  const y = Math.ceil(total / x);
  if (y > maxPerDim) {
    throw new LimitExceededError(op, 'workgroups', total, maxPerDim * maxPerDim, `folded into ${x}×${y}`);
  }
  return [x, y, 1];
}
