/**
 * The tuner's decision, pure: given each candidate's correctness and timings, which
 * one wins. Deterministic for given timings: the lowest median; ties (within the
 * timer's resolution) go to the earlier candidate, so the shipped order breaks them.
 */

/** One candidate's outcome on the tuning case. */
export interface CandidateResult<C> {
  config: C;
  /** Whether it matched the reference on the check case (a failing candidate never wins). */
  correct: boolean;
  /** Timed runs in ms (after warm-up). Empty when the candidate failed to run. */
  times: number[];
  /** Why it was dropped, when it was. */
  reason?: string;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The index of the winning candidate, or −1 if none is correct with timings.
 * `resolutionMs`: medians closer than this are a tie (the earlier candidate wins).
 */
export function pickFastest<C>(results: readonly CandidateResult<C>[], resolutionMs = 0): number {
  let best = -1;
  let bestMs = Infinity;
  results.forEach((r, i) => {
    if (!r.correct || r.times.length === 0) return;
    const ms = median(r.times);
    if (ms < bestMs - resolutionMs) {
      best = i;
      bestMs = ms;
    }
  });
  return best;
}
