/**
 * CPU-side validation of shapes and tensor-like arguments. Every kernel runs these
 * before any GPU call, so bad input fails fast with a message naming the shapes.
 */
import { InvalidArgumentError, ShapeError } from './errors';

/** Row-major f32 data with its shape, accepted wherever a `Tensor` is. */
export interface HostTensor {
  data: Float32Array | readonly number[];
  shape: readonly number[];
}

/** Product of the dimensions (1 for a scalar shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws `ShapeError` unless every dimension is a non-negative integer. */
export function assertValidShape(op: string, name: string, shape: unknown): asserts shape is number[] {
  if (!Array.isArray(shape)) throw new InvalidArgumentError(op, `${name}.shape`, shape, 'an array of non-negative integers');
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `${name} dimension ${i} is ${String(d)}; sizes must be non-negative integers`, {
        [name]: shape.map((x) => (typeof x === 'number' ? x : NaN)),
      });
    }
  });
}

/** Throws unless `shape` has exactly `rank` dimensions. */
export function assertRank(op: string, name: string, shape: readonly number[], ranks: readonly number[]): void {
  if (!ranks.includes(shape.length)) {
    throw new ShapeError(op, `${name} must have rank ${ranks.join(' or ')}, got rank ${shape.length}`, { [name]: shape });
  }
}

/** Whether `x` looks like `{data, shape}` host data (not a Tensor). */
export function isHostTensor(x: unknown): x is HostTensor {
  return (
    typeof x === 'object' &&
    x !== null &&
    'data' in x &&
    'shape' in x &&
    (x.data instanceof Float32Array || Array.isArray(x.data)) &&
    Array.isArray(x.shape)
  );
}

/** Validates host data: a proper shape and a data length equal to its product. */
export function assertHostTensor(op: string, name: string, x: HostTensor): void {
  assertValidShape(op, name, x.shape);
  const expected = shapeSize(x.shape);
  if (x.data.length !== expected) {
    throw new ShapeError(op, `${name} has ${x.data.length} values but its shape holds ${expected}`, { [name]: x.shape });
  }
}
