/**
 * The numerical-checking page's layers: for each, small seeded inputs, the scalar
 * f = Σ layer(x) ⊙ p (p a fixed random upstream gradient; the losses are scalars
 * already) in float64 and in f32 arithmetic (CPU references), the float64 analytic
 * gradient, the GPU backward kernel's gradient, the GPU forward output, and planted
 * bugs: deliberately wrong backward passes that gradcheck must catch.
 */
import type { Gpu } from '../src/gpu/device';
import type { GradcheckTensor } from '../src/reference/gradcheck';
import { project } from '../src/reference/gradcheck';
import { F32, F64, type Round } from '../src/reference/surfaces';
import { mulberry32, normalArray } from '../src/reference/random';
import * as R from '../src/reference/train/layers';
import * as RN from '../src/reference/train/norm-loss';
import * as L from '../src/kernels/train/layers';
import * as NL from '../src/kernels/train/norm-loss';
import { matmul } from '../src/kernels/matmul';
import type { Tensor } from '../src/gpu/tensor';
import type { ActivationKind } from '../src/problem/train-layers';

type Vals = Record<string, Float64Array>;
type Grads = Record<string, ArrayLike<number>>;

/** A planted bug: a wrong backward pass. */
export interface Bug {
  id: string;
  label: string;
  grad(gpu: Gpu | null, v: Vals): Promise<Grads>;
}

/** One layer the page can check. */
export interface LayerCase {
  id: string;
  label: string;
  inputs: Record<string, GradcheckTensor>;
  /** f in float64 (the reference) and in f32 arithmetic (every operation rounded). */
  f64(v: Vals): number;
  f32(v: Vals): number;
  /** The float64 analytic gradient (reference backward). */
  exact(v: Vals): Grads;
  /** The GPU backward kernel's gradient. */
  gpu(gpu: Gpu, v: Vals): Promise<Grads>;
  /** The GPU forward output and the float64 / f32 references of it. */
  forward(gpu: Gpu): Promise<{ gpu: Float32Array; f64: ArrayLike<number>; f32: ArrayLike<number> }>;
  bugs: Bug[];
}

const rand = (n: number, seed: number, std = 1) => Float64Array.from(normalArray(mulberry32(seed), n, std), (v) => Math.fround(v));
const host = (data: ArrayLike<number>, shape: number[]) => ({ data: Float32Array.from(data), shape });
const fr = (v: Vals): Vals => Object.fromEntries(Object.entries(v).map(([k, a]) => [k, a.map(Math.fround)]));
/** Σ y·p with every operation rounded by r. */
const projectR = (y: ArrayLike<number>, p: ArrayLike<number>, r: Round) => {
  let s = 0;
  for (let i = 0; i < y.length; i++) s = r(s + r(y[i]! * p[i]!));
  return s;
};
async function read(t: Tensor): Promise<Float32Array> {
  const v = await t.read();
  t.destroy();
  return v;
}

const N = 4;
const D = 4;

function linearCase(): LayerCase {
  const p = rand(N * D, 4);
  const y = (v: Vals, r: Round) => R.linearRef(v.x!, [N, D], v.w!, [D, D], v.b!, r);
  const correct = (v: Vals) => R.linearBackwardRef(v.x!, [N, D], v.w!, [D, D], p);
  return {
    id: 'linear',
    label: 'Linear layer y = xW + b (4 × 4)',
    inputs: {
      x: { data: rand(N * D, 1), shape: [N, D] },
      w: { data: rand(D * D, 2, 0.7), shape: [D, D] },
      b: { data: rand(D, 3), shape: [D] },
    },
    f64: (v) => project(y(v, F64), p),
    f32: (v) => projectR(y(fr(v), F32), p, F32),
    exact: (v) => {
      const g = correct(v);
      return { x: g.dx, w: g.dw, b: g.db };
    },
    gpu: async (gpu, v) => {
      const g = await L.linearBackward(gpu, host(v.x!, [N, D]), host(v.w!, [D, D]), host(p, [N, D]));
      return { x: await read(g.dx), w: await read(g.dw), b: await read(g.db) };
    },
    forward: async (gpu) => {
      const i = linearCase().inputs;
      const out = await read(await L.linear(gpu, host(i.x!.data, [N, D]), host(i.w!.data, [D, D]), host(i.b!.data, [D])));
      const v = { x: Float64Array.from(i.x!.data), w: Float64Array.from(i.w!.data), b: Float64Array.from(i.b!.data) };
      return { gpu: out, f64: y(v, F64), f32: y(v, F32) };
    },
    bugs: [
      {
        id: 'transpose-dx',
        label: 'missing transpose: dx = dy·W instead of dy·Wᵀ',
        grad: async (gpu, v) => {
          const g = correct(v);
          // The planted bug, through the library's own matmul: no transposeB.
          const dx = gpu ? await read(await matmul(gpu, host(p, [N, D]), host(v.w!, [D, D]))) : R.linearRef(p, [N, D], v.w!, [D, D], null);
          return { x: dx, w: g.dw, b: g.db };
        },
      },
      {
        id: 'transpose-dw',
        label: 'transposed weight gradient: dW = dyᵀ·x',
        grad: async (_gpu, v) => {
          const g = correct(v);
          const dw = new Float64Array(D * D);
          for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) dw[i * D + j] = g.dw[j * D + i]!;
          return { x: g.dx, w: dw, b: g.db };
        },
      },
    ],
  };
}

