/**
 * A small MLP on a 2-D classification set, on the CPU: the data (two spirals),
 * the network (tanh hidden layers, softmax cross-entropy), backpropagation,
 * training with the project's own optimizer reference, filter-normalized random
 * directions (Li et al., 2018), and the loss on a 2-D slice of parameter space.
 *
 * Parameters are one flat vector, layer by layer: W_l as [in, out] row-major
 * (h_out = h_in · W_l + b_l), then b_l. `r` rounds after every operation: the
 * identity for the float64 oracle, `Math.fround` for the f32 baseline.
 */
import { mlpLayout, sliceCoordinates, type Dataset, type SliceInput } from '../problem/mlp';
export { mlpLayout, sliceCoordinates, type Dataset, type LayerSlot, type SliceInput } from '../problem/mlp';
import { resolveOptimizer, type OptimizerConfig } from '../problem/optim';
import { initialState, optimizerStep } from './optim';
import { mulberry32, normalArray } from './random';
import { F64, type Round } from './surfaces';

/**
 * Two interleaved spirals, `n` points per class, with Gaussian jitter `noise`.
 * Class k's point i sits at radius r = i/n·… and angle θ = turns·2π·r + kπ.
 */
export function twoSpirals(n = 100, seed = 1, noise = 0.08, turns = 1.25): Dataset {
  const rng = mulberry32(seed);
  const jitter = normalArray(rng, 4 * n, noise);
  const x = new Float32Array(4 * n);
  const labels = new Uint32Array(2 * n);
  for (let k = 0; k < 2; k++) {
    for (let i = 0; i < n; i++) {
      const p = k * n + i;
      const r = 0.15 + (0.85 * i) / n;
      const th = turns * 2 * Math.PI * r + k * Math.PI;
      x[2 * p] = r * Math.cos(th) + jitter[2 * p]!;
      x[2 * p + 1] = r * Math.sin(th) + jitter[2 * p + 1]!;
      labels[p] = k;
    }
  }
  return { x, labels, n: 2 * n, classes: 2 };
}

/** The default network: 2 → 16 → 16 → 2. */
export const MLP_SIZES = [2, 16, 16, 2] as const;

/** Glorot-normal weights, zero biases, from `seed`. */
export function initMlp(sizes: readonly number[], seed: number): Float64Array {
  const { layers, count } = mlpLayout(sizes);
  const p = new Float64Array(count);
  const rng = mulberry32(seed);
  for (const L of layers) {
    const w = normalArray(rng, L.inDim * L.outDim, Math.sqrt(2 / (L.inDim + L.outDim)));
    p.set(w, L.w);
  }
  return p;
}

/** tanh as the GPU kernel computes it, sign(z)·(1 − e^(−2|z|))/(1 + e^(−2|z|)), rounded by r (the f32 baseline). */
function tanhR(z: number, r: Round): number {
  const t = r(Math.exp(r(-2 * Math.abs(z))));
  const y = r(r(1 - t) / r(1 + t));
  return z < 0 ? -y : y;
}

/** Mean softmax cross-entropy of the network on `data`, optionally with the activations kept. */
export function mlpLoss(params: ArrayLike<number>, sizes: readonly number[], data: Dataset, r: Round = F64): number {
  return forward(params, sizes, data, r, false).loss;
}

interface Forward {
  loss: number;
  /** Activations per layer (inputs included), each [N, width]. */
  acts: Float64Array[];
  /** Softmax probabilities [N, C]. */
  probs: Float64Array;
  correct: number;
}

