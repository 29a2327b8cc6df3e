/**
 * The per-step coefficients of the reverse samplers, in float64. Every sampler step
 * is written as
 *
 *   x_prev = ca · x_t + cb · pred + σ · z,     z ~ N(0, I)
 *
 * where `pred` is the denoiser's output: ε̂ (target 'eps') or x̂₀ (target 'x0').
 * The two are related by x_t = √ᾱ_t x̂₀ + √(1−ᾱ_t) ε̂, so a predictor of either kind
 * drives the same sampler; the conversion is folded into (ca, cb) instead of costing
 * a kernel (and it avoids dividing by √(1−ᾱ_t) ≈ 0.01 at t = 0).
 *
 * DDPM ancestral step (Ho et al. eq. 11), on a (possibly respaced) schedule:
 *   μ = (x_t − β_t/√(1−ᾱ_t) · ε̂) / √α_t  =  c₀ x̂₀ + c_t x_t,
 *   c₀ = √ᾱ_{t−1} β_t / (1−ᾱ_t),  c_t = √α_t (1−ᾱ_{t−1}) / (1−ᾱ_t),
 *   σ² = β_t ('beta') or β̃_t ('posterior'); no noise at t = 0.
 *
 * DDIM step (Song et al. eq. 12) from t to t' < t (t' = −1 means ᾱ = 1):
 *   x̂₀ = (x_t − √(1−ᾱ_t) ε̂)/√ᾱ_t,
 *   σ = η √((1−ᾱ_{t'})/(1−ᾱ_t)) √(1 − ᾱ_t/ᾱ_{t'}),
 *   x_{t'} = √ᾱ_{t'} x̂₀ + √(1−ᾱ_{t'}−σ²) ε̂ + σ z.
 */
import { InvalidArgumentError, ShapeError } from './errors';
import type { Schedule } from './ddpm-schedule';
import { assertNumberArray } from './shape';

/** What a denoiser predicts. */
export type PredictionTarget = 'eps' | 'x0';
/** The DDPM reverse variance: β_t (Ho's σ² = β) or the posterior β̃_t. */
export type ReverseVariance = 'beta' | 'posterior';

export interface StepCoefficients {
  ca: number;
  cb: number;
  sigma: number;
}

function checkStep(op: string, schedule: Schedule, t: number): void {
  if (!Number.isInteger(t) || t < 0 || t >= schedule.T) throw new InvalidArgumentError(op, 't', t, `an integer in [0, ${schedule.T - 1}]`);
}

/** Coefficients of the DDPM ancestral step t → t−1 on `schedule`. */
export function ddpmCoefficients(
  schedule: Schedule,
  t: number,
  variance: ReverseVariance = 'beta',
  target: PredictionTarget = 'eps',
): StepCoefficients {
  checkStep('ddpm.step', schedule, t);
  if (variance !== 'beta' && variance !== 'posterior')
    throw new InvalidArgumentError('ddpm.step', 'variance', variance, "'beta' or 'posterior'");
  const beta = schedule.beta[t]!;
  const alpha = schedule.alpha[t]!;
  const abar = schedule.alphaBar[t]!;
  const abarPrev = t === 0 ? 1 : schedule.alphaBar[t - 1]!;
  const sigma = t === 0 ? 0 : Math.sqrt(variance === 'beta' ? beta : schedule.posteriorVariance[t]!);
  if (target === 'eps') return { ca: 1 / Math.sqrt(alpha), cb: -beta / (Math.sqrt(alpha) * Math.sqrt(1 - abar)), sigma };
  if (target === 'x0')
    return { ca: (Math.sqrt(alpha) * (1 - abarPrev)) / (1 - abar), cb: (Math.sqrt(abarPrev) * beta) / (1 - abar), sigma };
  throw new InvalidArgumentError('ddpm.step', 'target', target, "'eps' or 'x0'");
}

/** Coefficients of the DDIM step t → tPrev (tPrev = −1 for the final step to ᾱ = 1). */
export function ddimCoefficients(
  schedule: Schedule,
  t: number,
  tPrev: number,
  eta = 0,
  target: PredictionTarget = 'eps',
): StepCoefficients {
  checkStep('ddim.step', schedule, t);
  if (!Number.isInteger(tPrev) || tPrev < -1 || tPrev >= t)
    throw new InvalidArgumentError('ddim.step', 'tPrev', tPrev, `an integer in [-1, ${t - 1}]`);
  if (typeof eta !== 'number' || !(eta >= 0 && eta <= 1)) throw new InvalidArgumentError('ddim.step', 'eta', eta, 'a number in [0, 1]');
  const abar = schedule.alphaBar[t]!;
  const abarPrev = tPrev < 0 ? 1 : schedule.alphaBar[tPrev]!;
  const a = Math.sqrt(abar);
  const b = Math.sqrt(1 - abar);
  const c = Math.sqrt(abarPrev);
  const sigma = eta * Math.sqrt((1 - abarPrev) / (1 - abar)) * Math.sqrt(1 - abar / abarPrev);
  const d = Math.sqrt(Math.max(0, 1 - abarPrev - sigma * sigma));
  if (target === 'eps') return { ca: c / a, cb: d - (c * b) / a, sigma };
  if (target === 'x0') return { ca: d / b, cb: c - (d * a) / b, sigma };
  throw new InvalidArgumentError('ddim.step', 'target', target, "'eps' or 'x0'");
}

/** The coefficients of the optimal denoiser's attention at ᾱ: scale and bias factor. */
export function optimalAttentionCoefficients(alphaBar: number): { scale: number; biasFactor: number } {
  if (!(alphaBar > 0 && alphaBar < 1)) throw new InvalidArgumentError('ddpm.optimalDenoiser', 'alphaBar', alphaBar, 'a number in (0, 1)');
  return { scale: Math.sqrt(alphaBar) / (1 - alphaBar), biasFactor: -alphaBar / (2 * (1 - alphaBar)) };
}

/** Checks a training set [m, dim] (an array or typed array of finite numbers) and returns m. */
export function checkTrainingSet(op: string, train: ArrayLike<number>, dim: number): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError(op, 'dim', dim, 'an integer ≥ 1');
  if (!Array.isArray(train) && !ArrayBuffer.isView(train)) throw new InvalidArgumentError(op, 'train', train, 'an array of finite numbers');
  const m = train.length / dim;
  if (!Number.isInteger(m) || m < 1)
    throw new ShapeError(op, `the training set must be [m, ${dim}] with m ≥ 1, got ${train.length} values`, { train: [train.length] });
  assertNumberArray(op, 'train', train, 'a finite number', Number.isFinite);
  return m;
}
