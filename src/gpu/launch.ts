/**
 * Declarative launches. A kernel declares, once, its WGSL, its binding table and its
 * uniform block (field names and types in WGSL order: `UniformLayout`); a launcher
 * then reads validate → describe → run:
 *
 *   const c = await launch(gpu, 'matmul', async (scope) => {
 *     const [a, b] = scope.inputs([['a', x], ['b', y]]);        // uploads; freed at the end
 *     const out = scope.output(shape, 'c');                     // handed to the caller on success
 *     await scope.run(KERNEL, constants, { params: values, matA: a, matB: b, matC: out }, workgroups);
 *     return out;
 *   });
 *
 * The scope owns every buffer the call allocates: uploads, scratch and uniform buffers
 * are freed when the call ends, and the outputs too if it fails, so a launcher has no
 * hand-written clean-up. Uniforms are packed by field name (a missing, extra or
 * non-finite field is an error naming it), bindings come from the kernel's one table.
 *
 * Beyond one dispatch: `scope.runAll` encodes several dispatches (of one or more kernels,
 * each maybe repeated) in one compute pass and one submit, with copies after it;
 * `scope.upload` holds host bytes, `scope.tensor` a zeroed scratch tensor, and
 * `scope.own` takes another call's result, all freed at the end. Persistent work
 * (a trainer's step, reused every call) builds its bind groups with `bindGroupFor`
 * and packs its uniforms with `packFor`.
 */
import type { KernelSpec } from './bindings';
import type { Gpu } from './device';
import { bindGroupLayout, type OverrideConstants } from './pipelines';
import { Tensor, toDeviceAll, type TensorLike } from './tensor';
import { packUniforms, type UniformLayout } from './uniforms';

export { packUniforms, paramsBlock, parseWgslStruct, type UniformLayout } from './uniforms';

/** A kernel with its uniform block declared: the binding of that name is packed from values. */
export interface KernelDescription extends KernelSpec {
  readonly uniforms?: { readonly binding: string; readonly layout: UniformLayout };
}

/** A byte range of a buffer (offset a multiple of the device's storage-offset alignment, 256). */
export interface BufferRange {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

/** What a binding receives: a tensor, a raw buffer or range, or (for the uniform binding) field values. */
export type BindingValue = Tensor | GPUBuffer | BufferRange | Readonly<Record<string, number>>;

/** One dispatch of a batch (`LaunchScope.runAll`). */
export interface Dispatch {
  readonly kernel: KernelDescription;
  readonly constants?: OverrideConstants;
  readonly bindings: Readonly<Record<string, BindingValue>>;
  /** Workgroups, folded as `Gpu.dispatch` does; 0 skips the dispatch. */
  readonly workgroups: number;
  /** Dispatches in a row with these bindings (default 1), e.g. one per step of an iteration. */
  readonly repeat?: number;
}

/** Options of `LaunchScope.runAll`. */
export interface RunAllOptions {
  /** The compute pass's label and the submit's op (default the scope's op). */
  readonly label?: string;
  /** Encodes commands before the pass, in the same submit (e.g. a copy the pass reads). */
  readonly before?: (encoder: GPUCommandEncoder) => void;
  /** Encodes more commands after the pass, in the same submit (e.g. a copy). */
  readonly then?: (encoder: GPUCommandEncoder) => void;
}

/** The packed uniform block of `kernel` from field values, by its declared layout. */
export function packFor(kernel: KernelDescription, values: Readonly<Record<string, number>>): ArrayBuffer {
  if (!kernel.uniforms) throw new Error(`${kernel.name}: declares no uniform block`);
  return packUniforms(kernel.name, kernel.uniforms.layout, values);
}

/** A bind group of `kernel` from buffers or ranges named as in its binding table. */
export function bindGroupFor(gpu: Gpu, kernel: KernelSpec, buffers: Readonly<Record<string, GPUBuffer | BufferRange>>): GPUBindGroup {
  return gpu.device.createBindGroup({
    label: kernel.name,
    layout: bindGroupLayout(gpu.device, kernel),
    entries: kernel.bindings.map(({ name }, binding) => {
      const b = Object.hasOwn(buffers, name) ? buffers[name] : undefined;
      if (!b) throw new Error(`${kernel.name}: no buffer given for binding '${name}'`);
      return { binding, resource: b instanceof GPUBuffer ? { buffer: b } : { buffer: b.buffer, offset: b.offset, size: b.size } };
    }),
  });
}

/** Every buffer one kernel call allocates, freed (or handed out) when the call ends. */
export class LaunchScope {
  private readonly temporaries: GPUBuffer[] = [];
  private readonly uploads: (() => void)[] = [];
  private readonly outputs: Tensor[] = [];
  private readonly owned: { destroy(): void }[] = [];

  constructor(
    readonly gpu: Gpu,
    readonly op: string,
  ) {}

  /** Validates every argument, then uploads host data (freed at the end; Tensors pass through). */
  inputs(args: readonly (readonly [string, TensorLike | null | undefined])[]): (Tensor | null)[] {
    const device = toDeviceAll(this.gpu, this.op, args);
    this.uploads.push(() => device.release());
    return [...device.tensors];
  }