function activationCase(kind: ActivationKind, label: string, bugs: Bug[]): LayerCase {
  const n = N * 6;
  const p = rand(n, 6);
  const z0 = rand(n, 5, 1.5);
  return {
    id: kind,
    label,
    inputs: { z: { data: z0, shape: [N, 6] } },
    f64: (v) => project(R.activationRef(kind, v.z!), p),
    f32: (v) => projectR(R.activationRef(kind, fr(v).z!, F32), p, F32),
    exact: (v) => ({ z: R.activationBackwardRef(kind, v.z!, p) }),
    gpu: async (gpu, v) => ({ z: await read(await L.activationBackward(gpu, kind, host(v.z!, [N, 6]), host(p, [N, 6]))) }),
    forward: async (gpu) => ({
      gpu: await read(await L.activation(gpu, kind, host(z0, [N, 6]))),
      f64: R.activationRef(kind, z0),
      f32: R.activationRef(kind, z0, F32),
    }),
    bugs: bugs.map((b) => ({ ...b, grad: async (g, v) => ({ z: Float64Array.from((await b.grad(g, v)).z!, (d, i) => d * p[i]!) }) })),
  };
}

/** Φ(z) + zφ(z): the derivative of the erf form of GELU, planted against the tanh form's forward. */
function geluErfGrad(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  const phi = 0.5 * (1 + Math.sign(z) * erf);
  return phi + (z * Math.exp(-(z * z) / 2)) / Math.sqrt(2 * Math.PI);
}

function layerNormCase(): LayerCase {
  const W = 6;
  const p = rand(N * W, 10);
  const i0 = { x: rand(N * W, 7, 2), gamma: rand(W, 8), beta: rand(W, 9) };
  const y = (v: Vals, r: Round) => RN.layerNormRef(v.x!, [N, W], v.gamma!, v.beta!, 1e-5, r).y;
  const exact = (v: Vals) => {
    const f = RN.layerNormRef(v.x!, [N, W], v.gamma!, v.beta!);
    const g = RN.layerNormBackwardRef(v.x!, [N, W], v.gamma!, p, f.mean, f.rstd);
    return { x: g.dx, gamma: g.dgamma, beta: g.dbeta };
  };
  return {
    id: 'layernorm',
    label: 'LayerNorm (4 rows of 6)',
    inputs: { x: { data: i0.x, shape: [N, W] }, gamma: { data: i0.gamma, shape: [W] }, beta: { data: i0.beta, shape: [W] } },
    f64: (v) => project(y(v, F64), p),
    f32: (v) => projectR(y(fr(v), F32), p, F32),
    exact,
    gpu: async (gpu, v) => {
      const x = host(v.x!, [N, W]);
      const gamma = host(v.gamma!, [W]);
      const f = await NL.layerNorm(gpu, x, gamma, host(v.beta!, [W]));
      f.y.destroy();
      const g = await NL.layerNormBackward(gpu, x, gamma, host(p, [N, W]), f.stats);
      f.stats.destroy();
      return { x: await read(g.dx), gamma: await read(g.dgamma), beta: await read(g.dbeta) };
    },
    forward: async (gpu) => {
      const f = await NL.layerNorm(gpu, host(i0.x, [N, W]), host(i0.gamma, [W]), host(i0.beta, [W]));
      f.stats.destroy();
      return { gpu: await read(f.y), f64: y(i0, F64), f32: y(i0, F32) };
    },
    bugs: [
      {
        id: 'no-variance-term',
        label: 'dropped the gradient through σ²: dx = ρ(g − mean g)',
        grad: async (_g, v) => {
          const e = exact(v);
          const f = RN.layerNormRef(v.x!, [N, W], v.gamma!, v.beta!);
          const dx = new Float64Array(N * W);
          for (let r = 0; r < N; r++) {
            let m = 0;
            for (let j = 0; j < W; j++) m += (p[r * W + j]! * v.gamma![j]!) / W;
            for (let j = 0; j < W; j++) dx[r * W + j] = f.rstd[r]! * (p[r * W + j]! * v.gamma![j]! - m);
          }
          return { ...e, x: dx };
        },
      },
    ],
  };
}

