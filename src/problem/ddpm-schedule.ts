/**
 * Noise schedules for DDPM, computed in float64 on the CPU (they are tiny: T values).
 *
 * Timesteps are 0-based, t = 0 … T−1, as in Ho et al.'s code: β_t is the variance
 * added at step t, α_t = 1 − β_t, ᾱ_t = ∏_{s≤t} α_s, so x_t ~ N(√ᾱ_t x₀, (1 − ᾱ_t) I).
 * The posterior q(x_{t−1} | x_t, x₀) has variance β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t
 * (with ᾱ_{−1} = 1, so β̃_0 = 0), and SNR_t = ᾱ_t / (1 − ᾱ_t).
 *
 * - linear (Ho et al., 2020): β linearly from β_start = 1e-4 to β_end = 0.02 over T = 1000.
 * - cosine (Nichol & Dhariwal, 2021): ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2),
 *   s = 0.008, β_t = min(1 − ᾱ(t+1)/ᾱ(t), 0.999), and ᾱ recomputed from the clipped β.
 *
 * Validation throws `InvalidArgumentError` (T < 1 or not an integer, a β outside (0, 1),
 * a ᾱ that is not strictly decreasing in (0, 1)), before any GPU work.
 */
import { InvalidArgumentError } from './errors';

export type ScheduleKind = 'linear' | 'cosine';

/** Every per-step quantity of a schedule, float64, index t = 0 … T−1. */
export interface Schedule {
  readonly kind: ScheduleKind | 'custom';
  readonly T: number;
  readonly beta: Float64Array;
  readonly alpha: Float64Array;
  readonly alphaBar: Float64Array;
  readonly sqrtAlphaBar: Float64Array;
  readonly sqrtOneMinusAlphaBar: Float64Array;
  /** Posterior variance β̃_t; β̃_0 = 0. */
  readonly posteriorVariance: Float64Array;
  /** ᾱ_t / (1 − ᾱ_t). */
  readonly snr: Float64Array;
}

export interface LinearScheduleOptions {
  T?: number;
  betaStart?: number;
  betaEnd?: number;
}

export interface CosineScheduleOptions {
  T?: number;
  /** Offset s; default 0.008. */
  s?: number;
  /** Upper clip of β; default 0.999. */
  maxBeta?: number;
}

const OP = 'ddpm.schedule';

function checkT(T: unknown): number {
  if (typeof T !== 'number' || !Number.isInteger(T) || T < 1) throw new InvalidArgumentError(OP, 'T', T, 'an integer ≥ 1');
  if (T > 100_000) throw new InvalidArgumentError(OP, 'T', T, 'at most 100000');
  return T;
}

function checkBeta(name: string, b: unknown): number {
  if (typeof b !== 'number' || !(b > 0 && b < 1)) throw new InvalidArgumentError(OP, name, b, 'a number in (0, 1)');
  return b;
}

/** A schedule from its β sequence (each in (0, 1)). */
export function scheduleFromBetas(betas: ArrayLike<number>, kind: Schedule['kind'] = 'custom'): Schedule {
  const T = checkT(betas.length);
  const beta = new Float64Array(T);
  for (let t = 0; t < T; t++) beta[t] = checkBeta(`beta[${t}]`, betas[t]);
  const alpha = beta.map((b) => 1 - b);
  const alphaBar = new Float64Array(T);
  let prod = 1;
  for (let t = 0; t < T; t++) alphaBar[t] = prod *= alpha[t]!;
  return derive(kind, beta, alpha, alphaBar);
}

/**
 * A schedule from its ᾱ sequence, which must be strictly decreasing inside (0, 1):
 * β_t = 1 − ᾱ_t / ᾱ_{t−1}. This is how a sub-sequence τ of timesteps is respaced.
 */
export function scheduleFromAlphaBars(alphaBars: ArrayLike<number>, kind: Schedule['kind'] = 'custom'): Schedule {
  const T = checkT(alphaBars.length);
  const alphaBar = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const a = alphaBars[t]!;
    if (typeof a !== 'number' || !(a > 0 && a < 1)) throw new InvalidArgumentError(OP, `alphaBar[${t}]`, a, 'a number in (0, 1)');
    const prev = t === 0 ? 1 : alphaBar[t - 1]!;
    if (!(a < prev)) {
      throw new InvalidArgumentError(
        OP,
        `alphaBar[${t}]`,
        a,
        `strictly below alphaBar[${t - 1}] = ${prev} (ᾱ must decrease monotonically)`,
      );
    }
    alphaBar[t] = a;
  }
  const alpha = alphaBar.map((a, t) => a / (t === 0 ? 1 : alphaBar[t - 1]!));
  const beta = alpha.map((a) => 1 - a);
  for (let t = 0; t < T; t++) checkBeta(`beta[${t}]`, beta[t]);
  return derive(kind, beta, alpha, alphaBar);
}

/** Ho et al.'s linear schedule: β_t = β_start + (β_end − β_start)·t/(T−1). */
export function linearSchedule(options: LinearScheduleOptions = {}): Schedule {
  const T = checkT(options.T ?? 1000);
  const b0 = checkBeta('betaStart', options.betaStart ?? 1e-4);
  const b1 = checkBeta('betaEnd', options.betaEnd ?? 0.02);
  const betas = Array.from({ length: T }, (_, t) => (T === 1 ? b0 : b0 + ((b1 - b0) * t) / (T - 1)));
  return scheduleFromBetas(betas, 'linear');
}

