/**
 * The roofline's two probes, so each case can be placed on a roofline of *this*
 * device: `fmaProbe` (sustained FMA throughput; shaders/bench/fma.wgsl) and
 * `copyProbe` (copy bandwidth; shaders/bench/copy.wgsl). Each has a small
 * configuration space (override constants); the roofline suite tries every
 * configuration (src/bench/probe-search.ts) and reports the fastest, so the roofline
 * shows what the device can do, not what one configuration of a probe does.
 */
import fmaCode from '../../shaders/bench/fma.wgsl?raw';
import copyCode from '../../shaders/bench/copy.wgsl?raw';
import type { Gpu } from '../gpu/device';
import { launch, paramsBlock, type Dispatch, type KernelDescription } from '../gpu/launch';
import { InvalidArgumentError } from '../problem/errors';
import type { Tensor } from '../gpu/tensor';
import { fmaTrips } from './probe-math';

export { FMA_FLOPS_PER_ITERATION } from './flops';
export { fmaTrips } from './probe-math';

export const FMA_PROBE: KernelDescription = {
  name: 'bench:fma',
  code: fmaCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'out', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['invocations', 'u32'],
    ['iterations', 'u32'],
    ['_pad0', 'u32', 0],
    ['_pad1', 'u32', 0],
  ]),
};

export const COPY_PROBE: KernelDescription = {
  name: 'bench:copy',
  code: copyCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'src', kind: 'read-only-storage' },
    { name: 'dst', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['count', 'u32'],
    ['_pad0', 'u32', 0],
    ['_pad1', 'u32', 0],
    ['_pad2', 'u32', 0],
  ]),
};

/** The FMA probe's override constants: workgroup size and independent vec4 chains per invocation. */
export interface FmaProbeConfig {
  WG: number;
  /** 4, 8 or 16 (the shader has 16 chains and runs the first CHAINS). */
  CHAINS: number;
}

/** The copy probe's override constants: workgroup size and vec4s copied per invocation. */
export interface CopyProbeConfig {
  WG: number;
  VPT: number;
}

/** Chain counts fma.wgsl supports. */
export const FMA_CHAIN_COUNTS: readonly number[] = Object.freeze([4, 8, 16]);

/** The defaults (one call with no configuration): the probes as they were before tuning. */
export const DEFAULT_FMA_CONFIG: FmaProbeConfig = Object.freeze({ WG: 256, CHAINS: 8 });
export const DEFAULT_COPY_CONFIG: CopyProbeConfig = Object.freeze({ WG: 256, VPT: 1 });

/** The configurations the roofline suite tries, in order (ties go to the first). */
export const FMA_PROBE_CONFIGS: readonly FmaProbeConfig[] = Object.freeze(
  [64, 256].flatMap((WG) => FMA_CHAIN_COUNTS.map((CHAINS) => Object.freeze({ WG, CHAINS }))),
);
export const COPY_PROBE_CONFIGS: readonly CopyProbeConfig[] = Object.freeze(
  [64, 256].flatMap((WG) => [1, 4, 8].map((VPT) => Object.freeze({ WG, VPT }))),
);

/** Invocations per workgroup of both probes by default. */
export const PROBE_WG = DEFAULT_FMA_CONFIG.WG;

function positiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError(op, name, v, 'a positive integer');
}

function checkWorkgroup(gpu: Gpu, op: string, wg: number): void {
  positiveInt(op, 'config.WG', wg);
  const max = Math.min(gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
  if (wg > max) throw new InvalidArgumentError(op, 'config.WG', wg, `at most ${max} (this device's workgroup limit)`);
}

/**
 * Runs `invocations` invocations of `iterations` rounds of FMAs (each round 8 vec4
 * multiply-adds, however `config` splits them into chains); returns the
 * [invocations·4] output.
 */
export async function fmaProbe(
  gpu: Gpu,
  invocations: number,
  iterations: number,
  config: FmaProbeConfig = DEFAULT_FMA_CONFIG,
): Promise<Tensor> {
  const op = 'fmaProbe';
  positiveInt(op, 'invocations', invocations);
  positiveInt(op, 'iterations', iterations);
  checkWorkgroup(gpu, op, config.WG);
  if (!FMA_CHAIN_COUNTS.includes(config.CHAINS))
    throw new InvalidArgumentError(op, 'config.CHAINS', config.CHAINS, FMA_CHAIN_COUNTS.join(', '));
  const trips = fmaTrips(op, iterations, config.CHAINS);
  await gpu.ready(op);
  return launch(gpu, op, async (scope) => {
    const out = scope.output([invocations * 4], 'out');
    const constants = { WG: config.WG, CHAINS: config.CHAINS };
    await scope.run(FMA_PROBE, constants, { params: { invocations, iterations: trips }, out }, Math.ceil(invocations / config.WG));
    return out;
  });
}

/** Options of `copyProbe`. */
export interface CopyProbeOptions {
  config?: CopyProbeConfig;
  /** Copies encoded in one submission (default 1), so its fixed cost is shared. */
  reps?: number;
}

/** Copies `x` (length a multiple of 4) into a new tensor, vec4 by vec4, `reps` times in one submission. */
export async function copyProbe(gpu: Gpu, x: Tensor, options: CopyProbeOptions = {}): Promise<Tensor> {
  const op = 'copyProbe';
  const config = options.config ?? DEFAULT_COPY_CONFIG;
  const reps = options.reps ?? 1;
  if (x.size % 4 !== 0 || x.size === 0) throw new InvalidArgumentError(op, 'x.size', x.size, 'a positive multiple of 4');
  checkWorkgroup(gpu, op, config.WG);
  positiveInt(op, 'config.VPT', config.VPT);
  positiveInt(op, 'reps', reps);
  await gpu.ready(op);
  return launch(gpu, op, async (scope) => {
    const out = scope.output(x.shape, 'dst');
    const count = x.size / 4;
    const copy: Dispatch = {
      kernel: COPY_PROBE,
      constants: { WG: config.WG, VPT: config.VPT },
      bindings: { params: { count }, src: x, dst: out },
      workgroups: Math.ceil(count / (config.WG * config.VPT)),
      repeat: reps,
    };
    await scope.runAll([copy]);
    return out;
  });
}
