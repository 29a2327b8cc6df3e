/**
 * CPU references for the DDPM kernels: forward noising, one reverse step, the exact
 * (optimal) denoiser for a finite training set, and whole DDPM / DDIM sampling runs.
 * They compute in float64 (the test oracle) or, with `precision: 'f32'`, round to
 * f32 after every operation the way the kernels do (the f32 baseline of the tolerance
 * rule). The CPU samplers are also the element's fallback where WebGPU is missing.
 */
import { ShapeError } from '../problem/errors';
import type { Schedule } from '../problem/ddpm-schedule';
import type { ReverseVariance, StepCoefficients } from '../problem/ddpm-coefficients';
import { philoxNormals, RNG_STREAM } from './philox';
import { planSampling, type CpuDenoiser, type SamplerKind } from '../problem/ddpm-plan';
export { planSampling, type CpuDenoiser, type PlannedStep, type SamplerKind } from '../problem/ddpm-plan';

export type Precision = 'f64' | 'f32';
type Values = ArrayLike<number>;

const id = (x: number) => x;
const rounder = (p: Precision = 'f64') => (p === 'f32' ? Math.fround : id);

/** x_t = √ᾱ_{t_r} x₀ + √(1−ᾱ_{t_r}) ε, row r at its own timestep t_r. x0, eps: [rows, dim]. */
export function forwardNoiseRef(
  schedule: Schedule,
  x0: Values,
  t: ArrayLike<number>,
  eps: Values,
  dim: number,
  precision: Precision = 'f64',
): Float64Array {
  const r = rounder(precision);
  if (x0.length !== t.length * dim || eps.length !== x0.length) {
    throw new ShapeError('ddpm.forward', 'x0, t and eps do not agree', { x0: [x0.length], t: [t.length], eps: [eps.length] });
  }
  const out = new Float64Array(x0.length);
  for (let i = 0; i < x0.length; i++) {
    const tt = t[Math.floor(i / dim)]!;
    const a = r(schedule.sqrtAlphaBar[tt]!);
    const b = r(schedule.sqrtOneMinusAlphaBar[tt]!);
    out[i] = r(r(a * x0[i]!) + r(b * eps[i]!));
  }
  return out;
}

/** x_prev = ca·x + cb·pred + σ·z (z may be null for no noise), one element at a time. */
export function stepRef(c: StepCoefficients, x: Values, pred: Values, z: Values | null, precision: Precision = 'f64'): Float64Array {
  const r = rounder(precision);
  const ca = r(c.ca);
  const cb = r(c.cb);
  const sigma = r(c.sigma);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let v = r(r(ca * x[i]!) + r(cb * pred[i]!));
    if (z) v = r(v + r(sigma * z[i]!));
    out[i] = v;
  }
  return out;
}

/**
 * The exact denoiser of a finite training set {x_i} (uniform prior) in float64:
 * E[x₀ | x_t] = Σ_i w_i x_i with w = softmax_i(−‖x_t − √ᾱ x_i‖² / (2(1−ᾱ))).
 * (See src/kernels/ddpm/denoiser.ts for the derivation as attention.) x: [n, dim].
 */
export function optimalDenoiserRef(train: Values, dim: number, x: Values, alphaBar: number): Float64Array {
  const m = train.length / dim;
  const n = x.length / dim;
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1) {
    throw new ShapeError('ddpm.optimalDenoiser', 'train and x must be [m, dim] and [n, dim] with m ≥ 1', {
      train: [train.length],
      x: [x.length],
    });
  }
  const sa = Math.sqrt(alphaBar);
  const inv = 1 / (2 * (1 - alphaBar));
  const logits = new Float64Array(m);
  const out = new Float64Array(x.length);
  for (let q = 0; q < n; q++) {
    let max = -Infinity;
    for (let i = 0; i < m; i++) {
      let d2 = 0;
      for (let j = 0; j < dim; j++) {
        const diff = x[q * dim + j]! - sa * train[i * dim + j]!;
        d2 += diff * diff;
      }
      logits[i] = -d2 * inv;
      if (logits[i]! > max) max = logits[i]!;
    }
    let sum = 0;
    for (let i = 0; i < m; i++) sum += logits[i] = Math.exp(logits[i]! - max);
    for (let i = 0; i < m; i++) {
      const w = logits[i]! / sum;
      for (let j = 0; j < dim; j++) out[q * dim + j] = out[q * dim + j]! + w * train[i * dim + j]!;
    }
  }
  return out;
}

/** The exact denoiser as a `CpuDenoiser` (target x̂₀). */
export function optimalCpuDenoiser(train: Values, dim: number): CpuDenoiser {
  return { target: 'x0', predict: (x, _t, alphaBar) => optimalDenoiserRef(train, dim, x, alphaBar) };
}

