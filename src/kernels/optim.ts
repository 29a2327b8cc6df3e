/**
 * The optimizer race and the surface grid on the GPU.
 *
 * - `race(gpu, input)`: every optimizer from every start at once; one dispatch per
 *   step (all trajectories in it), every step's point and loss recorded.
 *   Returns a Tensor [optimizers, starts, steps + 1, 3] of (x, y, loss).
 * - `surfaceGrid(gpu, input)`: f on an R×R grid for contours. Returns [R, R].
 *
 * CPU references: `raceReference`, `surfaceGridReference` in src/reference/optim.ts.
 */
import surfacesCode from '../../shaders/optim/surfaces.wgsl?raw';
import raceCode from '../../shaders/optim/race.wgsl?raw';
import rulesCode from '../../shaders/optim/rules.wgsl?raw';
import gridCode from '../../shaders/landscape/surface-grid.wgsl?raw';
import type { Gpu } from '../gpu/device';
import type { KernelSpec } from '../gpu/bindings';
import { InvalidArgumentError, LimitExceededError } from '../problem/errors';
import { Tensor } from '../gpu/tensor';
import { packScalars } from '../gpu/uniforms';
import {
  MAX_RACE_STEPS,
  OPT_CONFIG_BYTES,
  packOptimizers,
  scheduleTable,
  resolveGrid,
  resolveRace,
  surfaceFields,
  type GridInput,
  type RaceInput,
} from '../problem/optim';
import { storageBufferLimit } from '../problem/limits';

export * from '../problem/optim';

export const RACE_KERNEL: KernelSpec = {
  name: 'optim.race',
  code: `${surfacesCode}\n${rulesCode}\n${raceCode}`,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'configs', kind: 'read-only-storage' },
    { name: 'state', kind: 'storage' },
    { name: 'path', kind: 'storage' },
    { name: 'lrs', kind: 'read-only-storage' },
  ],
};

export const SURFACE_GRID_KERNEL: KernelSpec = {
  name: 'landscape.surface-grid',
  code: `${surfacesCode}\n${gridCode}`,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'out', kind: 'storage' },
  ],
};

