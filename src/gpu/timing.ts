/**
 * GPU timing. While a timing window is open, every compute pass a kernel begins
 * through `Gpu.beginComputePass` gets timestamp writes (when the device has
 * `timestamp-query`); closing the window resolves them and sums each pass's
 * end − start. Without timestamp-query the window reports submit-to-done time:
 * wall time from the first submit to `onSubmittedWorkDone`.
 */

/** Which clock produced a measurement. */
export type TimerKind = 'timestamp-query' | 'submit-to-done';

export interface GpuTiming {
  timer: TimerKind;
  /** GPU time in milliseconds: the sum of pass durations, or submit-to-done. */
  gpuMs: number;
  /** Wall time of the whole window, including CPU-side encoding, in milliseconds. */
  wallMs: number;
  /** Number of compute passes timed. */
  passes: number;
}

/** Query pairs available to one window; passes past this are left untimed and counted. */
export const MAX_TIMED_PASSES = 512;

export class TimingWindow {
  readonly querySet: GPUQuerySet | null;
  passes = 0;
  firstSubmit: number | null = null;

  constructor(device: GPUDevice, useTimestamps: boolean) {
    this.querySet = useTimestamps ? device.createQuerySet({ type: 'timestamp', count: MAX_TIMED_PASSES * 2 }) : null;
  }

  /** Timestamp writes for the next pass, or undefined when untimed. */
  nextPassWrites(): GPUComputePassTimestampWrites | undefined {
    const index = this.passes;
    this.passes += 1;
    if (!this.querySet || index >= MAX_TIMED_PASSES) return undefined;
    return { querySet: this.querySet, beginningOfPassWriteIndex: index * 2, endOfPassWriteIndex: index * 2 + 1 };
  }

  noteSubmit(): void {
    this.firstSubmit ??= performance.now();
  }
}

/** Sums `end − start` over the resolved timestamp pairs, in milliseconds. */
export function sumPassDurationsMs(stamps: BigUint64Array, passes: number): number {
  let ns = 0n;
  for (let i = 0; i < Math.min(passes, MAX_TIMED_PASSES); i++) {
    const start = stamps[2 * i]!;
    const end = stamps[2 * i + 1]!;
    if (end > start) ns += end - start;
  }
  return Number(ns) / 1e6;
}