function forward(params: ArrayLike<number>, sizes: readonly number[], data: Dataset, r: Round, keep: boolean): Forward {
  const { layers } = mlpLayout(sizes);
  const N = data.n;
  const exact = r === F64; // the float64 path skips the rounding calls (training speed)
  let h = Float64Array.from(data.x);
  const acts: Float64Array[] = [h];
  layers.forEach((L, li) => {
    const out = new Float64Array(N * L.outDim);
    const last = li === layers.length - 1;
    const { inDim, outDim } = L;
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < outDim; j++) {
        let s = 0;
        if (exact) {
          for (let k = 0; k < inDim; k++) s += h[n * inDim + k]! * params[L.w + k * outDim + j]!;
          s += params[L.b + j]!;
          out[n * outDim + j] = last ? s : Math.tanh(s);
        } else {
          for (let k = 0; k < inDim; k++) s = r(s + r(h[n * inDim + k]! * params[L.w + k * outDim + j]!));
          s = r(s + params[L.b + j]!);
          out[n * outDim + j] = last ? s : tanhR(s, r);
        }
      }
    }
    h = out;
    if (keep || last) acts.push(out);
  });
  const C = sizes[sizes.length - 1]!;
  const logits = h;
  const probs = new Float64Array(N * C);
  let total = 0;
  let correct = 0;
  for (let n = 0; n < N; n++) {
    let m = -Infinity;
    let arg = 0;
    for (let c = 0; c < C; c++) {
      const z = logits[n * C + c]!;
      if (z > m) {
        m = z;
        arg = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum = r(sum + r(Math.exp(r(logits[n * C + c]! - m))));
    const lse = r(m + r(Math.log(sum)));
    total = r(total + r(lse - logits[n * C + data.labels[n]!]!));
    if (keep) for (let c = 0; c < C; c++) probs[n * C + c] = Math.exp(logits[n * C + c]! - lse);
    if (arg === data.labels[n]) correct++;
  }
  return { loss: r(total / N), acts, probs, correct };
}

/** The network's class-1 probability at each point of `points` ([M, 2]), float64 (for drawing decision regions). */
export function mlpProbabilities(params: ArrayLike<number>, sizes: readonly number[], points: Float32Array, cls = 1): Float64Array {
  const M = points.length / sizes[0]!;
  const f = forward(params, sizes, { x: points, labels: new Uint32Array(M), n: M, classes: sizes[sizes.length - 1]! }, F64, true);
  const C = sizes[sizes.length - 1]!;
  const out = new Float64Array(M);
  for (let i = 0; i < M; i++) out[i] = f.probs[i * C + cls]!;
  return out;
}

/** Loss, gradient (float64 backpropagation) and accuracy. */
export function mlpLossAndGrad(
  params: ArrayLike<number>,
  sizes: readonly number[],
  data: Dataset,
): { loss: number; grad: Float64Array; accuracy: number } {
  const { layers, count } = mlpLayout(sizes);
  const f = forward(params, sizes, data, F64, true);
  const N = data.n;
  const grad = new Float64Array(count);
  const C = sizes[sizes.length - 1]!;
  // dL/dlogits = (softmax − onehot)/N
  let delta = Float64Array.from(f.probs);
  for (let n = 0; n < N; n++) delta[n * C + data.labels[n]!]! -= 1;
  for (let i = 0; i < delta.length; i++) delta[i]! /= N;
  for (let li = layers.length - 1; li >= 0; li--) {
    const L = layers[li]!;
    const hin = f.acts[li]!;
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < L.outDim; j++) {
        const d = delta[n * L.outDim + j]!;
        grad[L.b + j]! += d;
        for (let k = 0; k < L.inDim; k++) grad[L.w + k * L.outDim + j]! += hin[n * L.inDim + k]! * d;
      }
    }
    if (li > 0) {
      const prev = new Float64Array(N * L.inDim);
      for (let n = 0; n < N; n++) {
        for (let k = 0; k < L.inDim; k++) {
          let s = 0;
          for (let j = 0; j < L.outDim; j++) s += params[L.w + k * L.outDim + j]! * delta[n * L.outDim + j]!;
          const a = hin[n * L.inDim + k]!;
          prev[n * L.inDim + k] = s * (1 - a * a); // tanh′ = 1 − tanh²
        }
      }
      delta = prev;
    }
  }
  return { loss: f.loss, grad, accuracy: f.correct / N };
}

/** A trained network and how it got there. */
export interface TrainedMlp {
  sizes: number[];
  /** The trained parameters, rounded to f32 (what the GPU sees). */
  params: Float32Array;
  data: Dataset;
  /** The float64 loss of `params` on `data`. */
  loss: number;
  accuracy: number;
  /** Loss every 50 steps. */
  history: number[];
}

export interface TrainOptions {
  seed?: number;
  steps?: number;
  optimizer?: OptimizerConfig;
  sizes?: readonly number[];
  data?: Dataset;
}

/**
 * Trains the MLP full-batch with the project's optimizer reference (Adam by
 * default). Deterministic: the same seed gives the same network.
 */
export function trainMlp(opts: TrainOptions = {}): TrainedMlp {
  const seed = opts.seed ?? 1;
  const sizes = [...(opts.sizes ?? MLP_SIZES)];
  const data = opts.data ?? twoSpirals(60, seed);
  const o = resolveOptimizer('trainMlp', opts.optimizer ?? { kind: 'adam', lr: 0.03 });
  const x = initMlp(sizes, seed + 1);
  const st = initialState(x.length);
  const history: number[] = [];
  const steps = opts.steps ?? 600;
  for (let t = 0; t < steps; t++) {
    const { loss, grad } = mlpLossAndGrad(x, sizes, data);
    if (t % 50 === 0) history.push(loss);
    optimizerStep(o, st, x, grad);
  }
  const params = Float32Array.from(x);
  const final = mlpLossAndGrad(params, sizes, data);
  history.push(final.loss);
  return { sizes, params, data, loss: final.loss, accuracy: final.accuracy, history };
}

