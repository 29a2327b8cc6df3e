/**
 * Reading a closed timing window's timestamp queries back: resolve them into a
 * buffer, copy to a mappable one, map it and sum each pass's end − start (ms).
 */
import type { Gpu } from './device';
import { withTimeout } from './timeout';
import { sumPassDurationsMs, type TimingWindow } from './timing';

/** The parts of `Gpu` that reading timestamps uses. */
export type TimestampReader = Pick<Gpu, 'device' | 'timeoutMs' | 'createBuffer' | 'release'>;

/**
 * The summed pass durations of `window` (which has a query set), in milliseconds;
 * destroys the query set and the buffers it used.
 */
export async function readTimestamps(gpu: TimestampReader, window: TimingWindow): Promise<number> {
  const querySet = window.querySet!;
  const count = Math.min(window.passes, querySet.count / 2) * 2;
  if (count === 0) {
    querySet.destroy();
    return 0;
  }
  const resolve = gpu.createBuffer('timing:resolve', count * 8, GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC);
  const staging = gpu.createBuffer('timing:staging', count * 8, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  try {
    const encoder = gpu.device.createCommandEncoder({ label: 'timing' });
    encoder.resolveQuerySet(querySet, 0, count, resolve, 0);
    encoder.copyBufferToBuffer(resolve, 0, staging, 0, count * 8);
    gpu.device.queue.submit([encoder.finish()]);
    await withTimeout(staging.mapAsync(GPUMapMode.READ), gpu.timeoutMs, 'time');
    const stamps = new BigUint64Array(staging.getMappedRange().slice(0));
    staging.unmap();
    return sumPassDurationsMs(stamps, count / 2);
  } finally {
    gpu.release(resolve);
    gpu.release(staging);
    querySet.destroy();
  }
}
