/**
 * CPU references of the training layers and their backward passes: the linear
 * layer, the activations (ReLU, GELU in tanh form, SiLU, tanh) and the sinusoidal
 * time embedding. Row-major arrays, float64 by default; `r` rounds after every
 * operation (`F32`: the f32 baseline of the tolerance rule), in the order of the
 * WGSL twins in shaders/train/. Shapes are checked with the rules of
 * src/problem/train-layers.ts, so bad input raises the kernels' typed errors.
 */
import {
  ACTIVATION_IDS,
  GELU_CONSTANTS,
  resolveLinear,
  resolveLinearBackward,
  resolveTimeEmbedding,
  timeFrequencies,
  type ActivationKind,
} from '../../problem/train-layers';
import { ShapeError } from '../../problem/errors';
import { F64, type Round } from '../surfaces';

type Values = ArrayLike<number>;

/** y[N, out] = x[N, in] · w[in, out] + b[out] (b optional). */
export function linearRef(
  x: Values,
  xShape: readonly number[],
  w: Values,
  wShape: readonly number[],
  b: Values | null,
  r: Round = F64,
): Float64Array {
  const { N, inDim, outDim } = resolveLinear('linearRef', xShape, wShape, b ? [b.length] : null);
  const y = new Float64Array(N * outDim);
  for (let n = 0; n < N; n++)
    for (let j = 0; j < outDim; j++) {
      let s = 0;
      for (let k = 0; k < inDim; k++) s = r(s + r(x[n * inDim + k]! * w[k * outDim + j]!));
      y[n * outDim + j] = b ? r(s + b[j]!) : s;
    }
  return y;
}

/** The linear layer's gradients: dx = dy·wᵀ [N, in], dw = xᵀ·dy [in, out], db = Σ_n dy [out]. */
export function linearBackwardRef(
  x: Values,
  xShape: readonly number[],
  w: Values,
  wShape: readonly number[],
  dy: Values,
  r: Round = F64,
): { dx: Float64Array; dw: Float64Array; db: Float64Array } {
  const { N, inDim, outDim } = resolveLinearBackward('linearBackwardRef', xShape, wShape, [xShape[0] ?? 0, wShape[1] ?? 0]);
  if (dy.length !== N * outDim) throw new ShapeError('linearBackwardRef', `dy holds ${dy.length} values, not [${N}, ${outDim}]`);
  const dx = new Float64Array(N * inDim);
  const dw = new Float64Array(inDim * outDim);
  const db = new Float64Array(outDim);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < inDim; k++) {
      let s = 0;
      for (let j = 0; j < outDim; j++) s = r(s + r(dy[n * outDim + j]! * w[k * outDim + j]!));
      dx[n * inDim + k] = s;
    }
  for (let k = 0; k < inDim; k++)
    for (let j = 0; j < outDim; j++) {
      let s = 0;
      for (let n = 0; n < N; n++) s = r(s + r(x[n * inDim + k]! * dy[n * outDim + j]!));
      dw[k * outDim + j] = s;
    }
  for (let j = 0; j < outDim; j++) {
    let s = 0;
    for (let n = 0; n < N; n++) s = r(s + dy[n * outDim + j]!);
    db[j] = s;
  }
  return { dx, dw, db };
}

/** tanh as the kernels compute it: sign(z)·(1 − e^(−2|z|))/(1 + e^(−2|z|)), stable for any z. */
export function tanhStable(z: number, r: Round = F64): number {
  const e = r(Math.exp(r(-2 * Math.abs(z))));
  const y = r(r(1 - e) / r(1 + e));
  return z < 0 ? -y : y;
}

function sigmoid(z: number, r: Round): number {
  return r(1 / r(1 + r(Math.exp(-z))));
}

/** One activation value. */
export function activate(kind: ActivationKind, z: number, r: Round = F64): number {
  switch (kind) {
    case 'identity':
      return z;
    case 'relu':
      return z > 0 ? z : 0;
    case 'tanh':
      return tanhStable(z, r);
    case 'silu':
      return r(z * sigmoid(z, r));
    case 'gelu': {
      const { GELU_K0: k0, GELU_K1: k1 } = GELU_CONSTANTS;
      const u = r(k0 * r(z + r(k1 * r(r(z * z) * z))));
      return r(r(0.5 * z) * r(1 + tanhStable(u, r)));
    }
  }
}

/** The activation's derivative at z. */
export function activateGrad(kind: ActivationKind, z: number, r: Round = F64): number {
  switch (kind) {
    case 'identity':
      return 1;
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'tanh': {
      const y = tanhStable(z, r);
      return r(1 - r(y * y));
    }
    case 'silu': {
      const s = sigmoid(z, r);
      return r(s * r(1 + r(z * r(1 - s))));
    }
    case 'gelu': {
      const { GELU_K0: k0, GELU_K1: k1 } = GELU_CONSTANTS;
      const z2 = r(z * z);
      const th = tanhStable(r(k0 * r(z + r(k1 * r(z2 * z)))), r);
      const left = r(0.5 * r(1 + th));
      const right = r(r(r(0.5 * z) * r(1 - r(th * th))) * r(k0 * r(1 + r(r(3 * k1) * z2))));
      return r(left + right);
    }
  }
}

/** h = act(z), element-wise. */
export function activationRef(kind: ActivationKind, z: Values, r: Round = F64): Float64Array {
  if (!Object.hasOwn(ACTIVATION_IDS, kind)) throw new RangeError(`activationRef: unknown activation ${String(kind)}`);
  return Float64Array.from(z, (v) => activate(kind, v, r));
}

/** dz = dh ⊙ act′(z), element-wise. */
export function activationBackwardRef(kind: ActivationKind, z: Values, dh: Values, r: Round = F64): Float64Array {
  if (z.length !== dh.length) throw new RangeError(`activationBackwardRef: z has ${z.length} values, dh ${dh.length}`);
  return Float64Array.from(z, (v, i) => r(dh[i]! * activateGrad(kind, v, r)));
}

/** emb[N, dim] = [sin(t·ω_k) for k < h, cos(t·ω_k) for k < h], ω from `timeFrequencies` (f32). */
export function timeEmbeddingRef(t: Values, dim: number, maxPeriod?: number, r: Round = F64): Float64Array {
  const { N } = resolveTimeEmbedding('timeEmbeddingRef', [t.length], dim, maxPeriod);
  const w = timeFrequencies(dim, maxPeriod);
  const h = dim / 2;
  const out = new Float64Array(N * dim);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < h; k++) {
      const a = r(t[n]! * w[k]!);
      out[n * dim + k] = r(Math.sin(a));
      out[n * dim + h + k] = r(Math.cos(a));
    }
  return out;
}

/** dt[N] = Σ_k demb[n, k]·ω_k·cos(t·ω_k) − demb[n, h + k]·ω_k·sin(t·ω_k). */
export function timeEmbeddingBackwardRef(t: Values, demb: Values, dim: number, maxPeriod?: number, r: Round = F64): Float64Array {
  const { N } = resolveTimeEmbedding('timeEmbeddingBackwardRef', [t.length], dim, maxPeriod);
  const w = timeFrequencies(dim, maxPeriod);
  const h = dim / 2;
  const dt = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let k = 0; k < h; k++) {
      const a = r(t[n]! * w[k]!);
      const g = r(r(demb[n * dim + k]! * r(Math.cos(a))) - r(demb[n * dim + h + k]! * r(Math.sin(a))));
      s = r(s + r(g * w[k]!));
    }
    dt[n] = s;
  }
  return dt;
}
