/**
 * `Tensor`: a GPU storage buffer of row-major f32 values plus its shape.
 * Upload with `Tensor.fromData`, read back with `read()`, free with `destroy()`.
 * A zero-size tensor holds no buffer and reads back as an empty array.
 */
import type { Gpu } from './device';
import { DeviceLostError, InvalidArgumentError, KernelscopeError } from '../problem/errors';
import { assertHostTensor, isHostTensor, shapeSize, assertValidShape, type HostTensor } from '../problem/shape';
import { withTimeout } from './timeout';

const STORAGE_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export class Tensor {
  readonly gpu: Gpu;
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** The device generation the buffer belongs to (see `Gpu.generation`). */
  readonly generation: number;
  private buf: GPUBuffer | null;
  private released = false;

  private constructor(gpu: Gpu, shape: readonly number[], buffer: GPUBuffer | null) {
    this.gpu = gpu;
    this.shape = Object.freeze([...shape]);
    this.size = shapeSize(shape);
    this.generation = gpu.generation;
    this.buf = buffer;
  }

  /** A zero-filled tensor (WebGPU zero-initializes new buffers). */
  static zeros(gpu: Gpu, shape: readonly number[], label = 'tensor'): Tensor {
    assertValidShape(label, 'shape', shape);
    gpu.assertAlive(label);
    const size = shapeSize(shape);
    const buffer = size === 0 ? null : gpu.createBuffer(label, size * 4, STORAGE_USAGE);
    return new Tensor(gpu, shape, buffer);
  }

  /** Uploads host data. Validates the length against the shape first. */
  static fromData(gpu: Gpu, data: Float32Array | readonly number[], shape: readonly number[], label = 'tensor'): Tensor {
    assertHostTensor(label, 'data', { data, shape });
    const t = Tensor.zeros(gpu, shape, label);
    if (t.buf) {
      const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
      gpu.device.queue.writeBuffer(t.buf, 0, f32.buffer, f32.byteOffset, f32.byteLength);
    }
    return t;
  }

  /** The storage buffer. Throws if destroyed, of a lost device, or zero-size. */
  get buffer(): GPUBuffer {
    if (this.destroyed) throw new KernelscopeError('tensor', `tensor [${this.shape.join(', ')}] was destroyed`);
    this.gpu.assertAlive('tensor', this.generation);
    if (!this.buf) throw new KernelscopeError('tensor', 'a zero-size tensor has no buffer');
    return this.buf;
  }

  get destroyed(): boolean {
    return this.released;
  }

  /** Copies the values back to the CPU. */
  async read(): Promise<Float32Array> {
    if (this.size === 0) return new Float32Array(0);
    const src = this.buffer;
    const gpu = this.gpu;
    const bytes = this.size * 4;
    const staging = gpu.createBuffer('tensor:readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    try {
      const encoder = gpu.device.createCommandEncoder({ label: 'tensor:readback' });
      encoder.copyBufferToBuffer(src, 0, staging, 0, bytes);
      gpu.device.queue.submit([encoder.finish()]);
      await withTimeout(staging.mapAsync(GPUMapMode.READ), gpu.timeoutMs, 'tensor.read');
      const out = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      return out;
    } catch (e) {
      if (e instanceof KernelscopeError) throw e;
      // mapAsync rejects when the device dies under it; let the lost promise land first.
      await new Promise((r) => setTimeout(r, 0));
      if (gpu.isLost || gpu.generation !== this.generation) throw new DeviceLostError('tensor.read', gpu.lostReason ?? 'replaced');
      throw new KernelscopeError('tensor.read', (e as Error).message);
    } finally {
      gpu.release(staging);
    }
  }

  /** Frees the GPU buffer; safe to call twice. */
  destroy(): void {
    if (this.buf) this.gpu.release(this.buf);
    this.buf = null;
    this.released = true;
  }
}

/** A kernel argument: a `Tensor` already on the GPU, or host data to upload. */
export type TensorLike = Tensor | HostTensor;

/** Throws `InvalidArgumentError` unless `x` is a Tensor or valid `{data, shape}`. Returns its shape. */
export function shapeOf(op: string, name: string, x: unknown): readonly number[] {
  if (x instanceof Tensor) return x.shape;
  if (isHostTensor(x)) {
    assertHostTensor(op, name, x);
    return x.shape;
  }
  throw new InvalidArgumentError(op, name, x, 'a Tensor or {data: Float32Array, shape: number[]}');
}

/**
 * Brings a validated argument onto the GPU. Host data is uploaded into a tensor the
 * caller owns (`owned: true`) and must destroy; a Tensor is checked and passed through.
 */
export function toDevice(gpu: Gpu, op: string, name: string, x: TensorLike): { tensor: Tensor; owned: boolean } {
  if (x instanceof Tensor) {
    if (x.gpu !== gpu) throw new InvalidArgumentError(op, name, 'Tensor', 'a Tensor created on the same Gpu');
    gpu.assertAlive(op, x.generation);
    if (x.destroyed) throw new InvalidArgumentError(op, name, 'destroyed Tensor', 'a live Tensor');
    return { tensor: x, owned: false };
  }
  return { tensor: Tensor.fromData(gpu, x.data, x.shape, `${op}:${name}`), owned: true };
}
