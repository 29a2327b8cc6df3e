/**
 * The training layers' CPU-side contract, shared by the GPU kernels
 * (`src/kernels/train/`) and the float64 references (`src/reference/train/`): the
 * activation ids (the WGSL receives them as an `override`), the constants of the
 * tanh-form GELU, the sinusoidal time embedding's frequencies, and the resolution of
 * each layer's shapes with typed errors naming the shapes at fault. Pure: no GPU.
 *
 * Layouts are row-major: a batch of N rows. A linear layer computes
 * y[N, out] = x[N, in] · W[in, out] + b[out] (W stored [in, out], as in `mlp.ts`).
 */
import { InvalidArgumentError, ShapeError } from './errors';
import { assertValidShape } from './shape';

/** Activation ids, in the order of the WGSL `ACT` override's values (identity = no activation). */
export const ACTIVATION_IDS = { identity: 0, relu: 1, gelu: 2, silu: 3, tanh: 4 } as const;
export type ActivationKind = keyof typeof ACTIVATION_IDS;
export const ACTIVATION_KINDS = Object.keys(ACTIVATION_IDS) as ActivationKind[];

/**
 * GELU in its tanh form (Hendrycks & Gimpel, 2016):
 * gelu(z) = ½ z (1 + tanh(K0 (z + K1 z³))), K0 = √(2/π), K1 = 0.044715.
 * The WGSL gets them as override constants; the references use the same f32 values.
 */
export const GELU_CONSTANTS = Object.freeze({ GELU_K0: Math.fround(Math.sqrt(2 / Math.PI)), GELU_K1: Math.fround(0.044715) });

/** Throws `InvalidArgumentError` unless `kind` is an activation name. */
export function checkActivation(op: string, kind: unknown): ActivationKind {
  if (typeof kind !== 'string' || !Object.hasOwn(ACTIVATION_IDS, kind))
    throw new InvalidArgumentError(op, 'activation', kind, `one of ${ACTIVATION_KINDS.join(', ')}`);
  return kind as ActivationKind;
}

/** A resolved dense layer: N rows of `inDim` in, `outDim` out. */
export interface LinearProblem {
  N: number;
  inDim: number;
  outDim: number;
}

function rank2(op: string, name: string, shape: readonly number[], shapes: Record<string, readonly number[]>): [number, number] {
  assertValidShape(op, name, shape);
  if (shape.length !== 2) throw new ShapeError(op, `${name} must have rank 2, got rank ${shape.length}`, shapes);
  return [shape[0]!, shape[1]!];
}

function rank1(op: string, name: string, shape: readonly number[], shapes: Record<string, readonly number[]>): number {
  assertValidShape(op, name, shape);
  if (shape.length !== 1) throw new ShapeError(op, `${name} must have rank 1, got rank ${shape.length}`, shapes);
  return shape[0]!;
}

/**
 * Resolves y = x·W + b: x [N, in], w [in, out], b [out] (or null).
 * @throws ShapeError naming every shape when ranks or sizes disagree
 */
export function resolveLinear(op: string, x: readonly number[], w: readonly number[], b: readonly number[] | null): LinearProblem {
  const shapes: Record<string, readonly number[]> = b ? { x, w, b } : { x, w };
  const [N, inDim] = rank2(op, 'x', x, shapes);
  const [wIn, outDim] = rank2(op, 'w', w, shapes);
  if (wIn !== inDim) throw new ShapeError(op, `x has ${inDim} features but w expects ${wIn} (w is [in, out])`, shapes);
  if (b) {
    const bn = rank1(op, 'b', b, shapes);
    if (bn !== outDim) throw new ShapeError(op, `b has ${bn} entries but w has ${outDim} outputs`, shapes);
  }
  return { N, inDim, outDim };
}

/**
 * Resolves the backward pass of a linear layer: x [N, in], w [in, out], dy [N, out].
 * @throws ShapeError naming every shape when they disagree
 */
export function resolveLinearBackward(op: string, x: readonly number[], w: readonly number[], dy: readonly number[]): LinearProblem {
  const p = resolveLinear(op, x, w, null);
  const shapes = { x, w, dy };
  const [n, out] = rank2(op, 'dy', dy, shapes);
  if (n !== p.N || out !== p.outDim) throw new ShapeError(op, `dy must be [${p.N}, ${p.outDim}] (rows of x, outputs of w)`, shapes);
  return p;
}

/** Throws `ShapeError` unless `a` and `b` have the same shape. Returns the element count. */
export function resolveSameShape(op: string, aName: string, a: readonly number[], bName: string, b: readonly number[]): number {
  const shapes = { [aName]: a, [bName]: b };
  assertValidShape(op, aName, a);
  assertValidShape(op, bName, b);
  if (a.length !== b.length || a.some((d, i) => d !== b[i]))
    throw new ShapeError(op, `${aName} and ${bName} must have the same shape`, shapes);
  return a.reduce((p, d) => p * d, 1);
}

