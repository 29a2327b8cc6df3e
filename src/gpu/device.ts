/**
 * The GPU runtime: one `Gpu` handle per page wraps an adapter and device, its
 * limits and features, the buffer accounting, pipelines, timing and submission.
 * When the device is lost, work in flight fails with `DeviceLostError` and the
 * next call to `ready()` (which every kernel makes first) acquires a new device.
 */
import { DeviceLostError, GpuOutOfMemoryError, KernelscopeError, WebGPUUnavailableError } from '../problem/errors';
import { BufferAccounting } from './memory';
import { cachedPipeline, bindGroupLayout, type OverrideConstants } from './pipelines';
import { bindGroupEntries, type KernelSpec } from './bindings';
import { foldWorkgroups } from './dispatch';
import { TimingWindow, type GpuTiming } from './timing';
import { readTimestamps } from './timestamps';
import { DEFAULT_GPU_TIMEOUT_MS, withTimeout } from './timeout';
import { TuningTable } from './tuning';
import { acquire, readFeatures, summarize, type AdapterSummary, type GpuFeatures, type RequestGpuOptions } from './acquire-device';
import { BufferPool } from './buffer-pool';
import { ScopeFailure, errorMessage, settleScope } from './device-errors';

export type { AdapterSummary, GpuFeatures, RequestGpuOptions } from './acquire-device';

/**
 * A WebGPU device with kernelscope's bookkeeping. Create one with `requestGpu()`.
 * Kernels call `ready()` first, then allocate, look up pipelines and `submit()`.
 */
export class Gpu {
  adapter: GPUAdapter;
  device: GPUDevice;
  info: AdapterSummary;
  features: GpuFeatures;
  /** Increments each time a lost device is replaced; tensors of older generations are dead. */
  generation = 0;
  /** Set when the device is lost, cleared on re-acquisition. */
  lostReason: string | null = null;
  readonly memory = new BufferAccounting();
  /** Tuned kernel configurations for this adapter (src/tune/ fills it; kernels read it). */
  readonly tuning = new TuningTable();
  readonly timeoutMs: number;
  private readonly options: RequestGpuOptions;
  private timing: TimingWindow | null = null;
  /** Idle storage buffers kept for outputs a kernel fully overwrites, by byte size (see `overwritableBuffer`). */
  private readonly pool = new BufferPool(this.memory);
  /** Out-of-memory scopes of allocations not yet checked; `submit()` settles them first. */
  private pendingAllocations: Promise<GpuOutOfMemoryError | null>[] = [];

