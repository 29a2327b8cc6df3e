/**
 * The pool of idle storage buffers that `Gpu.overwritableBuffer` hands out for outputs
 * a kernel fully overwrites, keyed by byte size. Pooled buffers are detached from the
 * `BufferAccounting` (no tensor owns them) and re-registered when taken.
 */
import type { BufferAccounting } from './memory';

export class BufferPool {
  /** Idle storage buffers kept for outputs a kernel fully overwrites, by byte size. */
  private readonly idle = new Map<number, GPUBuffer[]>();
  /** Bytes held in the pool: GPU memory that no tensor owns, kept to skip allocation and zeroing. */
  pooledBytes = 0;
  /** The most bytes the pool may hold; releasing past it destroys the buffer instead. */
  limitBytes = 256 * 1024 * 1024;

  constructor(private readonly memory: BufferAccounting) {}

  /** An idle buffer of exactly `size` bytes, booked in `memory` as `label`, or null when there is none. */
  take(label: string, size: number): GPUBuffer | null {
    const idle = this.idle.get(size)?.pop();
    if (!idle) return null;
    this.pooledBytes -= size;
    this.memory.register(idle, size, label);
    return idle;
  }

  /** Keeps `buffer` for reuse; false (nothing kept) when the pool is full or `memory` does not hold it. */
  put(buffer: GPUBuffer): boolean {
    const size = buffer.size;
    if (this.pooledBytes + size > this.limitBytes || !this.memory.detach(buffer)) return false;
    const list = this.idle.get(size) ?? [];
    list.push(buffer);
    this.idle.set(size, list);
    this.pooledBytes += size;
    return true;
  }

  /** Destroys every pooled idle buffer (frees their GPU memory). */
  trim(): void {
    for (const list of this.idle.values()) for (const b of list) b.destroy();
    this.idle.clear();
    this.pooledBytes = 0;
  }
}
