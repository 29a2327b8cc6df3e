/**
 * The trainable MLP on the CPU, float64: Philox initialization, the DDPM training
 * batch, forward, loss and backpropagation over the flat (padded) parameter layout
 * of src/problem/train-model.ts, and one whole training step (gradient, clipping,
 * the optimizer race's update rule). It is the oracle of the GPU network
 * (`src/kernels/train/network.ts`) and of the training loop's first steps.
 */
import { networkLayout, type NetworkLayout, type NetworkSpec } from '../../problem/train-model';
import { TRAIN_STREAM, type ResolvedTrainConfig } from '../../problem/train-config';
import { clipFactor, warmupCosineLr } from '../../problem/train-schedule';
import { philoxBlock, philoxNormal, uniformFromBits } from '../philox';
import { activate, activateGrad, timeEmbeddingRef } from './layers';
import { crossEntropyRef, mseRef } from './norm-loss';
import { optimizerStep, type OptimizerState } from '../optim';

/** The initial flat parameters: entry i of slot s is std_s · philoxNormal(seed, init, s, i) (zeros for std 0). */
export function initNetworkRef(spec: NetworkSpec, seed: number): Float64Array {
  const layout = networkLayout('initNetworkRef', spec);
  const p = new Float64Array(layout.count);
  layout.slots.forEach((s, k) => {
    if (s.initStd === 0) return;
    for (let i = 0; i < s.size; i++) p[s.offset + i] = Math.fround(s.initStd * Math.fround(philoxNormal(seed, TRAIN_STREAM.init, k, i)));
  });
  return p;
}

/** A uniform integer in [0, n) from the word at (seed, stream, step, element): ⌊u·n⌋ with u the word's top 24 bits. */
export function philoxIndex(seed: number, stream: number, step: number, element: number, n: number): number {
  const u = uniformFromBits(philoxBlock(seed, stream, step, element)[element & 3]!);
  return Math.min(n - 1, Math.floor(u * n));
}

/** One DDPM training batch: input rows [x_t, t] before the embedding, the timesteps and the noise targets. */
export interface DdpmBatch {
  /** x_t [B, dim]. */
  xt: Float64Array;
  /** t [B] (integers). */
  t: Float64Array;
  /** ε [B, dim]. */
  eps: Float64Array;
}

/**
 * The batch of 0-based step `step`: row r takes training point ⌊u·m⌋ (stream `row`),
 * timestep ⌊u·T⌋ (stream `time`) and noise ε[r, j] (stream `noise`, element r·dim + j),
 * then x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε with the coefficients rounded to f32, as the GPU has them.
 */
export function ddpmBatchRef(
  data: ArrayLike<number>,
  dim: number,
  sqrtAlphaBar: ArrayLike<number>,
  sqrtOneMinus: ArrayLike<number>,
  batch: number,
  seed: number,
  step: number,
): DdpmBatch {
  const m = data.length / dim;
  const T = sqrtAlphaBar.length;
  const xt = new Float64Array(batch * dim);
  const t = new Float64Array(batch);
  const eps = new Float64Array(batch * dim);
  for (let r = 0; r < batch; r++) {
    const i = philoxIndex(seed, TRAIN_STREAM.row, step, r, m);
    const tt = philoxIndex(seed, TRAIN_STREAM.time, step, r, T);
    t[r] = tt;
    const c0 = Math.fround(sqrtAlphaBar[tt]!);
    const c1 = Math.fround(sqrtOneMinus[tt]!);
    for (let j = 0; j < dim; j++) {
      const e = philoxNormal(seed, TRAIN_STREAM.noise, step, r * dim + j);
      eps[r * dim + j] = e;
      xt[r * dim + j] = c0 * data[i * dim + j]! + c1 * e;
    }
  }
  return { xt, t, eps };
}

/** The network's input rows: x [B, inputs] followed by the time embedding of t, when it has one. */
export function networkInput(layout: NetworkLayout, x: ArrayLike<number>, t: ArrayLike<number> | null): Float64Array {
  const { inputs, timeEmbedding: E, maxPeriod } = layout.spec;
  const B = x.length / inputs;
  const W = layout.inputWidth;
  const h = new Float64Array(B * W);
  const emb = E > 0 && t ? timeEmbeddingRef(t, E, maxPeriod) : null;
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < inputs; j++) h[r * W + j] = x[r * inputs + j]!;
    for (let k = 0; emb && k < E; k++) h[r * W + inputs + k] = emb[r * E + k]!;
  }
  return h;
}

interface Pass {
  /** Layer inputs h_0 … h_{L−1} and pre-activations z_1 … z_L. */
  hs: Float64Array[];
  zs: Float64Array[];
  out: Float64Array;
}

