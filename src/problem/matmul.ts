/**
 * Matmul's CPU-side contract, shared by the GPU launcher and the CPU reference:
 * the variant names, the options, and the resolution of two operand shapes into
 * one problem (batch, M, N, K plus the strides that express transposes and
 * broadcasting). Pure: no GPU, no DOM, so it runs in Node too.
 */
import { InvalidArgumentError, ShapeError } from './errors';
import { assertValidShape } from './shape';

/** The rungs of the ladder, slowest first. */
export type MatmulVariant = 'naive' | 'tiled' | 'register' | 'direct' | 'subgroup';

/** Every variant, in ladder order. `subgroup` needs the device feature `subgroups`. */
export const MATMUL_VARIANTS: readonly MatmulVariant[] = Object.freeze(['naive', 'tiled', 'register', 'direct', 'subgroup'] as const);

export interface MatmulOptions {
  /** Which kernel; `'auto'` (the default) picks the fastest correct one for the device and shape. */
  variant?: MatmulVariant | 'auto';
  /** Use Aᵀ: `a` is then [K, M] or [B, K, M]. */
  transposeA?: boolean;
  /** Use Bᵀ: `b` is then [N, K] or [B, N, K]. */
  transposeB?: boolean;
  /** Scale of the product: C = alpha · op(A) · op(B). Default 1; must be finite. */
  alpha?: number;
}

/** One resolved matmul problem. Strides are in elements; a batch stride of 0 broadcasts. */
export interface MatmulProblem {
  batch: number;
  M: number;
  N: number;
  K: number;
  /** Output shape: [M, N] when both operands are rank 2, else [batch, M, N]. */
  outShape: number[];
  /** op(A)[bi, m, k] = a[bi·aBatch + m·aRow + k·aCol]. */
  aBatch: number;
  aRow: number;
  aCol: number;
  /** op(B)[bi, k, n] = b[bi·bBatch + k·bRow + n·bCol]. */
  bBatch: number;
  bRow: number;
  bCol: number;
  /** Element counts of the operands and the output. */
  aSize: number;
  bSize: number;
  cSize: number;
  alpha: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** Validates the options record; returns it with defaults filled in. */
export function resolveMatmulOptions(op: string, opts: unknown): Required<MatmulOptions> {
  if (opts === undefined) return { variant: 'auto', transposeA: false, transposeB: false, alpha: 1 };
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new InvalidArgumentError(op, 'options', opts, 'an options object or undefined');
  }
  const o = opts as Record<string, unknown>;
  const variant = o.variant ?? 'auto';
  if (variant !== 'auto' && !MATMUL_VARIANTS.includes(variant as MatmulVariant)) {
    throw new InvalidArgumentError(op, 'variant', variant, `'auto' or one of ${MATMUL_VARIANTS.map((v) => `'${v}'`).join(', ')}`);
  }
  for (const flag of ['transposeA', 'transposeB'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw new InvalidArgumentError(op, flag, o[flag], 'a boolean');
  }
  const alpha = o.alpha ?? 1;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new InvalidArgumentError(op, 'alpha', alpha, 'a finite number');
  return {
    variant: variant as MatmulVariant | 'auto',
    transposeA: o.transposeA === true,
    transposeB: o.transposeB === true,
    alpha,
  };
}

/**
 * Resolves `op(A)·op(B)` from the two shapes. Ranks 2 or 3; a rank-2 operand (or a
 * batch of 1) is broadcast over the other's batch. Throws `ShapeError` naming both
 * shapes when ranks, batches or the inner dimensions disagree.
 */
export function resolveMatmulProblem(
  op: string,
  aShape: readonly number[],
  bShape: readonly number[],
  opts: Required<MatmulOptions>,
): MatmulProblem {
  assertValidShape(op, 'a', aShape);
  assertValidShape(op, 'b', bShape);
  const shapes = { a: aShape, b: bShape };
  for (const [name, s] of Object.entries(shapes)) {
    if (s.length !== 2 && s.length !== 3) throw new ShapeError(op, `${name} must have rank 2 or 3, got rank ${s.length}`, shapes);
  }
  const aBatchDim = aShape.length === 3 ? aShape[0]! : 1;
  const bBatchDim = bShape.length === 3 ? bShape[0]! : 1;
  const [aR, aC] = aShape.slice(-2) as [number, number];
  const [bR, bC] = bShape.slice(-2) as [number, number];
  const [M, Ka] = opts.transposeA ? [aC, aR] : [aR, aC];
  const [Kb, N] = opts.transposeB ? [bC, bR] : [bR, bC];
  if (Ka !== Kb) {
    const how = `${opts.transposeA ? 'aᵀ' : 'a'} has K = ${Ka} but ${opts.transposeB ? 'bᵀ' : 'b'} has K = ${Kb}`;
    throw new ShapeError(op, `inner dimensions differ: ${how}`, shapes);
  }
  const rank3 = aShape.length === 3 || bShape.length === 3;
  let batch = 1;
  if (aShape.length === 3 && bShape.length === 3) {
    if (aBatchDim !== bBatchDim && aBatchDim !== 1 && bBatchDim !== 1) {
      throw new ShapeError(op, `batch sizes differ: ${aBatchDim} vs ${bBatchDim}`, shapes);
    }
    batch = aBatchDim === 1 ? bBatchDim : aBatchDim;
  } else if (rank3) {
    batch = aShape.length === 3 ? aBatchDim : bBatchDim;
  }
  const K = Ka;
  return {
    batch,
    M,
    N,
    K,
    outShape: rank3 ? [batch, M, N] : [M, N],
    aBatch: aBatchDim === 1 ? 0 : M * K,
    aRow: opts.transposeA ? 1 : K,
    aCol: opts.transposeA ? M : 1,
    bBatch: bBatchDim === 1 ? 0 : K * N,
    bRow: opts.transposeB ? 1 : N,
    bCol: opts.transposeB ? K : 1,
    aSize: aBatchDim * M * K,
    bSize: bBatchDim * K * N,
    cSize: batch * M * N,
    alpha: opts.alpha,
    transposeA: opts.transposeA,
    transposeB: opts.transposeB,
  };
}
