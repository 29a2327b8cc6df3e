import { GpuTimeoutError } from '../problem/errors';

/** Default time any single GPU promise may take before it fails with a message. */
export const DEFAULT_GPU_TIMEOUT_MS = 60_000;

/** Race `promise` against a timer, so a GPU hang fails with `GpuTimeoutError` instead of stalling. */
export function withTimeout<T>(promise: Promise<T>, ms: number, op: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GpuTimeoutError(op, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