  private constructor(adapter: GPUAdapter, device: GPUDevice, featureLevel: 'core' | 'compatibility', options: RequestGpuOptions) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_GPU_TIMEOUT_MS;
    this.adapter = adapter;
    this.device = device;
    this.info = summarize(adapter, featureLevel);
    this.features = readFeatures(device);
    this.watchLoss(device);
  }

  /** Bytes held in the pool: GPU memory that no tensor owns, kept to skip allocation and zeroing. */
  get pooledBytes(): number {
    return this.pool.pooledBytes;
  }
  set pooledBytes(bytes: number) {
    this.pool.pooledBytes = bytes;
  }

  /** The most bytes the pool may hold; releasing past it destroys the buffer instead. */
  get poolLimitBytes(): number {
    return this.pool.limitBytes;
  }
  set poolLimitBytes(bytes: number) {
    this.pool.limitBytes = bytes;
  }

  /** @internal use `requestGpu()`. */
  static async create(options: RequestGpuOptions = {}): Promise<Gpu> {
    const { adapter, device, featureLevel } = await acquire(options, options.timeoutMs ?? DEFAULT_GPU_TIMEOUT_MS);
    return new Gpu(adapter, device, featureLevel, options);
  }

  /** The device's limits (raised to the adapter's maxima where kernelscope needs them). */
  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /** True once the current device has been lost. */
  get isLost(): boolean {
    return this.lostReason !== null;
  }

  /** The live device, re-acquiring a new one first if the previous one was lost. */
  async ready(op = 'gpu'): Promise<GPUDevice> {
    if (this.lostReason === null) return this.device;
    try {
      const { adapter, device, featureLevel } = await acquire(this.options, this.timeoutMs);
      this.adapter = adapter;
      this.device = device;
      this.info = summarize(adapter, featureLevel);
      this.features = readFeatures(device);
      this.generation += 1;
      this.lostReason = null;
      this.watchLoss(device);
      return device;
    } catch (e) {
      if (e instanceof WebGPUUnavailableError) throw new DeviceLostError(op, `${this.lostReason}; re-acquisition failed: ${e.reason}`);
      throw e;
    }
  }

  /** Throws `DeviceLostError` if work of `generation` can no longer run. */
  assertAlive(op: string, generation = this.generation): void {
    if (this.lostReason !== null) throw new DeviceLostError(op, this.lostReason);
    if (generation !== this.generation) throw new DeviceLostError(op, 'the tensor belongs to a device that was lost and replaced');
  }

  /** Creates a buffer booked in `memory`. Size is rounded up to 4 bytes (and at least 4). */
  createBuffer(label: string, bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    if (size > this.limits.maxBufferSize) throw new GpuOutOfMemoryError(label, size, `maxBufferSize is ${this.limits.maxBufferSize}`);
    // A scope pushed and popped synchronously around the one call: an allocation that
    // fails is reported by the next submit() as GpuOutOfMemoryError naming this buffer,
    // instead of surfacing later as an opaque "invalid buffer" validation error.
    this.device.pushErrorScope('out-of-memory');
    const buffer = this.device.createBuffer({ label, size, usage });
    this.pendingAllocations.push(
      this.device.popErrorScope().then(
        (e) => (e ? new GpuOutOfMemoryError(label, size, e.message) : null),
        // A scope that cannot be read at all means the device is failing: report the
        // allocation as out of memory (submit() then also sees the device's state).
        (e: unknown) => new GpuOutOfMemoryError(label, size, `error scope failed: ${errorMessage(e)}`),
      ),
    );
    this.memory.register(buffer, size, label);
    return buffer;
  }

  /** A uniform buffer holding `data`. */
  uniformBuffer(label: string, data: ArrayBuffer): GPUBuffer {
    const buffer = this.createBuffer(label, data.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  }

  /** Destroys a buffer and books it out. */
  release(buffer: GPUBuffer): void {
    this.memory.release(buffer);
  }

  /**
   * A storage buffer of `bytes` whose old contents do not matter (the kernel writes every
   * element): a pooled idle buffer of that size if there is one, else a new one. Saves the
   * allocation and the zero-fill that dominate fast, memory-bound kernels (softmax).
   */
  overwritableBuffer(label: string, bytes: number): GPUBuffer {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const idle = this.pool.take(label, size);
    if (idle) return idle;
    return this.createBuffer(label, size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
  }

  /** Returns an overwritable buffer to the pool (or destroys it when the pool is full). */
  recycle(buffer: GPUBuffer): void {
    if (this.lostReason !== null || !this.pool.put(buffer)) this.memory.release(buffer);
  }

  /** Destroys every pooled idle buffer (frees their GPU memory). */
  trimPool(): void {
    this.pool.trim();
  }

  /** The cached pipeline for a kernel and its override constants. */
  async pipeline(spec: KernelSpec, constants: OverrideConstants = {}): Promise<GPUComputePipeline> {
    const generation = this.generation;
    try {
      return await withTimeout(cachedPipeline(this.device, spec, constants), this.timeoutMs, spec.name);
    } catch (e) {
      if (e instanceof KernelscopeError) throw e;
      // A pipeline creation that fails because the device died is a loss, not a bug.
      await new Promise((r) => setTimeout(r, 0));
      if (this.lostReason !== null || generation !== this.generation) throw new DeviceLostError(spec.name, this.lostReason ?? 'replaced');
      throw new KernelscopeError(spec.name, `pipeline creation failed: ${errorMessage(e)}`);
    }
  }

  /** A bind group for `spec`, with buffers named as in its binding table. */
  bindGroup(spec: KernelSpec, buffers: Record<string, GPUBuffer>): GPUBindGroup {
    return this.device.createBindGroup({
      label: spec.name,
      layout: bindGroupLayout(this.device, spec),
      entries: bindGroupEntries(spec, buffers),
    });
  }

  /** Begins a compute pass, timed when a timing window is open. */
  beginComputePass(encoder: GPUCommandEncoder, label: string): GPUComputePassEncoder {
    return encoder.beginComputePass({ label, timestampWrites: this.timing?.nextPassWrites() });
  }

  /** Dispatches `total` workgroups folded into x·y (see `foldWorkgroups`); nothing for 0. */
  dispatch(pass: GPUComputePassEncoder, total: number, op: string): void {
    if (total === 0) return;
    const [x, y, z] = foldWorkgroups(total, this.limits.maxComputeWorkgroupsPerDimension, op);
    pass.dispatchWorkgroups(x, y, z);
  }

  /**
   * Encodes one kernel launch as its own compute pass: pipeline, the bind group of
   * `buffers` (named as in the kernel's binding table) and `workgroups` folded.
   */
  encodeKernel(
    encoder: GPUCommandEncoder,
    label: string,
    spec: KernelSpec,
    pipeline: GPUComputePipeline,
    buffers: Record<string, GPUBuffer>,
    workgroups: number,
  ): void {
    const pass = this.beginComputePass(encoder, label);
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroup(spec, buffers));
    this.dispatch(pass, workgroups, label);
    pass.end();
  }

  /**
   * Encodes with `encode`, submits, then releases `temporaries` (safe: the GPU keeps
   * them until the submitted work is done). Out-of-memory and validation errors
   * raised by the encoded work become typed errors here.
   */
  async submit(op: string, encode: (encoder: GPUCommandEncoder) => void, temporaries: GPUBuffer[] = []): Promise<void> {
    const device = this.device;
    this.assertAlive(op);
    let validationScope: Promise<GPUError | null>;
    let oomScope: Promise<GPUError | null>;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    try {
      const encoder = device.createCommandEncoder({ label: op });
      encode(encoder);
      this.timing?.noteSubmit();
      device.queue.submit([encoder.finish()]);
    } finally {
      // Pop both scopes synchronously, before any await: push…submit…pop then runs as one
      // uninterrupted block, so concurrent kernel calls on this device never pop each other's scopes.
      validationScope = device.popErrorScope();
      oomScope = device.popErrorScope();
      for (const t of temporaries) this.release(t);
    }
    const allocations = this.pendingAllocations;
    this.pendingAllocations = [];
    const [validation, oom, ...allocationErrors] = await withTimeout(
      Promise.all([settleScope(validationScope), settleScope(oomScope), ...allocations]),
      this.timeoutMs,
      op,
    );
    const scopeFailure = [validation, oom].find((e): e is ScopeFailure => e instanceof ScopeFailure);
    if (scopeFailure) await this.abandonDevice(device, `an error scope could not be read (${scopeFailure.message})`);
    if (this.lostReason !== null) throw new DeviceLostError(op, this.lostReason);
    const failedAllocation = allocationErrors.find((e) => e !== null);
    if (failedAllocation) throw failedAllocation;
    if (oom) throw new GpuOutOfMemoryError(op, 0, (oom as GPUError).message);
    if (validation) throw new KernelscopeError(op, `GPU validation error: ${(validation as GPUError).message}`);
  }

  /**
   * A device whose error scopes fail (the GPU process ran out of memory or crashed under
   * it) cannot be trusted: wait briefly for its own loss report, else destroy it, so the
   * caller gets `DeviceLostError` and the next call re-acquires a healthy device.
   */
  private async abandonDevice(device: GPUDevice, reason: string): Promise<void> {
    if (device !== this.device || this.lostReason !== null) return;
    await Promise.race([device.lost, new Promise((r) => setTimeout(r, 250))]);
    if (device !== this.device || this.lostReason !== null) return;
    this.lostReason = reason;
    this.memory.releaseAll();
    this.trimPool();
    device.destroy();
  }

  /** Resolves when all submitted work is done. */
  async done(op = 'gpu'): Promise<void> {
    await withTimeout(this.device.queue.onSubmittedWorkDone(), this.timeoutMs, op);
    if (this.lostReason !== null) throw new DeviceLostError(op, this.lostReason);
  }

  /**
   * Times the GPU work that `work` submits: timestamp-query where present (sum of
   * pass durations), else submit-to-done wall time. Windows do not nest.
   */
  async time<T>(work: () => Promise<T>): Promise<{ result: T; timing: GpuTiming }> {
    if (this.timing) throw new Error('Gpu.time: timing windows do not nest');
    const device = await this.ready('time');
    const window = new TimingWindow(device, this.features.timestampQuery);
    this.timing = window;
    const wallStart = performance.now();
    let result: T;
    try {
      result = await work();
      await this.done('time');
    } finally {
      this.timing = null;
    }
    const wallMs = performance.now() - wallStart;
    const submitToDone = performance.now() - (window.firstSubmit ?? wallStart);
    if (!window.querySet) {
      return { result, timing: { timer: 'submit-to-done', gpuMs: submitToDone, wallMs, passes: window.passes } };
    }
    const gpuMs = await readTimestamps(this, window);
    return { result, timing: { timer: 'timestamp-query', gpuMs, wallMs, passes: window.passes } };
  }

  /** Destroys the device on purpose (pages leaving, tests). The next `ready()` re-acquires. */
  destroy(): void {
    this.device.destroy();
  }

  private watchLoss(device: GPUDevice): void {
    void device.lost.then((info) => {
      if (device !== this.device) return;
      this.lostReason = info.message ? `${info.reason}: ${info.message}` : String(info.reason ?? 'unknown');
      this.memory.releaseAll();
      this.trimPool();
    });
  }
}

/**
 * Acquires a WebGPU adapter and device with kernelscope's limits and optional
 * features. Throws `WebGPUUnavailableError` with the reason when there is none.
 */
export function requestGpu(options: RequestGpuOptions = {}): Promise<Gpu> {
  return Gpu.create(options);
}
