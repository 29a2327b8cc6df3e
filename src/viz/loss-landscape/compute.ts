/**
 * The compute side of `<loss-landscape>`: one configuration's contour grid and optimizer
 * race (or the MLP slice), on the GPU, or on the CPU reference where WebGPU is missing.
 * The element runs it through its task controller (`GpuTask`), which drops superseded runs.
 */
import type { Gpu } from '../../gpu/device';
import { race, surfaceGrid } from '../../kernels/optim';
import { mlpSlice } from '../../kernels/landscape';
import { raceReference, surfaceGridReference } from '../../reference/optim';
import { filterNormalizedDirection, sliceRace, sliceReference, trainMlp, type SliceInput, type TrainedMlp } from '../../reference/mlp';
import { gpuUnavailableReason } from '../shared-gpu';
import type { LandscapeConfig } from './config';

/** What one run produced. */
export interface LandscapeResult {
  config: LandscapeConfig;
  /** f (or the MLP loss) on the grid, [R, R], row = y. */
  grid: ArrayLike<number>;
  /** [optimizers, starts, steps + 1, 3] of (x, y, loss). */
  paths: ArrayLike<number>;
  shape: [number, number, number, number];
  backend: 'gpu' | 'cpu';
  /** Why the CPU ran, when it did. */
  fallbackReason: string | null;
  /** Wall time of the run, in milliseconds. */
  ms: number;
  /** Where the time went: training (mlp, first run of a seed only), the grid, the race. */
  phases: { trainMs: number; gridMs: number; raceMs: number };
  /** MLP mode: the trained network's loss and accuracy. */
  mlp?: { loss: number; accuracy: number; params: number };
}

/** Where point `t` of optimizer `o`'s path from start `s` begins in `result.paths` (then x, y, loss). */
export function pathOffset(result: LandscapeResult, o: number, s: number, t: number): number {
  const [, nStarts, points] = result.shape;
  return ((o * nStarts + s) * points + t) * 3;
}

const trained = new Map<number, TrainedMlp>();

/** The network of `seed`, trained once per page (deterministic: same seed, same weights). */
export function trainedNetwork(seed: number): TrainedMlp {
  let net = trained.get(seed);
  if (!net) {
    net = trainMlp({ seed });
    trained.set(seed, net);
  }
  return net;
}

/** The slice request of the MLP mode for a configuration. */
export function sliceInputFor(config: LandscapeConfig): SliceInput {
  const net = trainedNetwork(config.seed);
  return {
    sizes: net.sizes,
    params: net.params,
    d1: filterNormalizedDirection(net.params, net.sizes, config.seed * 2 + 101),
    d2: filterNormalizedDirection(net.params, net.sizes, config.seed * 2 + 102),
    data: net.data,
    resolution: config.resolution,
    domain: config.domain,
  };
}

/** Runs a configuration on `gpu`, or on the CPU when `gpu` is null. */
export async function computeLandscape(config: LandscapeConfig, gpu: Gpu | null): Promise<LandscapeResult> {
  const t0 = performance.now();
  const fallbackReason = gpu ? null : (gpuUnavailableReason() ?? 'WebGPU unavailable');
  if (config.mode === 'mlp') {
    const net = trainedNetwork(config.seed);
    const t1 = performance.now();
    const input = sliceInputFor(config);
    let grid: ArrayLike<number>;
    if (gpu) {
      const t = await mlpSlice(gpu, input);
      try {
        grid = await t.read();
      } finally {
        t.destroy();
      }
    } else grid = sliceReference(input).data;
    const t2 = performance.now();
    // The optimizers race on the slice itself: L(α, β) with its exact gradient (d₁·∇L, d₂·∇L), on the CPU.
    const r = sliceRace(input, config.optimizers, config.starts, config.steps);
    const t3 = performance.now();
    return {
      config,
      grid,
      paths: r.data,
      shape: r.shape as LandscapeResult['shape'],
      backend: gpu ? 'gpu' : 'cpu',
      fallbackReason,
      ms: t3 - t0,
      phases: { trainMs: t1 - t0, gridMs: t2 - t1, raceMs: t3 - t2 },
      mlp: { loss: net.loss, accuracy: net.accuracy, params: net.params.length },
    };
  }
  const gridInput = { surface: config.surface, resolution: config.resolution, domain: config.domain };
  const raceInput = { surface: config.surface, optimizers: config.optimizers, starts: config.starts, steps: config.steps };
  if (gpu) {
    const [g, p] = await Promise.all([surfaceGrid(gpu, gridInput), race(gpu, raceInput)]);
    try {
      const [grid, paths] = await Promise.all([g.read(), p.read()]);
      const ms = performance.now() - t0;
      return {
        config,
        grid,
        paths,
        shape: [...p.shape] as LandscapeResult['shape'],
        backend: 'gpu',
        fallbackReason,
        ms,
        phases: { trainMs: 0, gridMs: ms, raceMs: ms },
      };
    } finally {
      g.destroy();
      p.destroy();
    }
  }
  const grid = surfaceGridReference(gridInput).data;
  const t1 = performance.now();
  const r = raceReference(raceInput);
  const t2 = performance.now();
  return {
    config,
    grid,
    paths: r.data,
    shape: r.shape as LandscapeResult['shape'],
    backend: 'cpu',
    fallbackReason,
    ms: t2 - t0,
    phases: { trainMs: 0, gridMs: t1 - t0, raceMs: t2 - t1 },
  };
}