function forwardPass(layout: NetworkLayout, params: ArrayLike<number>, h0: Float64Array): Pass {
  const B = h0.length / layout.inputWidth;
  const hs: Float64Array[] = [h0];
  const zs: Float64Array[] = [];
  let h = h0;
  for (const L of layout.layers) {
    const z = new Float64Array(B * L.outDim);
    for (let r = 0; r < B; r++)
      for (let j = 0; j < L.outDim; j++) {
        let s = params[L.b.offset + j]!;
        for (let k = 0; k < L.inDim; k++) s += h[r * L.inDim + k]! * params[L.w.offset + k * L.outDim + j]!;
        z[r * L.outDim + j] = s;
      }
    zs.push(z);
    h = L.activated ? z.map((v) => activate(layout.spec.activation, v)) : z;
    if (L.activated) hs.push(h);
  }
  return { hs, zs, out: h };
}

/** The network's outputs [B, outputs] for input rows h0 [B, inputWidth]. */
export function networkForwardRef(layout: NetworkLayout, params: ArrayLike<number>, h0: Float64Array): Float64Array {
  return forwardPass(layout, params, h0).out;
}

/** The loss of a batch and its gradient over the flat layout (padding entries stay 0). */
export function networkLossAndGradRef(
  layout: NetworkLayout,
  params: ArrayLike<number>,
  h0: Float64Array,
  target: { kind: 'mse'; values: ArrayLike<number> } | { kind: 'xent'; labels: ArrayLike<number> },
): { loss: number; grad: Float64Array } {
  const pass = forwardPass(layout, params, h0);
  const B = h0.length / layout.inputWidth;
  const lossGrad =
    target.kind === 'mse' ? mseRef(pass.out, target.values) : crossEntropyRef(pass.out, [B, layout.spec.outputs], target.labels);
  const grad = new Float64Array(layout.count);
  let dz = lossGrad.grad;
  for (let l = layout.layers.length - 1; l >= 0; l--) {
    const L = layout.layers[l]!;
    const hin = pass.hs[l]!;
    for (let r = 0; r < B; r++)
      for (let j = 0; j < L.outDim; j++) {
        const d = dz[r * L.outDim + j]!;
        grad[L.b.offset + j]! += d;
        for (let k = 0; k < L.inDim; k++) grad[L.w.offset + k * L.outDim + j]! += hin[r * L.inDim + k]! * d;
      }
    if (l === 0) break;
    const prev = layout.layers[l - 1]!;
    const zPrev = pass.zs[l - 1]!;
    const next = new Float64Array(B * L.inDim);
    for (let r = 0; r < B; r++)
      for (let k = 0; k < L.inDim; k++) {
        let s = 0;
        for (let j = 0; j < L.outDim; j++) s += dz[r * L.outDim + j]! * params[L.w.offset + k * L.outDim + j]!;
        next[r * L.inDim + k] = prev.activated ? s * activateGrad(layout.spec.activation, zPrev[r * L.inDim + k]!) : s;
      }
    dz = next;
  }
  return { loss: lossGrad.loss, grad };
}

/** ‖g‖₂ over the flat vector. */
export function globalNormRef(g: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return Math.sqrt(s);
}

/**
 * One training step on the CPU from `params` and optimizer `state` (both updated in
 * place): the batch of step `state.t` (DDPM) or the whole set, loss and gradient,
 * clipping, the learning rate of the schedule and the optimizer race's update rule.
 */
export function trainStepRef(cfg: ResolvedTrainConfig, params: Float64Array, state: OptimizerState): { loss: number; norm: number } {
  const layout = cfg.layout;
  let h0: Float64Array;
  let target: Parameters<typeof networkLossAndGradRef>[3];
  if (cfg.task.kind === 'ddpm') {
    const s = cfg.task.schedule;
    const b = ddpmBatchRef(cfg.task.data, layout.spec.inputs, s.sqrtAlphaBar, s.sqrtOneMinusAlphaBar, cfg.batch, cfg.seed, state.t);
    h0 = networkInput(layout, b.xt, b.t);
    target = { kind: 'mse', values: b.eps };
  } else {
    h0 = networkInput(layout, cfg.task.x, null);
    target = { kind: 'xent', labels: cfg.task.labels };
  }
  const { loss, grad } = networkLossAndGradRef(layout, params, h0, target);
  const norm = globalNormRef(grad);
  const c = clipFactor(norm, cfg.clipNorm);
  if (c !== 1) for (let i = 0; i < grad.length; i++) grad[i]! *= c;
  const lr = Math.fround(warmupCosineLr(cfg.optimizer.lr, cfg.schedule, state.t + 1));
  optimizerStep(cfg.optimizer, state, params, grad, undefined, lr);
  return { loss, norm };
}
