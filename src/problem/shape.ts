/**
 * CPU-side validation of shapes, tensor-like arguments and number lists. Every kernel
 * runs these before any GPU call, so bad input fails fast with a message naming the
 * shapes or values at fault.
 */
import { InvalidArgumentError, LimitExceededError, ShapeError } from './errors';
import { MAX_DIMENSION, MAX_RANK } from './limits';

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

/** The shape for an error message: entries that are not numbers show as NaN. */
function numeric(shape: readonly unknown[]): number[] {
  return Array.from(shape.slice(0, MAX_RANK), (x) => (typeof x === 'number' ? x : NaN));
}

/**
 * Throws unless `shape` is an array of at most `MAX_RANK` dimensions, each a
 * non-negative integer: `InvalidArgumentError` for a non-array, `ShapeError` for a bad
 * rank or dimension (a string, NaN, a negative or fractional size, a hole), and
 * `LimitExceededError` for a dimension past `MAX_DIMENSION`.
 */
export function assertValidShape(op: string, name: string, shape: unknown): asserts shape is number[] {
  if (!Array.isArray(shape)) throw new InvalidArgumentError(op, `${name}.shape`, shape, 'an array of non-negative integers');
  if (shape.length > MAX_RANK) {
    throw new ShapeError(op, `${name} has rank ${shape.length}; ranks up to ${MAX_RANK} are supported`, { [name]: numeric(shape) });
  }
  // An index loop, not forEach: a hole ([, 2]) must fail too.
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `${name} dimension ${i} is ${String(d)}; sizes must be non-negative integers`, {
        [name]: numeric(shape),
      });
    }
    if (d > MAX_DIMENSION) {
      throw new LimitExceededError(op, 'dimension', d, MAX_DIMENSION, `${name} dimension ${i} of [${numeric(shape).join(', ')}]`);
    }
  }
}

/** Throws unless `shape` has exactly `rank` dimensions. */
export function assertRank(op: string, name: string, shape: readonly number[], ranks: readonly number[]): void {
  if (!ranks.includes(shape.length)) {
    throw new ShapeError(op, `${name} must have rank ${ranks.join(' or ')}, got rank ${shape.length}`, { [name]: shape });
  }
}

/** Whether `x` looks like `{data, shape}` host data (not a Tensor); its entries are checked by `assertHostTensor`. */
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

/** What `{data, shape}` host data must be, for error messages. */
export const HOST_TENSOR_EXPECTED = '{data: Float32Array | number[], shape: number[]}';

/**
 * Validates host data: `{data, shape}` with a proper shape, a data length equal to its
 * product, and, for a plain array, a number in every entry (NaN and ±Infinity are
 * numbers and pass: they propagate through the kernels like IEEE values).
 * @throws InvalidArgumentError for something that is not `{data, shape}` or an entry that is not a number
 * @throws ShapeError / LimitExceededError for a bad shape or a length that is not its product
 */
export function assertHostTensor(op: string, name: string, x: unknown): asserts x is HostTensor {
  if (!isHostTensor(x)) throw new InvalidArgumentError(op, name, x, HOST_TENSOR_EXPECTED);
  assertValidShape(op, name, x.shape);
  const expected = shapeSize(x.shape);
  if (x.data.length !== expected) {
    throw new ShapeError(op, `${name} has ${x.data.length} values but its shape holds ${expected}`, { [name]: x.shape });
  }
  if (!(x.data instanceof Float32Array)) assertNumberArray(op, `${name}.data`, x.data, 'a number');
}

/** Whether `x` is a plain array or a typed array of numbers (not a BigInt array, not a DataView). */
function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<unknown> {
  if (Array.isArray(x)) return true;
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

/**
 * Throws `InvalidArgumentError` unless `x` is an array or a typed array whose every
 * entry is a number accepted by `check` (default: any number, NaN included). A string,
 * null, an object, a BigInt or a hole fails, named by its index. `expected` describes
 * one entry, e.g. `'an integer in [0, 9]'`.
 */
export function assertNumberArray(
  op: string,
  name: string,
  x: unknown,
  expected: string,
  check: (v: number) => boolean = () => true,
): asserts x is ArrayLike<number> {
  if (!isArrayLikeOfNumbers(x)) throw new InvalidArgumentError(op, name, x, `an array whose entries are each ${expected}`);
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    if (typeof v !== 'number' || !check(v)) throw new InvalidArgumentError(op, `${name}[${i}]`, v, expected);
  }
}
