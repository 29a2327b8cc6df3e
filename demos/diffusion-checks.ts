/**
 * The diffusion page's numerical checks, float64 on the CPU with the project's own
 * schedule, coefficient and denoiser functions:
 *
 * - `scheduleFacts`: the counts and log-SNR steps the schedule comparison quotes;
 * - `ddimEtaOneCheck`: DDIM with η = 1 against DDPM's posterior step (variance β̃ and
 *   mean), on the full schedule or on a respaced sub-sequence;
 * - `tweedieCheck`: the score of the noised training set by central differences,
 *   against Tweedie's formula with the exact (MMSE) denoiser.
 */
import { respace, timestepSubsequence, type Schedule } from '../src/problem/ddpm-schedule';
import { ddimCoefficients, ddpmCoefficients } from '../src/problem/ddpm-coefficients';
import { optimalDenoiserRef } from '../src/reference/ddpm';

/** What the schedule comparison says about one schedule. */
export interface ScheduleFacts {
  /** Steps with ᾱ_t < 10⁻²: x_t is more than 99 % noise by variance. */
  nearNoise: number;
  /** Steps with 0.1 ≤ ᾱ_t ≤ 0.9. */
  middle: number;
  /** log SNR_{t} − log SNR_{t+1} at the first step, at t = ⌊T/2⌋, and at the last step. */
  firstDrop: number;
  midDrop: number;
  lastDrop: number;
}

const logSnr = (s: Schedule, t: number) => Math.log(s.snr[t]!);

/** The counts and log-SNR steps of `s` that the page quotes. */
export function scheduleFacts(s: Schedule): ScheduleFacts {
  const a = Array.from(s.alphaBar);
  const mid = Math.floor(s.T / 2);
  return {
    nearNoise: a.filter((x) => x < 1e-2).length,
    middle: a.filter((x) => x >= 0.1 && x <= 0.9).length,
    firstDrop: logSnr(s, 0) - logSnr(s, 1),
    midDrop: logSnr(s, mid) - logSnr(s, mid + 1),
    lastDrop: logSnr(s, s.T - 2) - logSnr(s, s.T - 1),
  };
}

/** One step of the η = 1 comparison. */
export interface EtaOneRow {
  /** Index in the sub-sequence, and the timesteps t → t′ (t′ = −1: the last step, to ᾱ = 1). */
  i: number;
  t: number;
  tPrev: number;
  /** σ² of DDIM with η = 1, and β̃ of the (respaced) DDPM step. */
  ddimVar: number;
  posteriorVar: number;
  /** x_{t′} = ca·x_t + cb·x̂₀ for each sampler. */
  ddim: { ca: number; cb: number };
  ddpm: { ca: number; cb: number };
}

/** Relative difference |a − b| / max(|a|, |b|), 0 when both are 0. */
function rel(a: number, b: number): number {
  const m = Math.max(Math.abs(a), Math.abs(b));
  return m === 0 ? 0 : Math.abs(a - b) / m;
}

/**
 * DDIM with η = 1 against the DDPM posterior step with variance β̃, on the sub-sequence
 * of `steps` timesteps of `schedule` (all of them when steps = T). Returns every step and
 * the largest relative difference over σ² and both mean coefficients.
 */
export function ddimEtaOneCheck(schedule: Schedule, steps: number): { rows: EtaOneRow[]; maxRel: number } {
  const taus = timestepSubsequence(schedule.T, steps);
  const sub = respace(schedule, taus);
  const rows: EtaOneRow[] = [];
  let maxRel = 0;
  for (let i = taus.length - 1; i >= 0; i--) {
    const t = taus[i]!;
    const tPrev = i === 0 ? -1 : taus[i - 1]!;
    const a = ddimCoefficients(schedule, t, tPrev, 1, 'x0');
    const b = ddpmCoefficients(sub, i, 'posterior', 'x0');
    const row: EtaOneRow = {
      i,
      t,
      tPrev,
      ddimVar: a.sigma ** 2,
      posteriorVar: b.sigma ** 2,
      ddim: { ca: a.ca, cb: a.cb },
      ddpm: { ca: b.ca, cb: b.cb },
    };
    maxRel = Math.max(maxRel, rel(row.ddimVar, row.posteriorVar), rel(a.ca, b.ca), rel(a.cb, b.cb));
    rows.push(row);
  }
  return { rows, maxRel };
}

/** log q_t(x) up to a constant: log Σ_i exp(−‖x − √ᾱ x_i‖² / 2(1 − ᾱ)) for training points x_i of dimension dim. */
function logDensity(train: ArrayLike<number>, dim: number, x: readonly number[], alphaBar: number): number {
  const m = train.length / dim;
  const a = Math.sqrt(alphaBar);
  const v = 1 - alphaBar;
  let max = -Infinity;
  const e = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let d2 = 0;
    for (let c = 0; c < dim; c++) d2 += (x[c]! - a * train[i * dim + c]!) ** 2;
    e[i] = -d2 / (2 * v);
    max = Math.max(max, e[i]!);
  }
  let sum = 0;
  for (let i = 0; i < m; i++) sum += Math.exp(e[i]! - max);
  return max + Math.log(sum);
}

/** The score at x_t two ways, and the noise prediction Tweedie implies. */
export interface TweedieResult {
  /** ∇ log q_t(x_t) by central differences of the mixture's log density. */
  scoreFd: number[];
  /** (√ᾱ·E[x₀ | x_t] − x_t) / (1 − ᾱ), with E[x₀ | x_t] from the exact denoiser. */
  scoreTweedie: number[];
  /** ε* = E[ε | x_t] = −√(1 − ᾱ)·score. */
  epsStar: number[];
  /** ‖scoreFd − scoreTweedie‖ / ‖scoreTweedie‖. */
  relDiff: number;
}

/**
 * Tweedie's formula on the training set's noised distribution q_t (a Gaussian mixture):
 * compares the central-difference score of log q_t at x with the one the exact
 * denoiser E[x₀ | x_t] (`optimalDenoiserRef`) gives. Step h for the differences.
 */
export function tweedieCheck(train: ArrayLike<number>, dim: number, x: readonly number[], alphaBar: number, h = 1e-5): TweedieResult {
  const scoreFd = x.map((_, c) => {
    const up = [...x];
    const down = [...x];
    up[c]! += h;
    down[c]! -= h;
    return (logDensity(train, dim, up, alphaBar) - logDensity(train, dim, down, alphaBar)) / (2 * h);
  });
  const x0 = optimalDenoiserRef(train, dim, x, alphaBar);
  const a = Math.sqrt(alphaBar);
  const scoreTweedie = x.map((xc, c) => (a * x0[c]! - xc) / (1 - alphaBar));
  const epsStar = scoreTweedie.map((s) => -Math.sqrt(1 - alphaBar) * s);
  const diff = Math.hypot(...scoreFd.map((s, c) => s - scoreTweedie[c]!));
  return { scoreFd, scoreTweedie, epsStar, relDiff: diff / Math.hypot(...scoreTweedie) };
}
