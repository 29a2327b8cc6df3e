/**
 * CPU reference of `softmax`: plain loops, float64 (or, with precision 'f32', every
 * step rounded to f32 with Math.fround: the baseline of the tolerance rule).
 * Same semantics as the kernel: a logit x + bias below −1e30 (−∞ included) is
 * masked and gets 0 (log: −∞); a fully masked row gives all 0 (log: all −∞).
 */
import { assertHostTensor, type HostTensor } from '../problem/shape';
import { resolveSoftmax } from '../problem/softmax';
import { InvalidArgumentError } from '../problem/errors';

export type Precision = 'f64' | 'f32';

/** Float64 (or f32-rounded) result with its shape. */
export interface ReferenceResult<T extends Float64Array | Float32Array = Float64Array | Float32Array> {
  data: T;
  shape: number[];
}

/** The rounding of one arithmetic step for a precision. */
export function rounder(precision: Precision): (x: number) => number {
  return precision === 'f32' ? Math.fround : (x: number) => x;
}

/** Stable softmax (or log-softmax) of one row of logits, masked entries given as −∞. */
export function softmaxRow(s: ArrayLike<number>, log: boolean, precision: Precision, out: Float64Array | Float32Array, offset = 0): void {
  const r = rounder(precision);
  let m = -Infinity;
  // Masked means below −1e30: a NaN logit is not masked, and makes its row NaN as IEEE arithmetic does.
  const kept = (x: number) => !(x < -1e30);
  for (let j = 0; j < s.length; j++) if (kept(s[j]!) && s[j]! > m) m = s[j]!;
  let sum = 0;
  for (let j = 0; j < s.length; j++) if (kept(s[j]!)) sum = r(sum + r(Math.exp(r(s[j]! - m))));
  const logSum = r(Math.log(sum));
  for (let j = 0; j < s.length; j++) {
    const keep = kept(s[j]!);
    if (log) out[offset + j] = keep ? r(r(s[j]! - m) - logSum) : -Infinity;
    else out[offset + j] = keep ? r(r(Math.exp(r(s[j]! - m))) / sum) : 0;
  }
}

/**
 * softmax(x + bias) along the last axis. `bias` has the trailing dims of x and is
 * broadcast over the leading ones, as in the kernel.
 */
export function softmaxReference(
  x: HostTensor,
  opts: { bias?: HostTensor; log?: boolean } = {},
  precision: Precision = 'f64',
): ReferenceResult {
  const op = 'softmaxReference';
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new InvalidArgumentError(op, 'options', opts, 'an options object or undefined');
  }
  assertHostTensor(op, 'x', x);
  // Given means not undefined, as in the kernel: a null or 0 bias is bad input, not "no bias".
  if (opts.bias !== undefined) assertHostTensor(op, 'bias', opts.bias);
  const { len, rows, biasRows, log } = resolveSoftmax(op, x.shape, opts, opts.bias !== undefined ? opts.bias.shape : null);
  const r = rounder(precision);
  const out = precision === 'f32' ? new Float32Array(rows * len) : new Float64Array(rows * len);
  const s = new Float64Array(len);
  for (let row = 0; row < rows; row++) {
    const bRow = biasRows > 0 ? row % biasRows : 0;
    for (let j = 0; j < len; j++) {
      const b = opts.bias && biasRows > 0 ? opts.bias.data[bRow * len + j]! : 0;
      const v = r(x.data[row * len + j]! + b);
      s[j] = v < -1e30 ? -Infinity : v;
    }
    softmaxRow(s, log, precision, out, row * len);
  }
  return { data: out, shape: [...x.shape] };
}
