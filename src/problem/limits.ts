/**
 * Size limits checked on the CPU before anything is allocated, on the host or on
 * the GPU. Device limits come from the device (`maxStorageBufferBindingSize`,
 * `maxBufferSize`); host limits are fixed here, sized so that no check can let
 * through a size whose allocation would freeze the page (a JavaScript array of
 * 2²⁶ numbers takes about 10 s to build), while every size a real problem needs
 * passes. Pure: no GPU, no DOM.
 */
import { LimitExceededError } from './errors';

/** Largest rank a shape may have. */
export const MAX_RANK = 16;

/**
 * Largest single dimension: 2³¹ − 1, so every size fits the kernels' u32 uniforms and
 * every signed offset between two sizes (e.g. attention's Nk − Nq) fits an i32.
 */
export const MAX_DIMENSION = 2 ** 31 - 1;

/**
 * Largest plain JavaScript list kernelscope builds from a size it was given rather than
 * from data it was handed (e.g. one key length per batch element): 2²⁴ entries, built in
 * about 0.1 s, where 2²⁶ already takes seconds.
 */
export const MAX_HOST_LIST = 2 ** 24;

/** Largest typed array kernelscope allocates on the host from a size it was given: 2²⁷ values (1 GiB as f64). */
export const MAX_HOST_ELEMENTS = 2 ** 27;

/** Throws `LimitExceededError` unless `n` entries fit a host list (see `MAX_HOST_LIST`). */
export function assertHostList(op: string, what: string, n: number): void {
  if (!(n <= MAX_HOST_LIST)) throw new LimitExceededError(op, 'host list length', n, MAX_HOST_LIST, what);
}

/** Throws `LimitExceededError` unless `n` values fit a host typed array (see `MAX_HOST_ELEMENTS`). */
export function assertHostElements(op: string, what: string, n: number): void {
  if (!(n <= MAX_HOST_ELEMENTS)) throw new LimitExceededError(op, 'host elements', n, MAX_HOST_ELEMENTS, what);
}

/** The two device limits that bound one storage buffer (a subset of `GPUSupportedLimits`). */
export interface BufferLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

/** The largest storage buffer the device can bind, in bytes, and the limit that sets it. */
export function storageBufferLimit(limits: BufferLimits): { bytes: number; name: string } {
  const binding = limits.maxStorageBufferBindingSize;
  const buffer = limits.maxBufferSize;
  return binding <= buffer ? { bytes: binding, name: 'maxStorageBufferBindingSize' } : { bytes: buffer, name: 'maxBufferSize' };
}

/**
 * Throws `LimitExceededError` unless a storage buffer of `elements` 4-byte values fits
 * the device (`what` names the buffer and its shape, e.g. `output [2, 70000, 70000]`).
 */
export function assertStorageElements(op: string, limits: BufferLimits, what: string, elements: number): void {
  const { bytes, name } = storageBufferLimit(limits);
  const requested = elements * 4;
  if (!(requested <= bytes)) throw new LimitExceededError(op, name, requested, bytes, what);
}
