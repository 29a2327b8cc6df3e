/**
 * The split-K plan of a decode call (pure): the keys any query row may see,
 * [start, start + splits·keysPerSplit), cut into `splits` ranges. Keys before the first
 * row's window and past the last row's causal or window bound get no split at all.
 */
import { attentionKeyRange, type AttentionProblem } from '../../problem/attention';

export interface SplitPlan {
  /** The first key of split 0. */
  start: number;
  /** Key ranges (≥ 1, so every row gets a partial, possibly empty). */
  splits: number;
  keysPerSplit: number;
}

/** The split plan for `p` with `keysPerSplit` keys per split. */
export function splitPlan(
  p: Pick<AttentionProblem, 'Nq' | 'Nk' | 'causal' | 'windowLeft' | 'windowRight'>,
  keysPerSplit: number,
): SplitPlan {
  if (p.Nq === 0 || p.Nk === 0) return { start: 0, splits: 1, keysPerSplit };
  // Row 0 starts first and row Nq − 1 ends last (both bounds grow with the row).
  const [start] = attentionKeyRange(p, 0);
  const [, end] = attentionKeyRange(p, p.Nq - 1);
  return { start, splits: Math.max(1, Math.ceil(Math.max(0, end - start) / keysPerSplit)), keysPerSplit };
}
