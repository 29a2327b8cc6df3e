/**
 * Softmax's CPU-side contract, shared by the kernel launcher and the CPU
 * reference: option validation and shape resolution. Pure (runs in Node).
 */
import { InvalidArgumentError, ShapeError } from './errors';
import { shapeSize } from './shape';

/** Validates softmax's arguments; returns the shapes. Throws before any GPU work. */
export function resolveSoftmax(op: string, xShape: readonly number[], opts: unknown, biasShape: readonly number[] | null) {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) {
    throw new InvalidArgumentError(op, 'options', opts, 'an options object or undefined');
  }
  const o = (opts ?? {}) as Record<string, unknown>;
  if (o.log !== undefined && typeof o.log !== 'boolean') throw new InvalidArgumentError(op, 'log', o.log, 'a boolean');
  if (xShape.length < 1) throw new ShapeError(op, 'x must have rank ≥ 1 (softmax runs along the last axis)', { x: xShape });
  const len = xShape[xShape.length - 1]!;
  const rows = len === 0 ? 0 : shapeSize(xShape) / len;
  let biasRows = 0;
  if (biasShape) {
    const suffix = xShape.slice(xShape.length - biasShape.length);
    if (biasShape.length < 1 || biasShape.length > xShape.length || !biasShape.every((n, i) => n === suffix[i])) {
      throw new ShapeError(op, 'bias must have the trailing dims of x (it is broadcast over the leading ones)', {
        x: xShape,
        bias: biasShape,
      });
    }
    biasRows = len === 0 ? 0 : shapeSize(biasShape) / len;
  }
  return { len, rows, biasRows, log: o.log === true };
}
