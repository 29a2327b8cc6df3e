/**
 * The roofline probes' arithmetic, pure (no GPU): how an FMA probe call splits its
 * rounds into loop trips, and the closed form of its output, which the probe check
 * (probe-check.ts) compares against.
 */
import { InvalidArgumentError } from '../problem/errors';
import { FMA_CHAINS_PER_ROUND } from './flops';

/**
 * Loop trips of an FMA probe call: `rounds` counts rounds of 8 vec4 multiply-adds
 * (`FMA_FLOPS_PER_ITERATION` FLOPs), so every configuration does the same work; a
 * configuration of C chains runs rounds · 8 / C trips.
 * @throws InvalidArgumentError when that is not a whole number.
 */
export function fmaTrips(op: string, rounds: number, chains: number): number {
  const trips = (rounds * FMA_CHAINS_PER_ROUND) / chains;
  if (!Number.isInteger(trips)) throw new InvalidArgumentError(op, 'iterations', rounds, `a multiple of ${chains / FMA_CHAINS_PER_ROUND}`);
  return trips;
}

const M = Math.fround(0.9999);
const C = Math.fround(0.0001);

/**
 * Lane `lane` of invocation `i`'s output after `trips` loop trips with `chains`
 * chains, in float64: chain k starts at x₀ = s + lane/10 + k/100 (s = (i mod 1024)·10⁻⁴)
 * and x ↦ x·m + c gives x_n = L + (x₀ − L)·mⁿ with L = c / (1 − m); the output is the sum
 * over the chains.
 */
export function fmaExpected(i: number, lane: number, chains: number, trips: number): number {
  const limit = C / (1 - M);
  const s = Math.fround((i & 1023) * Math.fround(1e-4));
  const decay = M ** trips;
  let sum = 0;
  for (let k = 0; k < chains; k++) sum += limit + (s + lane / 10 + k / 100 - limit) * decay;
  return sum;
}

/**
 * Largest |got − expected| over an FMA probe output, and the tolerance: f32 rounding
 * contracts (|m| < 1), so each chain stays within about 2ⁿ·ulp(1) of its closed form,
 * far below the change that a missing or extra loop trip makes at the check size.
 */
export function fmaOutputError(out: Float32Array, chains: number, trips: number): { maxAbsErr: number; tolerance: number } {
  let maxAbsErr = 0;
  for (let j = 0; j < out.length; j++) {
    const e = Math.abs(out[j]! - fmaExpected(Math.floor(j / 4), j % 4, chains, trips));
    maxAbsErr = Number.isNaN(e) ? Infinity : Math.max(maxAbsErr, e);
  }
  return { maxAbsErr, tolerance: 1e-3 * chains };
}