/** Nichol & Dhariwal's cosine schedule with offset s and β clipped at `maxBeta`. */
export function cosineSchedule(options: CosineScheduleOptions = {}): Schedule {
  const T = checkT(options.T ?? 1000);
  const s = options.s ?? 0.008;
  if (typeof s !== 'number' || !(s >= 0 && s < 1)) throw new InvalidArgumentError(OP, 's', s, 'a number in [0, 1)');
  const maxBeta = checkBeta('maxBeta', options.maxBeta ?? 0.999);
  const f = (t: number) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const betas = Array.from({ length: T }, (_, t) => Math.min(1 - f(t + 1) / f(t), maxBeta));
  return scheduleFromBetas(betas, 'cosine');
}

const SCHEDULE_ARRAYS = ['beta', 'alpha', 'alphaBar', 'sqrtAlphaBar', 'sqrtOneMinusAlphaBar', 'posteriorVariance', 'snr'] as const;

/**
 * Throws `InvalidArgumentError` unless `schedule` is a well-formed `Schedule`: an object
 * with an integer T in [1, 100000] and every per-step array a Float64Array of length T,
 * with ᾱ in (0, 1) and √ᾱ, √(1−ᾱ) in [0, 1]. Kernels call it before sizing anything from T.
 */
export function assertSchedule(op: string, schedule: unknown): asserts schedule is Schedule {
  if (typeof schedule !== 'object' || schedule === null) {
    throw new InvalidArgumentError(op, 'schedule', schedule, 'a Schedule (from linearSchedule, cosineSchedule, scheduleFromBetas…)');
  }
  const s = schedule as Record<string, unknown>;
  const T = s.T;
  if (typeof T !== 'number' || !Number.isInteger(T) || T < 1 || T > 100_000) {
    throw new InvalidArgumentError(op, 'schedule.T', T, 'an integer in [1, 100000]');
  }
  for (const name of SCHEDULE_ARRAYS) {
    const a = s[name];
    if (!(a instanceof Float64Array) || a.length !== T) {
      throw new InvalidArgumentError(op, `schedule.${name}`, a, `a Float64Array of length T = ${T}`);
    }
  }
  const unit = (name: 'alphaBar' | 'sqrtAlphaBar' | 'sqrtOneMinusAlphaBar', ok: (x: number) => boolean, expected: string) => {
    const a = s[name] as Float64Array;
    for (let t = 0; t < T; t++) if (!ok(a[t]!)) throw new InvalidArgumentError(op, `schedule.${name}[${t}]`, a[t], expected);
  };
  unit('alphaBar', (x) => x > 0 && x < 1, 'a number in (0, 1)');
  unit('sqrtAlphaBar', (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
  unit('sqrtOneMinusAlphaBar', (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
}

/** A schedule by name with default parameters and `T` steps. */
export function makeSchedule(kind: ScheduleKind, T = 1000): Schedule {
  if (kind === 'linear') return linearSchedule({ T });
  if (kind === 'cosine') return cosineSchedule({ T });
  throw new InvalidArgumentError(OP, 'schedule', kind, "'linear' or 'cosine'");
}

function derive(kind: Schedule['kind'], beta: Float64Array, alpha: Float64Array, alphaBar: Float64Array): Schedule {
  const T = beta.length;
  const sqrtAlphaBar = alphaBar.map(Math.sqrt);
  const sqrtOneMinusAlphaBar = alphaBar.map((a) => Math.sqrt(1 - a));
  const posteriorVariance = new Float64Array(T);
  for (let t = 1; t < T; t++) posteriorVariance[t] = ((1 - alphaBar[t - 1]!) / (1 - alphaBar[t]!)) * beta[t]!;
  const snr = alphaBar.map((a) => a / (1 - a));
  return Object.freeze({ kind, T, beta, alpha, alphaBar, sqrtAlphaBar, sqrtOneMinusAlphaBar, posteriorVariance, snr });
}

/**
 * `steps` timesteps of `0 … T−1`, evenly spaced and strictly increasing, always
 * ending at T−1 (the sampler starts there) and starting at 0: the DDIM sub-sequence τ.
 */
export function timestepSubsequence(T: number, steps: number): number[] {
  checkT(T);
  if (!Number.isInteger(steps) || steps < 1 || steps > T) {
    throw new InvalidArgumentError('ddpm.timesteps', 'steps', steps, `an integer in [1, ${T}]`);
  }
  if (steps === 1) return [T - 1];
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push(Math.round((i * (T - 1)) / (steps - 1)));
  return out;
}

/** The schedule of the sub-sequence τ (respaced: ᾱ'_i = ᾱ_{τ_i}), for DDPM with fewer steps. */
export function respace(schedule: Schedule, taus: readonly number[]): Schedule {
  return scheduleFromAlphaBars(
    taus.map((t) => schedule.alphaBar[t]!),
    schedule.kind,
  );
}
