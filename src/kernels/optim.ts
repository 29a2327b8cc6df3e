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
import type { Tensor } from '../gpu/tensor';
import { launch, type KernelDescription, type UniformLayout } from '../gpu/launch';
import { InvalidArgumentError, LimitExceededError } from '../problem/errors';
import {
  MAX_RACE_STEPS,
  OPT_CONFIG_BYTES,
  SURFACE_IDS,
  packOptimizers,
  scheduleTable,
  resolveGrid,
  resolveRace,
  type GridInput,
  type RaceInput,
  type ResolvedSurface,
} from '../problem/optim';
import { storageBufferLimit } from '../problem/limits';

export * from '../problem/optim';

/** The `Surface` struct of surfaces.wgsl, nested first in both kernels' uniform blocks (fields `surface.*`). */
const SURFACE_UNIFORMS: UniformLayout = [
  ['surface.kind', 'u32'],
  ['surface.condition', 'f32'],
  ['surface.cosT', 'f32'],
  ['surface.sinT', 'f32'],
  ['surface.noise', 'f32'],
  ['surface.seed', 'u32'],
  ['surface.pad0', 'u32', 0],
  ['surface.pad1', 'u32', 0],
];

/** A surface's uniform fields by name (see `SURFACE_UNIFORMS`). */
function surfaceUniforms(s: ResolvedSurface): Record<string, number> {
  return {
    'surface.kind': SURFACE_IDS[s.kind],
    'surface.condition': s.condition,
    'surface.cosT': s.cosT,
    'surface.sinT': s.sinT,
    'surface.noise': s.noise,
    'surface.seed': s.seed,
  };
}

export const RACE_KERNEL: KernelDescription = {
  name: 'optim.race',
  code: `${surfacesCode}\n${rulesCode}\n${raceCode}`,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'configs', kind: 'read-only-storage' },
    { name: 'state', kind: 'storage' },
    { name: 'path', kind: 'storage' },
    { name: 'lrs', kind: 'read-only-storage' },
  ],
  uniforms: {
    binding: 'params',
    layout: [...SURFACE_UNIFORMS, ['nTraj', 'u32'], ['nStarts', 'u32'], ['steps', 'u32'], ['inner', 'u32']],
  },
};

export const SURFACE_GRID_KERNEL: KernelDescription = {
  name: 'landscape.surface-grid',
  code: `${surfacesCode}\n${gridCode}`,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'out', kind: 'storage' },
  ],
  uniforms: {
    binding: 'params',
    layout: [
      ...SURFACE_UNIFORMS,
      ['res', 'u32'],
      ['x0', 'f32'],
      ['y0', 'f32'],
      ['dx', 'f32'],
      ['dy', 'f32'],
      ['pad0', 'u32', 0],
      ['pad1', 'u32', 0],
      ['pad2', 'u32', 0],
    ],
  },
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
  return launch(gpu, op, async (scope) => {
    const out = scope.output(r.shape, 'path');
    if (nTraj === 0) return out;
    // Initial state: position = start, moments 0, t = 0, β₁⁰ = β₂⁰ = 1.
    const init = new Float32Array((nTraj * STATE_BYTES) / 4);
    for (let i = 0; i < nTraj; i++) {
      const s = i % r.nStarts;
      const b = (i * STATE_BYTES) / 4;
      init[b] = r.starts[2 * s]!;
      init[b + 1] = r.starts[2 * s + 1]!;
      init[b + 9] = 1;
      init[b + 10] = 1;
    }
    const params = { ...surfaceUniforms(r.surface), nTraj, nStarts: r.nStarts, steps: r.steps, inner };
    const configs = scope.upload('configs', packOptimizers(r.optimizers));
    const lrs = scope.upload('lrs', scheduleTable(r.optimizers, r.steps));
    const state = scope.upload('state', init);
    // All trajectories in each dispatch; steps = 0 still takes one: it writes the starts and their losses.
    const repeat = Math.max(1, Math.ceil(r.steps / inner));
    const bindings = { params, configs, state, path: out, lrs };
    await scope.runAll([{ kernel: RACE_KERNEL, constants: { WG: RACE_WG }, bindings, workgroups: Math.ceil(nTraj / RACE_WG), repeat }]);
    return out;
  });
}

/** f on an R×R grid over `domain`; returns a Tensor [R, R], row j at y0 + j·dy. */
export async function surfaceGrid(gpu: Gpu, input: GridInput): Promise<Tensor> {
  const op = 'surfaceGrid';
  const g = resolveGrid(op, input);
  checkBinding(gpu, op, `the grid [${g.res}, ${g.res}]`, g.res * g.res * 4);
  await gpu.ready(op);
  return launch(gpu, op, async (scope) => {
    const out = scope.output([g.res, g.res], 'out');
    const wg = gridWg(gpu);
    const params = { ...surfaceUniforms(g.surface), res: g.res, x0: g.x0, y0: g.y0, dx: g.dx, dy: g.dy };
    await scope.run(SURFACE_GRID_KERNEL, { WG: wg }, { params, out }, Math.ceil((g.res * g.res) / wg));
    return out;
  });
}
