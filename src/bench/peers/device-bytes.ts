/**
 * GPU bytes a peer library holds on its device, counted from outside it: ORT and jax-js
 * expose no allocation accounting, so `trackDeviceBytes` wraps one `GPUDevice`'s
 * `createBuffer` (and each new buffer's `destroy`) and keeps the bytes of buffers that
 * are created and not yet destroyed. A buffer a library keeps in its pool for reuse
 * counts: it holds GPU memory. A buffer dropped without `destroy()` counts until the
 * end of the case, which can only overstate; WebGPU offers no way to see garbage
 * collection.
 *
 * A case's peak is measured from a mark set before its inputs are uploaded: the most
 * bytes held at once since the mark, minus those held at the mark (earlier cases'
 * leftovers). Like ours ("the inputs plus the most one call adds"), it includes the
 * inputs and output. A buffer from an earlier case that a pool reuses is not counted
 * again (jax-js's pool served a whole softmax case that way), so the peers never report
 * less than the bytes the case binds (its inputs and output): where a pool outlives its
 * case the figure is a lower bound.
 */

/** Live-byte accounting of one device. */
export interface DeviceBytes {
  /** Bytes in buffers created and not destroyed. */
  live(): number;
  /** Starts a measurement window: returns a mark for `peakSince`. */
  mark(): DeviceBytesMark;
  /** The most bytes held at once since `mark`, minus those held at the mark. */
  peakSince(mark: DeviceBytesMark): number;
}

/** A measurement window's start (`DeviceBytes.mark`). */
export interface DeviceBytesMark {
  readonly base: number;
  readonly window: number;
}

const tracked = new WeakMap<GPUDevice, DeviceBytes>();

/** The accounting of `device`, installing the wrappers the first time (idempotent). */
export function trackDeviceBytes(device: GPUDevice): DeviceBytes {
  const existing = tracked.get(device);
  if (existing) return existing;
  let live = 0;
  let window = 0;
  let high = 0; // the most bytes held at once in the current window
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = create(descriptor);
    const bytes = buffer.size;
    live += bytes;
    high = Math.max(high, live);
    let destroyed = false;
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = () => {
      if (!destroyed) {
        destroyed = true;
        live -= bytes;
      }
      destroy();
    };
    return buffer;
  };
  const accounting: DeviceBytes = {
    live: () => live,
    mark() {
      window += 1;
      high = live;
      return { base: live, window };
    },
    peakSince(mark) {
      if (mark.window !== window) throw new Error('device bytes: a newer mark replaced this one');
      return high - mark.base;
    },
  };
  tracked.set(device, accounting);
  return accounting;
}