/** Bytes of one trajectory's `State` in race.wgsl. */
const STATE_BYTES = 48;
const RACE_WG = 64;
/** The grid's workgroup size: 256, or less on devices that allow fewer invocations (compatibility mode: 128). */
function gridWg(gpu: Gpu): number {
  return Math.min(256, gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
}

/** Throws `LimitExceededError` unless a storage buffer of `bytes` fits the device (binding and buffer limits). */
function checkBinding(gpu: Gpu, op: string, what: string, bytes: number): void {
  const { bytes: max, name } = storageBufferLimit(gpu.limits);
  if (!(bytes <= max)) throw new LimitExceededError(op, `${name} for ${what}`, bytes, max);
}

export interface RaceOptions {
  /**
   * Steps each dispatch takes (default 1: one dispatch per step, all trajectories
   * in it). Larger values trade dispatch overhead for fewer, longer invocations.
   */
  stepsPerDispatch?: number;
}

/**
 * Runs the race. All inputs are validated first (typed errors, no GPU work), and
 * the path buffer is checked against the device's binding limit.
 */
export async function race(gpu: Gpu, input: RaceInput, opts: RaceOptions = {}): Promise<Tensor> {
  const op = 'race';
  const r = resolveRace(op, input);
  if (typeof opts !== 'object' || opts === null) throw new InvalidArgumentError(op, 'options', opts, 'an options object or undefined');
  const inner = opts.stepsPerDispatch ?? 1;
  if (typeof inner !== 'number' || !Number.isInteger(inner) || inner < 1 || inner > MAX_RACE_STEPS)
    throw new InvalidArgumentError(op, 'stepsPerDispatch', inner, `an integer in [1, ${MAX_RACE_STEPS}]`);
  const nTraj = r.optimizers.length * r.nStarts;
  // Every buffer the race allocates, checked before the first of them (and before the host arrays behind them).
  const pathBytes = nTraj * (r.steps + 1) * 3 * 4;
  checkBinding(gpu, op, `the path [${r.shape.join(', ')}]`, pathBytes);
  checkBinding(gpu, op, `the state of ${nTraj} trajectories`, nTraj * STATE_BYTES);
  checkBinding(gpu, op, `the configurations of ${r.optimizers.length} optimizers`, r.optimizers.length * OPT_CONFIG_BYTES);
  checkBinding(gpu, op, `the learning-rate table [${r.optimizers.length}, ${r.steps}]`, r.optimizers.length * r.steps * 4);
  await gpu.ready(op);
  const out = Tensor.zeros(gpu, r.shape, `${op}:path`);
  if (nTraj === 0) return out;
  // Initial state: position = start, moments 0, t = 0, β₁⁰ = β₂⁰ = 1.
  const init = new ArrayBuffer(nTraj * STATE_BYTES);
  const f = new Float32Array(init);
  for (let i = 0; i < nTraj; i++) {
    const s = i % r.nStarts;
    const b = (i * STATE_BYTES) / 4;
    f[b] = r.starts[2 * s]!;
    f[b + 1] = r.starts[2 * s + 1]!;
    f[b + 9] = 1;
    f[b + 10] = 1;
  }
  const temporaries: GPUBuffer[] = [];
  try {
    const pipeline = await gpu.pipeline(RACE_KERNEL, { WG: RACE_WG });
    const params = gpu.uniformBuffer(
      `${op}:params`,
      packScalars([...surfaceFields(r.surface), ['u32', nTraj], ['u32', r.nStarts], ['u32', r.steps], ['u32', inner]]),
    );
    temporaries.push(params);
    const configData = packOptimizers(r.optimizers);
    const configs = gpu.createBuffer(`${op}:configs`, configData.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    temporaries.push(configs);
    gpu.device.queue.writeBuffer(configs, 0, configData);
    const lrData = scheduleTable(r.optimizers, r.steps);
    const lrs = gpu.createBuffer(`${op}:lrs`, lrData.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    temporaries.push(lrs);
    gpu.device.queue.writeBuffer(lrs, 0, lrData.buffer, lrData.byteOffset, lrData.byteLength);
    const state = gpu.createBuffer(`${op}:state`, init.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    temporaries.push(state);
    gpu.device.queue.writeBuffer(state, 0, init);
    await gpu.submit(
      op,
      (encoder) => {
        const pass = gpu.beginComputePass(encoder, op);
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, gpu.bindGroup(RACE_KERNEL, { params, configs, state, path: out.buffer, lrs }));
        const groups = Math.ceil(nTraj / RACE_WG);
        // steps = 0 still takes one dispatch: it writes the starts and their losses.
        const dispatches = Math.max(1, Math.ceil(r.steps / inner));
        for (let d = 0; d < dispatches; d++) gpu.dispatch(pass, groups, op);
        pass.end();
      },
      [...temporaries], // (also released below: submit can throw before it takes them; release is idempotent)
    );
    return out;
  } catch (e) {
    out.destroy();
    throw e;
  } finally {
    for (const t of temporaries) gpu.release(t);
  }
}

/** f on an R×R grid over `domain`; returns a Tensor [R, R], row j at y0 + j·dy. */
export async function surfaceGrid(gpu: Gpu, input: GridInput): Promise<Tensor> {
  const op = 'surfaceGrid';
  const g = resolveGrid(op, input);
  checkBinding(gpu, op, `the grid [${g.res}, ${g.res}]`, g.res * g.res * 4);
  await gpu.ready(op);
  const out = Tensor.zeros(gpu, [g.res, g.res], `${op}:out`);
  let params: GPUBuffer | null = null;
  try {
    const wg = gridWg(gpu);
    const pipeline = await gpu.pipeline(SURFACE_GRID_KERNEL, { WG: wg });
    params = gpu.uniformBuffer(
      `${op}:params`,
      packScalars([
        ...surfaceFields(g.surface),
        ['u32', g.res],
        ['f32', g.x0],
        ['f32', g.y0],
        ['f32', g.dx],
        ['f32', g.dy],
        ['u32', 0],
        ['u32', 0],
        ['u32', 0],
      ]),
    );
    await gpu.submit(
      op,
      (encoder) => {
        gpu.encodeKernel(encoder, op, SURFACE_GRID_KERNEL, pipeline, { params: params!, out: out.buffer }, Math.ceil((g.res * g.res) / wg));
      },
      [params],
    );
    return out;
  } catch (e) {
    out.destroy();
    throw e;
  } finally {
    if (params) gpu.release(params); // idempotent; covers a submit that throws before taking it
  }
}