/**
 * A filter-normalized random direction (Li et al., 2018): Gaussian, then each
 * filter (the incoming weights of one unit: a column of W) rescaled to the norm
 * of the same filter in `params`. Bias directions are zero, as in the paper.
 */
export function filterNormalizedDirection(params: ArrayLike<number>, sizes: readonly number[], seed: number): Float32Array {
  const { layers, count } = mlpLayout(sizes);
  const d = new Float32Array(count);
  const rng = mulberry32(seed);
  for (const L of layers) {
    const g = normalArray(rng, L.inDim * L.outDim);
    for (let j = 0; j < L.outDim; j++) {
      let nd = 0;
      let np = 0;
      for (let k = 0; k < L.inDim; k++) {
        nd += g[k * L.outDim + j]! ** 2;
        np += params[L.w + k * L.outDim + j]! ** 2;
      }
      const s = nd > 0 ? Math.sqrt(np) / Math.sqrt(nd) : 0;
      for (let k = 0; k < L.inDim; k++) d[L.w + k * L.outDim + j] = g[k * L.outDim + j]! * s;
    }
  }
  return d;
}

/** θ at grid point (α, β), with the perturbation rounded as the GPU does it. */
export function slicePoint(input: SliceInput, alpha: number, beta: number, r: Round = F64): Float64Array {
  const p = new Float64Array(input.params.length);
  for (let k = 0; k < p.length; k++) p[k] = r(r(input.params[k]! + r(alpha * input.d1[k]!)) + r(beta * input.d2[k]!));
  return p;
}

/** The reference of `mlpSlice()`: loss on the G×G grid, [G, G] (row = β index). */
export function sliceReference(input: SliceInput, r: Round = F64): { data: Float64Array; shape: number[] } {
  const G = input.resolution;
  const c = sliceCoordinates(input);
  const out = new Float64Array(G * G);
  for (let j = 0; j < G; j++) {
    const beta = Math.fround(c.b0 + Math.fround(j * c.db));
    for (let i = 0; i < G; i++) {
      const alpha = Math.fround(c.a0 + Math.fround(i * c.da));
      out[j * G + i] = mlpLoss(slicePoint(input, alpha, beta, r), input.sizes, input.data, r);
    }
  }
  return { data: out, shape: [G, G] };
}

/**
 * The loss restricted to the slice, L(α, β), and its exact gradient
 * (d₁·∇L, d₂·∇L): optimizers can then race on the network's own 2-D slice.
 */
export function sliceLossAndGrad(input: SliceInput, alpha: number, beta: number): { loss: number; grad: [number, number] } {
  const p = slicePoint(input, alpha, beta);
  const { loss, grad } = mlpLossAndGrad(p, input.sizes, input.data);
  let ga = 0;
  let gb = 0;
  for (let k = 0; k < grad.length; k++) {
    ga += input.d1[k]! * grad[k]!;
    gb += input.d2[k]! * grad[k]!;
  }
  return { loss, grad: [ga, gb] };
}

/**
 * Optimizers racing on the slice (CPU: each step needs a full backward pass).
 * Returns the same layout as the GPU race: [optimizers, starts, steps + 1, 3].
 */
export function sliceRace(
  input: SliceInput,
  optimizers: readonly OptimizerConfig[],
  starts: readonly (readonly [number, number])[],
  steps: number,
): { data: Float64Array; shape: number[] } {
  const opts = optimizers.map((o, i) => resolveOptimizer('sliceRace', o, i));
  const P = steps + 1;
  const out = new Float64Array(opts.length * starts.length * P * 3);
  opts.forEach((o, oi) => {
    starts.forEach((s, si) => {
      const x = Float64Array.from(s);
      const st = initialState(2);
      const base = (oi * starts.length + si) * P * 3;
      for (let t = 0; t <= steps; t++) {
        const { loss, grad } = sliceLossAndGrad(input, x[0]!, x[1]!);
        out[base + 3 * t] = x[0]!;
        out[base + 3 * t + 1] = x[1]!;
        out[base + 3 * t + 2] = loss;
        if (t < steps) optimizerStep(o, st, x, Float64Array.from(grad));
      }
    });
  });
  return { data: out, shape: [opts.length, starts.length, P, 3] };
}