/** A resolved row-wise problem: N rows of D values (LayerNorm, softmax cross-entropy). */
export interface RowsProblem {
  N: number;
  D: number;
}

/** Largest LayerNorm width and class count: one invocation walks a whole row. */
export const MAX_ROW_WIDTH = 4096;

/**
 * Resolves LayerNorm over the last axis: x [N, D], gamma [D], beta [D] (or null), eps > 0.
 * @throws ShapeError for mismatched shapes, InvalidArgumentError for a bad eps or a row past MAX_ROW_WIDTH
 */
export function resolveLayerNorm(
  op: string,
  x: readonly number[],
  gamma: readonly number[],
  beta: readonly number[] | null,
  eps: unknown,
): RowsProblem {
  const shapes: Record<string, readonly number[]> = beta ? { x, gamma, beta } : { x, gamma };
  const [N, D] = rank2(op, 'x', x, shapes);
  if (rank1(op, 'gamma', gamma, shapes) !== D) throw new ShapeError(op, `gamma must have ${D} entries (the width of x)`, shapes);
  if (beta && rank1(op, 'beta', beta, shapes) !== D) throw new ShapeError(op, `beta must have ${D} entries (the width of x)`, shapes);
  if (D > MAX_ROW_WIDTH) throw new InvalidArgumentError(op, 'x.shape[1]', D, `at most ${MAX_ROW_WIDTH}`);
  if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw new InvalidArgumentError(op, 'eps', eps, 'a number in (0, 1)');
  return { N, D };
}

/**
 * Resolves softmax cross-entropy: logits [N, C], labels [N] (class indices, as numbers).
 * @throws ShapeError for mismatched shapes, InvalidArgumentError for C past MAX_ROW_WIDTH
 */
export function resolveCrossEntropy(op: string, logits: readonly number[], labels: readonly number[]): RowsProblem {
  const shapes = { logits, labels };
  const [N, C] = rank2(op, 'logits', logits, shapes);
  if (rank1(op, 'labels', labels, shapes) !== N) throw new ShapeError(op, `labels must have one entry per row of logits (${N})`, shapes);
  if (C > MAX_ROW_WIDTH) throw new InvalidArgumentError(op, 'logits.shape[1]', C, `at most ${MAX_ROW_WIDTH}`);
  return { N, D: C };
}

/** Throws `InvalidArgumentError` unless every label is an integer class index in [0, C). */
export function checkLabels(op: string, labels: ArrayLike<number>, C: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= C) throw new InvalidArgumentError(op, `labels[${i}]`, v, `an integer class in [0, ${C})`);
  }
}

/** A resolved sinusoidal time embedding: N timesteps to `dim` features. */
export interface TimeEmbeddingProblem {
  N: number;
  dim: number;
  maxPeriod: number;
}

/** Default longest period of the time embedding (Vaswani et al.; Ho et al. use the same). */
export const DEFAULT_MAX_PERIOD = 10_000;

/**
 * Resolves emb[N, dim] = [sin(t·ω_0 … t·ω_{h−1}), cos(t·ω_0 … t·ω_{h−1})], h = dim/2.
 * @throws ShapeError unless t is [N]; InvalidArgumentError for an odd or non-positive dim or a bad maxPeriod
 */
export function resolveTimeEmbedding(
  op: string,
  t: readonly number[],
  dim: unknown,
  maxPeriod: unknown = DEFAULT_MAX_PERIOD,
): TimeEmbeddingProblem {
  const N = rank1(op, 't', t, { t });
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 2 || dim % 2 !== 0 || dim > MAX_ROW_WIDTH)
    throw new InvalidArgumentError(op, 'dim', dim, `an even integer in [2, ${MAX_ROW_WIDTH}]`);
  if (typeof maxPeriod !== 'number' || !(maxPeriod > 1 && maxPeriod <= 1e9))
    throw new InvalidArgumentError(op, 'maxPeriod', maxPeriod, 'a number in (1, 1e9]');
  return { N, dim, maxPeriod };
}

/**
 * The embedding's angular frequencies ω_k = maxPeriod^(−k/h), k < h = dim/2, computed in
 * float64 and rounded to f32 once: the kernel reads this table (WGSL's exp and pow are
 * too loose), and the references use the same values.
 */
export function timeFrequencies(dim: number, maxPeriod = DEFAULT_MAX_PERIOD): Float32Array {
  const h = dim / 2;
  const out = new Float32Array(h);
  for (let k = 0; k < h; k++) out[k] = Math.exp((-Math.log(maxPeriod) * k) / h);
  return out;
}
