/**
 * Buffer accounting: every GPU buffer kernelscope creates is registered here, so
 * live and peak bytes are *measured* from real allocations rather than estimated.
 */

/** One allocation seen while a `MemoryRecording` was open. */
export interface AllocationRecord {
  label: string;
  bytes: number;
}

/** What a window of work allocated. */
export interface MemoryReport {
  /** Live bytes when the window opened. */
  baselineBytes: number;
  /** Highest live bytes reached inside the window (absolute, baseline included). */
  peakBytes: number;
  /** `peakBytes - baselineBytes`: what the work itself added at its worst. */
  peakDeltaBytes: number;
  /** Every buffer created inside the window, in order. */
  allocations: AllocationRecord[];
}

export class BufferAccounting {
  private readonly sizes = new Map<GPUBuffer, number>();
  private recordings: { report: MemoryReport }[] = [];
  /** Bytes in buffers created and not yet destroyed. */
  liveBytes = 0;
  /** Highest `liveBytes` since creation or the last `resetPeak()`. */
  peakBytes = 0;
  /** Buffers created, ever. */
  created = 0;
  /** Buffers destroyed (or released by device loss), ever. */
  destroyed = 0;

  /** Number of buffers currently alive. */
  get liveBuffers(): number {
    return this.sizes.size;
  }

  register(buffer: GPUBuffer, bytes: number, label: string): void {
    this.sizes.set(buffer, bytes);
    this.created += 1;
    this.liveBytes += bytes;
    this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
    for (const r of this.recordings) {
      r.report.allocations.push({ label, bytes });
      r.report.peakBytes = Math.max(r.report.peakBytes, this.liveBytes);
    }
  }

  /** Destroys the buffer and books it out; safe to call twice. */
  release(buffer: GPUBuffer): void {
    const bytes = this.sizes.get(buffer);
    if (bytes === undefined) return;
    this.sizes.delete(buffer);
    this.destroyed += 1;
    this.liveBytes -= bytes;
    buffer.destroy();
  }

  /**
   * Books a buffer out without destroying it (it goes to the runtime's reuse pool: idle,
   * owned by no one). It counts as destroyed here; `register` books it in again on reuse.
   */
  detach(buffer: GPUBuffer): boolean {
    const bytes = this.sizes.get(buffer);
    if (bytes === undefined) return false;
    this.sizes.delete(buffer);
    this.destroyed += 1;
    this.liveBytes -= bytes;
    return true;
  }

  /** Device loss frees every buffer at once. */
  releaseAll(): void {
    for (const buffer of [...this.sizes.keys()]) this.release(buffer);
  }

  resetPeak(): void {
    this.peakBytes = this.liveBytes;
  }

  /** Records allocations and the live-byte peak while `work` runs. */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; memory: MemoryReport }> {
    const entry = {
      report: { baselineBytes: this.liveBytes, peakBytes: this.liveBytes, peakDeltaBytes: 0, allocations: [] as AllocationRecord[] },
    };
    this.recordings.push(entry);
    try {
      const result = await work();
      return { result, memory: entry.report };
    } finally {
      this.recordings = this.recordings.filter((r) => r !== entry);
      entry.report.peakDeltaBytes = entry.report.peakBytes - entry.report.baselineBytes;
    }
  }
}
