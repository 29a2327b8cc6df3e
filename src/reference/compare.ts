/**
 * Comparing a result against a float64 oracle, with the project's tolerance rule
 * (see docs/TESTING.md):
 *
 *   maxAbsErr(gpu, oracle) <= 2 · maxAbsErr(f32Baseline, oracle) + atol
 *
 * Non-finite values match only themselves: NaN only NaN, +Inf only +Inf, −Inf only −Inf.
 */

export interface ErrorStats {
  /** Largest |x − oracle| over the finite pairs. */
  maxAbsErr: number;
  /** Index of that largest error (−1 if none). */
  worstIndex: number;
  /** Indices where the non-finite pattern differs (a NaN against a number, +Inf against −Inf…). */
  nonFiniteMismatches: number[];
}

type Values = ArrayLike<number>;

/** Element-wise max absolute error, with non-finite values compared by identity. */
export function maxAbsError(actual: Values, oracle: Values): ErrorStats {
  if (actual.length !== oracle.length) {
    throw new RangeError(`maxAbsError: lengths differ (${actual.length} vs ${oracle.length})`);
  }
  let maxAbsErr = 0;
  let worstIndex = -1;
  const nonFiniteMismatches: number[] = [];
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const o = oracle[i]!;
    if (Number.isFinite(a) && Number.isFinite(o)) {
      const e = Math.abs(a - o);
      if (e > maxAbsErr) {
        maxAbsErr = e;
        worstIndex = i;
      }
    } else if (!(Object.is(a, o) || (Number.isNaN(a) && Number.isNaN(o)))) {
      nonFiniteMismatches.push(i);
    }
  }
  return { maxAbsErr, worstIndex, nonFiniteMismatches };
}

export interface ToleranceVerdict {
  ok: boolean;
  /** Error of the result under test. */
  err: number;
  /** Error of the f32 baseline. */
  baselineErr: number;
  /** The bound `2·baselineErr + atol`. */
  bound: number;
  /** `err / bound`: how much of the allowance was used (≤ 1 passes). */
  ratio: number;
  worstIndex: number;
  nonFiniteMismatches: number[];
}

/** Applies the tolerance rule: result vs oracle, allowed twice the f32 baseline's error plus `atol`. */
export function checkTolerance(actual: Values, oracle: Values, f32Baseline: Values, atol = 1e-6): ToleranceVerdict {
  const a = maxAbsError(actual, oracle);
  const b = maxAbsError(f32Baseline, oracle);
  const bound = 2 * b.maxAbsErr + atol;
  return {
    ok: a.maxAbsErr <= bound && a.nonFiniteMismatches.length === 0,
    err: a.maxAbsErr,
    baselineErr: b.maxAbsErr,
    bound,
    ratio: a.maxAbsErr / bound,
    worstIndex: a.worstIndex,
    nonFiniteMismatches: a.nonFiniteMismatches,
  };
}
