/**
 * The CPU reference for `matmul`: the same semantics (transposes, batch,
 * broadcasting, alpha, the same validation and errors) on host data, in plain
 * loops. It is the tests' oracle, the benchmark's error column and the demo's
 * fallback where WebGPU is missing.
 */
import type { HostTensor } from '../problem/shape';
import { assertHostTensor, isHostTensor } from '../problem/shape';
import { InvalidArgumentError } from '../problem/errors';
import { resolveMatmulOptions, resolveMatmulProblem, type MatmulOptions } from '../problem/matmul';

/** `'f64'`: float64 accumulation (the oracle). `'f32'`: `Math.fround` after every step (the f32 baseline). */
export type MatmulPrecision = 'f64' | 'f32';

/**
 * C = alpha · op(A) · op(B) on the CPU, summing k = 0..K-1 in order.
 * Shapes and options as for `matmul` (its `variant` is ignored here).
 * @throws InvalidArgumentError, ShapeError as `matmul` does.
 */
export function matmulReference(
  a: HostTensor,
  b: HostTensor,
  opts?: Omit<MatmulOptions, 'variant'>,
  precision: MatmulPrecision = 'f64',
): { data: Float64Array | Float32Array; shape: number[] } {
  const op = 'matmulReference';
  for (const [name, x] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!isHostTensor(x)) throw new InvalidArgumentError(op, name, x, '{data: Float32Array | number[], shape: number[]}');
    assertHostTensor(op, name, x);
  }
  if (precision !== 'f64' && precision !== 'f32') throw new InvalidArgumentError(op, 'precision', precision, "'f64' or 'f32'");
  const options = resolveMatmulOptions(op, typeof opts === 'object' && opts !== null ? { ...opts, variant: undefined } : opts);
  const p = resolveMatmulProblem(op, a.shape, b.shape, options);
  const A = a.data;
  const B = b.data;
  const f32 = precision === 'f32';
  const round = f32 ? Math.fround : (x: number) => x;
  const alpha = round(p.alpha);
  const C = f32 ? new Float32Array(p.cSize) : new Float64Array(p.cSize);
  for (let bi = 0; bi < p.batch; bi++) {
    for (let m = 0; m < p.M; m++) {
      const aBase = bi * p.aBatch + m * p.aRow;
      for (let n = 0; n < p.N; n++) {
        const bBase = bi * p.bBatch + n * p.bCol;
        let acc = 0;
        if (f32) {
          for (let k = 0; k < p.K; k++) acc = Math.fround(acc + Math.fround(A[aBase + k * p.aCol]! * B[bBase + k * p.bRow]!));
        } else {
          for (let k = 0; k < p.K; k++) acc += A[aBase + k * p.aCol]! * B[bBase + k * p.bRow]!;
        }
        C[(bi * p.M + m) * p.N + n] = round(alpha * acc);
      }
    }
  }
  return { data: C, shape: p.outShape };
}

/**
 * The elementwise error bound of f32 matmul, `2·K·u·|alpha|·(|A||B|)` with u = 2⁻²⁴
 * (K taken as at least 1, for the rounding of the product by alpha): a float64
 * array of the same shape as C. Tests check `|C − C*| ≤ bound` element by element.
 */
export function matmulErrorBound(a: HostTensor, b: HostTensor, opts?: Omit<MatmulOptions, 'variant'>): Float64Array {
  const abs = (x: HostTensor): HostTensor => ({ data: Array.from(x.data, Math.abs), shape: x.shape });
  const options = { ...opts, alpha: Math.abs(opts?.alpha ?? 1) };
  const magnitude = matmulReference(abs(a), abs(b), options, 'f64');
  const K = resolveMatmulProblem('matmulErrorBound', a.shape, b.shape, resolveMatmulOptions('matmulErrorBound', options)).K;
  const scale = 2 * Math.max(K, 1) * 2 ** -24;
  return Float64Array.from(magnitude.data, (x) => scale * x);
}
