/**
 * One device per page, shared by every element and reference-counted. Elements
 * call `acquireGpu()` when connected and `releaseGpu()` when disconnected; the
 * device is destroyed when the last holder lets go. Where WebGPU is missing the
 * promise resolves to `null` and `gpuUnavailableReason()` says why, so elements
 * can fall back to the CPU reference and say so.
 */
import { requestGpu, type Gpu } from '../gpu/device';
import { WebGPUUnavailableError } from '../problem/errors';

let shared: Promise<Gpu | null> | null = null;
let holders = 0;
let reason: string | null = null;

/** The page's shared `Gpu`, or null when WebGPU is unavailable. */
export function acquireGpu(): Promise<Gpu | null> {
  holders += 1;
  shared ??= requestGpu().catch((e: unknown) => {
    reason = e instanceof WebGPUUnavailableError ? e.reason : String((e as Error)?.message ?? e);
    return null;
  });
  return shared;
}

/** Lets go of the shared device; the last release destroys it. */
export function releaseGpu(): void {
  holders = Math.max(0, holders - 1);
  if (holders > 0 || !shared) return;
  const done = shared;
  shared = null;
  void done.then((gpu) => gpu?.destroy());
}

/** Why WebGPU is unavailable, once `acquireGpu()` has resolved to null. */
export function gpuUnavailableReason(): string | null {
  return reason;
}