function lossCase(kind: 'mse' | 'xent'): LayerCase {
  const C = 3;
  const labels = [0, 2, 1, 2];
  const target = rand(N * 2, 11);
  const z0 = kind === 'mse' ? rand(N * 2, 12) : rand(N * C, 13, 2);
  const shape = kind === 'mse' ? [N, 2] : [N, C];
  const f = (v: Vals, r: Round) => (kind === 'mse' ? RN.mseRef(v.z!, target, r) : RN.crossEntropyRef(v.z!, shape, labels, r));
  const run = async (gpu: Gpu, z: ArrayLike<number>) =>
    kind === 'mse' ? NL.mseLoss(gpu, host(z, shape), host(target, shape)) : NL.softmaxCrossEntropy(gpu, host(z, shape), host(labels, [N]));
  return {
    id: kind,
    label: kind === 'mse' ? 'Mean-squared error' : 'Softmax cross-entropy (fused, stable)',
    inputs: { z: { data: z0, shape } },
    f64: (v) => f(v, F64).loss,
    f32: (v) => f(fr(v), F32).loss,
    exact: (v) => ({ z: f(v, F64).grad }),
    gpu: async (gpu, v) => {
      const o = await run(gpu, v.z!);
      o.loss.destroy();
      return { z: await read(o.grad) };
    },
    forward: async (gpu) => {
      const o = await run(gpu, z0);
      o.grad.destroy();
      return { gpu: await read(o.loss), f64: [f({ z: z0 }, F64).loss], f32: [f({ z: z0 }, F32).loss] };
    },
    bugs: [
      kind === 'mse'
        ? { id: 'no-two', label: 'forgot the factor 2: (p − y)/n', grad: async (_g, v) => ({ z: f(v, F64).grad.map((d) => d / 2) }) }
        : {
            id: 'no-mean',
            label: 'forgot to divide by N: softmax − onehot',
            grad: async (_g, v) => ({ z: f(v, F64).grad.map((d) => d * N) }),
          },
    ],
  };
}

function timeCase(): LayerCase {
  const dim = 8;
  const t0 = Float64Array.from([0, 3, 40, 500]);
  const p = rand(N * dim, 14);
  return {
    id: 'time',
    label: 'Sinusoidal time embedding (dim 8)',
    inputs: { t: { data: t0, shape: [N] } },
    f64: (v) => project(R.timeEmbeddingRef(v.t!, dim), p),
    f32: (v) => projectR(R.timeEmbeddingRef(fr(v).t!, dim, undefined, F32), p, F32),
    exact: (v) => ({ t: R.timeEmbeddingBackwardRef(v.t!, p, dim) }),
    gpu: async (gpu, v) => ({ t: await read(await L.timeEmbeddingBackward(gpu, host(v.t!, [N]), host(p, [N, dim]), dim)) }),
    forward: async (gpu) => ({
      gpu: await read(await L.timeEmbedding(gpu, host(t0, [N]), dim)),
      f64: R.timeEmbeddingRef(t0, dim),
      f32: R.timeEmbeddingRef(t0, dim, undefined, F32),
    }),
    bugs: [
      {
        id: 'sign',
        label: 'wrong sign: d cos/dt = +ω sin',
        grad: async (_g, v) => {
          const flipped = Float64Array.from(p, (a, i) => (i % dim >= dim / 2 ? -a : a));
          return { t: R.timeEmbeddingBackwardRef(v.t!, flipped, dim) };
        },
      },
    ],
  };
}

/** Every layer of the page, by id. */
export function layerCases(): LayerCase[] {
  return [
    linearCase(),
    activationCase('relu', 'ReLU', [
      {
        id: 'leaky',
        label: 'derivative 0.01 for z < 0 (a leaky ReLU’s)',
        grad: async (_g, v) => ({ z: v.z!.map((z) => (z > 0 ? 1 : 0.01)) }),
      },
    ]),
    activationCase('gelu', 'GELU (tanh form)', [
      { id: 'erf', label: 'derivative of the erf form, forward in the tanh form', grad: async (_g, v) => ({ z: v.z!.map(geluErfGrad) }) },
    ]),
    activationCase('silu', 'SiLU', [
      {
        id: 'sigmoid',
        label: 'σ(z) only, the product rule forgotten',
        grad: async (_g, v) => ({ z: v.z!.map((z) => 1 / (1 + Math.exp(-z))) }),
      },
    ]),
    activationCase('tanh', 'tanh', [
      { id: 'one-minus', label: '1 − tanh instead of 1 − tanh²', grad: async (_g, v) => ({ z: v.z!.map((z) => 1 - Math.tanh(z)) }) },
    ]),
    layerNormCase(),
    lossCase('mse'),
    lossCase('xent'),
    timeCase(),
  ];
}
