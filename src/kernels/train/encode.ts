/**
 * Launch plumbing of the training kernels: a kernel launch described as data
 * (`Launch`: kernel, override constants, uniform values by field name, named buffers
 * or buffer ranges, workgroups). A standalone call runs its launches through a launch
 * scope (`toDispatch`, src/gpu/launch.ts); a training step is a fixed list of launches,
 * so it turns them once into pipelines and bind groups (`prepare`) and encodes them as
 * dispatches of one compute pass as often as needed (`encodeAll`).
 *
 * Matmul launches reuse the matmul ladder (`src/kernels/matmul`): its variant
 * choice, pipelines and uniform packing, with the operands as buffer ranges.
 */
import type { Gpu } from '../../gpu/device';
import type { KernelSpec } from '../../gpu/bindings';
import type { OverrideConstants } from '../../gpu/pipelines';
import { bindGroupFor, packFor, type BufferRange, type Dispatch, type KernelDescription } from '../../gpu/launch';
import { planMatmul } from '../matmul';
import { MATMUL_KERNELS, matmulUniforms, matmulWorkgroups } from '../matmul/kernels';
import { resolveMatmulOptions, resolveMatmulProblem } from '../../problem/matmul';
import { PHILOX_CONSTANTS } from '../../problem/philox';
import { GELU_CONSTANTS } from '../../problem/train-layers';
import { CLIP_EPS } from '../../problem/train-schedule';
import { TRAIN_ACTIVATION_KERNELS, TRAIN_PHILOX_KERNELS, UPDATE_KERNEL } from './specs';

/** A whole buffer, or a range of it in bytes (offset a multiple of 256, size a multiple of 4). */
export type Binding = GPUBuffer | BufferRange;

/** One kernel launch, as data. */
export interface Launch {
  label: string;
  spec: KernelDescription;
  /** Override constants beyond those every kernel of its family gets (Philox, GELU, WG…). */
  constants?: OverrideConstants;
  /** The `params` uniform block's values, by field name (packed by the kernel's layout). */
  uniform: Readonly<Record<string, number>>;
  /** Buffers by binding name (`params` excluded: it is the uniform). */
  buffers: Record<string, Binding>;
  workgroups: number;
}

/** A launch with its pipeline, uniform buffer and bind group made. */
export interface Prepared {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: number;
  /** The uniform buffer (the owner releases it). */
  params: GPUBuffer;
}

/** The largest power of two ≤ min(preferred, the device's workgroup limits). */
export function workgroupSize(gpu: Gpu, preferred: number): number {
  const cap = Math.min(preferred, gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
  return 2 ** Math.floor(Math.log2(Math.max(1, cap)));
}

/** The override constants a training kernel always gets: its family's constants plus `extra`. */
export function constantsFor(spec: KernelSpec, extra: OverrideConstants = {}): OverrideConstants {
  const base: Record<string, number> = {};
  if (TRAIN_PHILOX_KERNELS.includes(spec)) Object.assign(base, PHILOX_CONSTANTS);
  if (TRAIN_ACTIVATION_KERNELS.includes(spec)) Object.assign(base, GELU_CONSTANTS);
  if (spec === UPDATE_KERNEL) base.CLIP_EPS = CLIP_EPS;
  return { ...base, ...extra };
}

/** A launch as a dispatch of a launch scope (`LaunchScope.runAll`): its family's constants added, `params` its uniform values. */
export function toDispatch(l: Launch): Dispatch {
  return {
    kernel: l.spec,
    constants: constantsFor(l.spec, l.constants),
    bindings: { ...l.buffers, params: l.uniform },
    workgroups: l.workgroups,
  };
}

/** Pipelines, uniforms and bind groups of `launches`; on failure, the uniforms made so far are released. */
export async function prepare(gpu: Gpu, launches: readonly Launch[]): Promise<Prepared[]> {
  const pipelines = await Promise.all(launches.map((l) => gpu.pipeline(l.spec, constantsFor(l.spec, l.constants))));
  const out: Prepared[] = [];
  try {
    launches.forEach((l, i) => {
      const params = gpu.uniformBuffer(`${l.label}:params`, packFor(l.spec, l.uniform));
      out.push({
        label: l.label,
        pipeline: pipelines[i]!,
        params,
        workgroups: l.workgroups,
        bindGroup: bindGroupFor(gpu, l.spec, { ...l.buffers, params }),
      });
    });
    return out;
  } catch (e) {
    for (const p of out) gpu.release(p.params);
    throw e;
  }
}

/** Encodes the prepared launches as dispatches of one compute pass. */
export function encodeAll(gpu: Gpu, encoder: GPUCommandEncoder, label: string, prepared: readonly Prepared[]): void {
  const pass = gpu.beginComputePass(encoder, label);
  for (const p of prepared) {
    if (p.workgroups === 0) continue;
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, p.bindGroup);
    gpu.dispatch(pass, p.workgroups, p.label);
  }
  pass.end();
}

/** Releases the launches' uniform buffers. */
export function releasePrepared(gpu: Gpu, prepared: readonly Prepared[]): void {
  for (const p of prepared) gpu.release(p.params);
}

/** Bytes of a binding. */
function bindingBytes(b: Binding): number {
  return b instanceof GPUBuffer ? b.size : b.size;
}

/**
 * A matmul launch C = op(A)·op(B) on buffer ranges, through the matmul ladder's
 * variant choice ('auto') and kernels. Shapes are validated by its rules.
 * `dummy` is a 16-byte buffer for the direct variant's vec4 view of a tiny B.
 */
export function matmulLaunch(
  gpu: Gpu,
  label: string,
  aShape: readonly number[],
  bShape: readonly number[],
  opts: { transposeA?: boolean; transposeB?: boolean },
  a: Binding,
  b: Binding,
  c: Binding,
  dummy: GPUBuffer,
): Launch {
  const problem = resolveMatmulProblem(label, aShape, bShape, resolveMatmulOptions(label, opts));
  const { variant, config } = planMatmul(gpu, label, problem, 'auto');
  const buffers: Record<string, Binding> = { matA: a, matB: b, matC: c };
  if (variant === 'direct') {
    const bytes = bindingBytes(b);
    if (bytes < 16) buffers.matB4 = dummy;
    else if (b instanceof GPUBuffer) buffers.matB4 = b;
    else buffers.matB4 = { buffer: b.buffer, offset: b.offset, size: Math.floor(b.size / 16) * 16 };
  }
  return {
    label,
    spec: MATMUL_KERNELS[variant],
    constants: config.constants,
    uniform: matmulUniforms(problem),
    buffers,
    workgroups: problem.cSize === 0 || problem.K === 0 ? 0 : matmulWorkgroups(problem, config),
  };
}
