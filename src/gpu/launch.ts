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
 */
import type { KernelSpec } from './bindings';
import type { Gpu } from './device';
import type { OverrideConstants } from './pipelines';
import { Tensor, toDeviceAll, type TensorLike } from './tensor';
import { packUniforms, type UniformLayout } from './uniforms';

export { packUniforms, parseWgslStruct, type UniformLayout } from './uniforms';

/** A kernel with its uniform block declared: the binding of that name is packed from values. */
export interface KernelDescription extends KernelSpec {
  readonly uniforms?: { readonly binding: string; readonly layout: UniformLayout };
}

/** What a binding receives: a tensor, a raw buffer, or (for the uniform binding) field values. */
export type BindingValue = Tensor | GPUBuffer | Readonly<Record<string, number>>;

/** Every buffer one kernel call allocates, freed (or handed out) when the call ends. */
export class LaunchScope {
  private readonly temporaries: GPUBuffer[] = [];
  private readonly uploads: (() => void)[] = [];
  private readonly outputs: Tensor[] = [];

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

  /** The GPU buffers of `bindings`, by the kernel's table; field values become a uniform buffer. */
  private buffers(kernel: KernelDescription, bindings: Readonly<Record<string, BindingValue>>): Record<string, GPUBuffer> {
    const out: Record<string, GPUBuffer> = {};
    for (const { name } of kernel.bindings) {
      const value = Object.hasOwn(bindings, name) ? bindings[name] : undefined;
      if (value === undefined) throw new Error(`${kernel.name}: no value for binding '${name}'`);
      if (value instanceof Tensor) out[name] = value.buffer;
      else if (kernel.uniforms?.binding === name) {
        const data = packUniforms(kernel.name, kernel.uniforms.layout, value as Record<string, number>);
        const b = this.gpu.uniformBuffer(`${this.op}:${name}`, data);
        this.temporaries.push(b);
        out[name] = b;
      } else out[name] = value as GPUBuffer;
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
    const pipeline = await this.gpu.pipeline(kernel, constants);
    const buffers = this.buffers(kernel, bindings);
    await this.gpu.submit(this.op, (encoder) =>
      this.gpu.encodeKernel(encoder, `${this.op}:${kernel.name}`, kernel, pipeline, buffers, workgroups),
    );
  }

  /** Ends the call: temporaries and uploads freed; outputs kept on success, destroyed on failure. */
  close(succeeded: boolean): void {
    for (const b of this.temporaries.splice(0)) this.gpu.release(b);
    for (const release of this.uploads.splice(0)) release();
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
