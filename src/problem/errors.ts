/**
 * The typed errors of kernelscope. Every message names the operation and the
 * shapes, values or limits at fault, so a reader can act on it without a debugger.
 */

/** Base class: `op` is the operation that raised it (e.g. `matmul`). */
export class KernelscopeError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = new.target.name;
    this.op = op;
  }
}

/** Shapes that do not fit together, or data whose length is not the shape's product. */
export class ShapeError extends KernelscopeError {
  readonly shapes: Record<string, readonly number[]>;
  constructor(op: string, message: string, shapes: Record<string, readonly number[]> = {}) {
    const named = Object.entries(shapes)
      .map(([k, s]) => `${k}=[${s.join(', ')}]`)
      .join(', ');
    super(op, named ? `${message} (${named})` : message);
    this.shapes = shapes;
  }
}

/** An argument of the right kind but a bad value: an unknown variant, a non-finite scale. */
export class InvalidArgumentError extends KernelscopeError {
  readonly argument: string;
  readonly value: unknown;
  constructor(op: string, argument: string, value: unknown, expected: string) {
    super(op, `${argument} must be ${expected}, got ${describe(value)}`);
    this.argument = argument;
    this.value = value;
  }
}

/** A request past what this device allows. */
export class LimitExceededError extends KernelscopeError {
  readonly limit: string;
  readonly requested: number;
  readonly available: number;
  constructor(op: string, limit: string, requested: number, available: number, detail = '') {
    super(op, `needs ${limit} = ${requested} but this device allows ${available}${detail ? ` (${detail})` : ''}`);
    this.limit = limit;
    this.requested = requested;
    this.available = available;
  }
}

/** No WebGPU: no `navigator.gpu`, no adapter, or the device request failed. */
export class WebGPUUnavailableError extends KernelscopeError {
  readonly reason: string;
  constructor(reason: string) {
    super('requestGpu', `WebGPU is unavailable: ${reason}`);
    this.reason = reason;
  }
}

/** The device was lost (destroyed, driver reset). The next call on the same `Gpu` re-acquires one. */
export class DeviceLostError extends KernelscopeError {
  readonly reason: string;
  constructor(op: string, reason: string) {
    super(op, `the GPU device was lost (${reason}); the next call re-acquires a device`);
    this.reason = reason;
  }
}

/** The device could not allocate a buffer. */
export class GpuOutOfMemoryError extends KernelscopeError {
  readonly requestedBytes: number;
  constructor(op: string, requestedBytes: number, detail = '') {
    super(op, `out of GPU memory allocating ${requestedBytes} bytes${detail ? ` (${detail})` : ''}`);
    this.requestedBytes = requestedBytes;
  }
}

/** A GPU operation that did not settle in time: a hang becomes a message, not a stall. */
export class GpuTimeoutError extends KernelscopeError {
  constructor(op: string, ms: number) {
    super(op, `did not complete within ${ms} ms`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `[${value.slice(0, 8).map(describe).join(', ')}${value.length > 8 ? ', …' : ''}]`;
  return Object.prototype.toString.call(value);
}