export interface SampleOptions {
  sampler: SamplerKind;
  /** Reverse steps: all T for full ancestral DDPM, fewer for DDIM or respaced DDPM. */
  steps: number;
  seed: number;
  n: number;
  dim: number;
  /** DDIM's η (default 0: deterministic given x_T). */
  eta?: number;
  /** DDPM's reverse variance (default 'beta'). */
  variance?: ReverseVariance;
  /** A starting x_T [n, dim]; default Philox normals at (seed, init, T). */
  xT?: Values;
  /** Called after each step with the step index, the timestep reached (−1 at the end) and x. */
  onStep?: (i: number, t: number, x: Float64Array) => void;
}

/**
 * A whole sampling run on the CPU in float64, with Philox noise: x_T from stream
 * `init` at step T, the noise of the step at timestep t from stream `reverse` at step t.
 */
export function sampleRef(schedule: Schedule, denoiser: CpuDenoiser, o: SampleOptions): Float64Array {
  const count = o.n * o.dim;
  let x = o.xT ? Float64Array.from(o.xT) : philoxNormals(o.seed, RNG_STREAM.init, schedule.T, count);
  if (x.length !== count) throw new ShapeError('ddpm.sample', 'xT must be [n, dim]', { xT: [x.length], expected: [o.n, o.dim] });
  const plan = planSampling(schedule, o.sampler, o.steps, denoiser.target, o.eta ?? 0, o.variance ?? 'beta');
  plan.forEach((s, i) => {
    const pred = denoiser.predict(x, s.t, schedule.alphaBar[s.t]!);
    const z = s.coefficients.sigma > 0 ? philoxNormals(o.seed, RNG_STREAM.reverse, s.t, count) : null;
    x = stepRef(s.coefficients, x, pred, z);
    o.onStep?.(i, s.tPrev, x);
  });
  return x;
}

/** Median over samples of the Euclidean distance to the nearest training point. */
export function medianNearestDistance(samples: Values, train: Values, dim: number): number {
  const n = samples.length / dim;
  const m = train.length / dim;
  const d = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    let best = Infinity;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const diff = samples[q * dim + j]! - train[i * dim + j]!;
        s += diff * diff;
      }
      if (s < best) best = s;
    }
    d[q] = Math.sqrt(best);
  }
  d.sort();
  return n === 0 ? NaN : n % 2 ? d[(n - 1) / 2]! : (d[n / 2 - 1]! + d[n / 2]!) / 2;
}

/**
 * The exact denoiser in its attention form, softmax_i(scale·x·x_i + bias_i)·X with
 * scale = √ᾱ/(1−ᾱ), bias_i = −ᾱ‖x_i‖²/(2(1−ᾱ)): with `precision: 'f32'` every
 * operation is rounded to f32, which makes it the f32 baseline of the GPU path.
 */
export function optimalDenoiserAttentionRef(
  train: Values,
  dim: number,
  x: Values,
  alphaBar: number,
  precision: Precision = 'f64',
): Float64Array {
  const r = rounder(precision);
  const m = train.length / dim;
  const n = x.length / dim;
  const scale = r(Math.sqrt(alphaBar) / (1 - alphaBar));
  const factor = -alphaBar / (2 * (1 - alphaBar));
  const bias = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += train[i * dim + j]! ** 2;
    bias[i] = r(factor * s);
  }
  const logits = new Float64Array(m);
  const out = new Float64Array(x.length);
  for (let q = 0; q < n; q++) {
    let max = -Infinity;
    for (let i = 0; i < m; i++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot = r(dot + r(x[q * dim + j]! * train[i * dim + j]!));
      logits[i] = r(r(scale * dot) + bias[i]!);
      if (logits[i]! > max) max = logits[i]!;
    }
    let sum = 0;
    for (let i = 0; i < m; i++) sum = r(sum + (logits[i] = r(Math.exp(r(logits[i]! - max)))));
    for (let j = 0; j < dim; j++) {
      let acc = 0;
      for (let i = 0; i < m; i++) acc = r(acc + r(logits[i]! * train[i * dim + j]!));
      out[q * dim + j] = r(acc / sum);
    }
  }
  return out;
}

/** Median over the training points of the distance to their nearest other training point (the data's own spacing). */
export function medianSpacing(train: Values, dim: number): number {
  const m = train.length / dim;
  const d = new Float64Array(m);
  for (let q = 0; q < m; q++) {
    let best = Infinity;
    for (let i = 0; i < m; i++) {
      if (i === q) continue;
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const diff = train[q * dim + j]! - train[i * dim + j]!;
        s += diff * diff;
      }
      if (s < best) best = s;
    }
    d[q] = Math.sqrt(best);
  }
  d.sort();
  return m < 2 ? NaN : m % 2 ? d[(m - 1) / 2]! : (d[m / 2 - 1]! + d[m / 2]!) / 2;
}
