/**
 * `Tensor`: a GPU storage buffer of row-major f32 values plus its shape.
 * Upload with `Tensor.fromData`, read back with `read()`, free with `destroy()`.
 * A zero-size tensor holds no buffer and reads back as an empty array.
 */
import type { Gpu } from './device';
import { DeviceLostError, InvalidArgumentError, KernelscopeError } from '../problem/errors';
import { assertHostTensor, isHostTensor, shapeSize, assertValidShape, HOST_TENSOR_EXPECTED, type HostTensor } from '../problem/shape';
import { assertStorageElements } from '../problem/limits';
import { withTimeout } from './timeout';

/** Every Tensor the constructor made: an object that merely inherits Tensor.prototype is not one. */
const GENUINE = new WeakSet<object>();

export class Tensor {
  readonly gpu: Gpu;
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** The device generation the buffer belongs to (see `Gpu.generation`). */
  readonly generation: number;
  private buf: GPUBuffer | null;
  private released = false;

  /** Whether the buffer returns to the runtime's pool on destroy (see `output`). */
  private pooled = false;

  private constructor(gpu: Gpu, shape: readonly number[], buffer: GPUBuffer | null) {
    this.gpu = gpu;
    this.shape = Object.freeze([...shape]);
    this.size = shapeSize(shape);
    this.generation = gpu.generation;
    this.buf = buffer;
    GENUINE.add(this);
  }

  /**
   * A zero-filled tensor (WebGPU zero-initializes new buffers).
   * @throws ShapeError for a bad shape, LimitExceededError past the device's storage buffer limit
   */
  static zeros(gpu: Gpu, shape: readonly number[], label = 'tensor'): Tensor {
    assertValidShape(label, 'shape', shape);
    gpu.assertAlive(label);
    const size = shapeSize(shape);
    if (size > 0) assertStorageElements(label, gpu.limits, `[${shape.join(', ')}]`, size);
    const buffer =
      size === 0 ? null : gpu.createBuffer(label, size * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    return new Tensor(gpu, shape, buffer);
  }

  /**
   * An output tensor whose contents are undefined until a kernel writes every element:
   * its buffer may come from the runtime's pool of idle buffers (`Gpu.overwritableBuffer`),
   * skipping allocation and zero-fill, and returns there on `destroy()`. Only for kernels
   * that write every element of their output; use `zeros` otherwise.
   */
  static output(gpu: Gpu, shape: readonly number[], label = 'tensor'): Tensor {
    assertValidShape(label, 'shape', shape);
    gpu.assertAlive(label);
    const size = shapeSize(shape);
    if (size > 0) assertStorageElements(label, gpu.limits, `[${shape.join(', ')}]`, size);
    const t = new Tensor(gpu, shape, size === 0 ? null : gpu.overwritableBuffer(label, size * 4));
    t.pooled = true;
    return t;
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
    if (this.buf) {
      if (this.pooled && this.generation === this.gpu.generation) this.gpu.recycle(this.buf);
      else this.gpu.release(this.buf);
    }
    this.buf = null;
    this.released = true;
  }
}

/** A kernel argument: a `Tensor` already on the GPU, or host data to upload. */
export type TensorLike = Tensor | HostTensor;

/** Whether `x` is a Tensor kernelscope made (not an object that only inherits `Tensor.prototype`). */
export function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && GENUINE.has(x);
}

/**
 * Validates one argument without a device: a live Tensor, or `{data, shape}` host data
 * whose length is its shape's product and whose plain-array entries are numbers.
 * Returns its shape.
 * @throws InvalidArgumentError for anything else, a destroyed Tensor or a non-number entry
 * @throws ShapeError / LimitExceededError for a bad shape or data length
 */
export function shapeOf(op: string, name: string, x: unknown): readonly number[] {
  if (x instanceof Tensor) {
    if (!isTensor(x))
      throw new InvalidArgumentError(op, name, 'an object inheriting Tensor.prototype', 'a Tensor made by Tensor.zeros or Tensor.fromData');
    if (x.destroyed) throw new InvalidArgumentError(op, name, 'destroyed Tensor', 'a live Tensor');
    return x.shape;
  }
  if (isHostTensor(x)) {
    assertHostTensor(op, name, x);
    return x.shape;
  }
  throw new InvalidArgumentError(op, name, x, `a Tensor or ${HOST_TENSOR_EXPECTED}`);
}

/**
 * Throws unless `x` can be used on `gpu` now, allocating nothing: a Tensor must be
 * kernelscope's, created on this `gpu`, not destroyed and of the device generation in
 * use (`DeviceLostError` otherwise); host data must be valid and fit one storage buffer
 * (`LimitExceededError`).
 */
export function assertUsable(gpu: Gpu, op: string, name: string, x: unknown): void {
  const shape = shapeOf(op, name, x);
  if (x instanceof Tensor) {
    if (x.gpu !== gpu) throw new InvalidArgumentError(op, name, 'a Tensor of another Gpu', 'a Tensor created on the same Gpu');
    gpu.assertAlive(op, x.generation);
    return;
  }
  const size = shapeSize(shape);
  if (size > 0) assertStorageElements(op, gpu.limits, `${name} [${shape.join(', ')}]`, size);
}

/** A named kernel argument; an optional one that is absent is `undefined` (or `null`) and is skipped. */
export type KernelArgument = readonly [name: string, value: unknown];

/**
 * Validates a whole argument list before anything is uploaded or allocated: the first
 * bad argument throws its typed error (see `assertUsable`) while nothing is on the GPU
 * yet. Call it after `await gpu.ready(op)`, with no `await` between it and the uploads.
 */
export function assertArguments(gpu: Gpu, op: string, args: readonly KernelArgument[]): void {
  for (const [name, x] of args) if (x !== undefined && x !== null) assertUsable(gpu, op, name, x);
}

/** Arguments brought onto the GPU by `toDeviceAll`, in the order given (null where absent). */
export interface DeviceArguments {
  readonly tensors: readonly (Tensor | null)[];
  /** The tensors uploaded from host data, which the caller owns (`release()` destroys them). */
  readonly owned: readonly Tensor[];
  /** Destroys the tensors uploaded from host data (Tensors passed in are left alone); safe to call twice. */
  release(): void;
}

/**
 * Validates every argument (`assertArguments`), then uploads the host data among them,
 * all or nothing: if an upload fails (out of memory, device lost), those already made
 * are destroyed before the error propagates. Call it after `await gpu.ready(op)`.
 */
export function toDeviceAll(gpu: Gpu, op: string, args: readonly KernelArgument[]): DeviceArguments {
  assertArguments(gpu, op, args);
  const owned: Tensor[] = [];
  const release = () => {
    for (const t of owned.splice(0)) t.destroy();
  };
  try {
    const tensors = args.map(([name, x]) => {
      if (x === undefined || x === null) return null;
      const r = toDevice(gpu, op, name, x as TensorLike);
      if (r.owned) owned.push(r.tensor);
      return r.tensor;
    });
    return { tensors, owned, release };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * Brings a validated argument onto the GPU. Host data is uploaded into a tensor the
 * caller owns (`owned: true`) and must destroy; a Tensor is checked and passed through.
 * With several arguments, use `toDeviceAll`, which checks them all before the first upload.
 */
export function toDevice(gpu: Gpu, op: string, name: string, x: TensorLike): { tensor: Tensor; owned: boolean } {
  assertUsable(gpu, op, name, x);
  if (x instanceof Tensor) return { tensor: x, owned: false };
  return { tensor: Tensor.fromData(gpu, x.data, x.shape, `${op}:${name}`), owned: true };
}
