/**
 * Statistics for benchmark samples: median, min, max and a bootstrap 95%
 * confidence interval of the median. The resampler is seeded (mulberry32), so the
 * same samples and seed always give the same interval.
 */
import { mulberry32 } from '../reference/random';

/** Summary of one case's repeated timings, in milliseconds. */
export interface SampleSummary {
  /** Number of timed repeats. */
  n: number;
  median: number;
  min: number;
  max: number;
  /** Bootstrap 95% confidence interval of the median: [low, high]. */
  ciLow: number;
  ciHigh: number;
}

/** The values sorted ascending (a copy). Throws on an empty or non-finite input. */
export function sortedCopy(values: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('stats: no samples');
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`stats: non-finite sample ${v}`);
  return [...values].sort((a, b) => a - b);
}

/** Median of values already sorted ascending (mean of the middle two for an even count). */
export function medianSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('stats: no samples');
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return medianSorted(sortedCopy(values));
}

/**
 * The `p` quantile (0 ≤ p ≤ 1) of sorted values, by linear interpolation between
 * order statistics (Hyndman–Fan type 7, the default of R and NumPy).
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('stats: no samples');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`stats: quantile p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface BootstrapOptions {
  /** Number of resamples; default 2000. */
  resamples?: number;
  /** Confidence level; default 0.95. */
  level?: number;
  /** Seed of the resampler; default 1. */
  seed?: number;
}

/**
 * Percentile-bootstrap confidence interval of the median: draw `resamples` samples
 * of the same size with replacement, take each one's median, and return the
 * (1−level)/2 and (1+level)/2 quantiles of those medians.
 */
export function bootstrapMedianCI(values: readonly number[], options: BootstrapOptions = {}): [number, number] {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`stats: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`stats: level must be in (0, 1), got ${level}`);
  if (n === 1) return [sorted[0]!, sorted[0]!];
  const rng = mulberry32(options.seed ?? 1);
  const medians = new Float64Array(resamples);
  const draw = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) draw[i] = sorted[Math.floor(rng() * n)]!;
    draw.sort();
    const mid = n >> 1;
    medians[r] = n % 2 === 1 ? draw[mid]! : (draw[mid - 1]! + draw[mid]!) / 2;
  }
  medians.sort();
  const m = Array.from(medians);
  return [quantileSorted(m, (1 - level) / 2), quantileSorted(m, (1 + level) / 2)];
}

/** Median, min, max and the bootstrap CI of the median. */
export function summarize(values: readonly number[], options: BootstrapOptions = {}): SampleSummary {
  const sorted = sortedCopy(values);
  const [ciLow, ciHigh] = bootstrapMedianCI(sorted, options);
  return { n: sorted.length, median: medianSorted(sorted), min: sorted[0]!, max: sorted[sorted.length - 1]!, ciLow, ciHigh };
}

/**
 * Fewest repeats for which the report shows the bootstrap CI of the median. With
 * n ≤ 5 the 95 % percentile interval is exactly [min, max] (a resample's median is the
 * smallest value with probability 7/27 for n = 3, 181/3125 for n = 5, both above
 * 2.5 %), and it stays close to the range for a few more; below this, tables show
 * "min–max" and say so.
 */
export const CI_MIN_REPEATS = 10;

/** The spread to show for a summary: its 95 % CI of the median from CI_MIN_REPEATS repeats, else its range. */
export function spreadOf(s: SampleSummary): { kind: '95% CI' | 'min–max'; low: number; high: number } {
  return s.n >= CI_MIN_REPEATS ? { kind: '95% CI', low: s.ciLow, high: s.ciHigh } : { kind: 'min–max', low: s.min, high: s.max };
}

/** Greatest common divisor of non-negative integers (0 for none). */
export function gcdAll(values: readonly number[]): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let g = 0;
  for (const v of values) g = gcd(g, Math.abs(Math.round(v)));
  return g;
}