  /**
   * An output tensor: the caller's on success, destroyed if the call fails. `'zeros'`
   * (default) starts zeroed; `'overwritten'` is for kernels that write every element and
   * may reuse an idle pooled buffer (`Tensor.output`).
   */
  output(shape: readonly number[], name: string, fill: 'zeros' | 'overwritten' = 'zeros'): Tensor {
    const label = `${this.op}:${name}`;
    const t = fill === 'zeros' ? Tensor.zeros(this.gpu, shape, label) : Tensor.output(this.gpu, shape, label);
    this.outputs.push(t);
    return t;
  }

  /** A storage buffer for intermediate values, freed when the call ends. */
  scratch(name: string, bytes: number, usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST): GPUBuffer {
    const b = this.gpu.createBuffer(`${this.op}:${name}`, bytes, usage);
    this.temporaries.push(b);
    return b;
  }

  /** A storage buffer holding `data`, freed when the call ends. */
  upload(name: string, data: ArrayBuffer | ArrayBufferView, usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST): GPUBuffer {
    const b = this.scratch(name, data.byteLength, usage | GPUBufferUsage.COPY_DST);
    if (ArrayBuffer.isView(data)) this.gpu.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    else this.gpu.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  /** Takes ownership of `x` (e.g. another kernel's result): destroyed when the call ends. */
  own<T extends { destroy(): void }>(x: T): T {
    this.owned.push(x);
    return x;
  }

  /** A zero-filled tensor for intermediate values, destroyed when the call ends. */
  tensor(shape: readonly number[], name: string): Tensor {
    return this.own(Tensor.zeros(this.gpu, shape, `${this.op}:${name}`));
  }

  /** The buffers or ranges of `bindings`, by the kernel's table; field values become a uniform buffer. */
  private buffers(kernel: KernelDescription, bindings: Readonly<Record<string, BindingValue>>): Record<string, GPUBuffer | BufferRange> {
    const out: Record<string, GPUBuffer | BufferRange> = {};
    for (const { name } of kernel.bindings) {
      const value = Object.hasOwn(bindings, name) ? bindings[name] : undefined;
      if (value === undefined) throw new Error(`${kernel.name}: no value for binding '${name}'`);
      if (value instanceof Tensor) out[name] = value.buffer;
      else if (value instanceof GPUBuffer) out[name] = value;
      else if (kernel.uniforms?.binding === name) {
        const b = this.gpu.uniformBuffer(`${this.op}:${name}`, packFor(kernel, value as Record<string, number>));
        this.temporaries.push(b);
        out[name] = b;
      } else if ('buffer' in value) out[name] = value as BufferRange;
      else throw new Error(`${kernel.name}: binding '${name}' is not the uniform block; give it a buffer`);
    }
    return out;
  }

  /** One dispatch of `kernel` with these override constants and bindings, submitted and awaited. */
  async run(
    kernel: KernelDescription,
    constants: OverrideConstants,
    bindings: Readonly<Record<string, BindingValue>>,
    workgroups: number,
  ): Promise<void> {
    await this.encode(this.op, `${this.op}:${kernel.name}`, [{ kernel, constants, bindings, workgroups }]);
  }

  /**
   * Several dispatches, in order, in one compute pass of one submit (storage writes of
   * one are visible to the next), after `opts.before`'s commands and before `opts.then`'s; awaited.
   */
  async runAll(dispatches: readonly Dispatch[], opts: RunAllOptions = {}): Promise<void> {
    const label = opts.label ?? this.op;
    await this.encode(label, label, dispatches, opts.then, opts.before);
  }

  private async encode(
    op: string,
    label: string,
    dispatches: readonly Dispatch[],
    then?: (encoder: GPUCommandEncoder) => void,
    before?: (encoder: GPUCommandEncoder) => void,
  ): Promise<void> {
    const gpu = this.gpu;
    const pipelines = await Promise.all(dispatches.map((d) => gpu.pipeline(d.kernel, d.constants ?? {})));
    const groups = dispatches.map((d) => bindGroupFor(gpu, d.kernel, this.buffers(d.kernel, d.bindings)));
    await gpu.submit(op, (encoder) => {
      before?.(encoder);
      const pass = gpu.beginComputePass(encoder, label);
      dispatches.forEach((d, i) => {
        if (d.workgroups === 0) return;
        pass.setPipeline(pipelines[i]!);
        pass.setBindGroup(0, groups[i]!);
        for (let r = 0; r < (d.repeat ?? 1); r++) gpu.dispatch(pass, d.workgroups, label);
      });
      pass.end();
      then?.(encoder);
    });
  }

  /** Ends the call: temporaries and uploads freed; outputs kept on success, destroyed on failure. */
  close(succeeded: boolean): void {
    for (const b of this.temporaries.splice(0)) this.gpu.release(b);
    for (const release of this.uploads.splice(0)) release();
    for (const x of this.owned.splice(0)) x.destroy();
    const outputs = this.outputs.splice(0);
    if (!succeeded) for (const t of outputs) t.destroy();
  }
}

/**
 * Runs `body` with a scope that owns every buffer it allocates (see the module comment).
 * Validation belongs before this call, so bad input never reaches the GPU.
 */
export async function launch<T>(gpu: Gpu, op: string, body: (scope: LaunchScope) => Promise<T>): Promise<T> {
  const scope = new LaunchScope(gpu, op);
  let ok = false;
  try {
    const result = await body(scope);
    ok = true;
    return result;
  } finally {
    scope.close(ok);
  }
}
