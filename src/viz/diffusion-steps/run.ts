/**
 * The computation behind `<diffusion-steps>`, with no DOM: the checked attributes into
 * a configuration (with the rules that span attributes), and one sampling run (reverse frames, forward frames and
 * the memorization distance) on the GPU or, where there is none, on the CPU
 * reference at a smaller sample count. Runs are abortable and report progress.
 */
import type { Gpu } from '../../gpu/device';
import { DATASETS, dataset, type DatasetInfo, type DatasetName } from '../../data/index';
import { AttributeError } from '../attributes';
import { DIFFUSION_LIMITS } from './attributes';

export { DIFFUSION_LIMITS };
import { makeSchedule, type Schedule, type ScheduleKind } from '../../problem/ddpm-schedule';
import { forwardNoise, randomNormal, sample, type Denoiser } from '../../kernels/ddpm/index';
import { makeOptimalDenoiser } from '../../kernels/ddpm/optimal';
import {
  forwardNoiseRef,
  medianNearestDistance,
  medianSpacing,
  optimalCpuDenoiser,
  sampleRef,
  type SamplerKind,
} from '../../reference/ddpm';
import { philoxNormals, RNG_STREAM } from '../../reference/philox';

/** The element's configuration, from its attributes. */
export interface DiffusionConfig {
  dataset: DatasetName;
  schedule: ScheduleKind;
  sampler: SamplerKind;
  /** Reverse steps (≤ T). */
  steps: number;
  seed: number;
  samples: number;
  /** T, the length of the training schedule. */
  timesteps: number;
}

/** The element's attributes, each already read through its spec (`diffusion-steps-attributes.ts`). */
export interface DiffusionAttributes {
  dataset: string;
  schedule: ScheduleKind;
  sampler: SamplerKind;
  /** null: 50, or T when T is smaller. */
  steps: number | null;
  seed: number;
  /** null: 1024 points or 36 images. */
  samples: number | null;
  timesteps: number;
}

/**
 * The configuration of checked attributes, with the rules that span them: steps ≤
 * timesteps, and at most 256 images. Throws `AttributeError` naming the attribute.
 */
export function diffusionConfig(a: DiffusionAttributes): DiffusionConfig {
  const info = dataset(a.dataset);
  const T = a.timesteps;
  const steps = a.steps ?? Math.min(50, T);
  if (steps > T) throw new AttributeError('diffusion-steps', 'steps', steps, `an integer in [1, ${T}] (at most timesteps)`);
  const images = info.kind === 'images';
  const samples = a.samples ?? (images ? 36 : 1024);
  if (images && samples > DIFFUSION_LIMITS.maxImageSamples)
    throw new AttributeError('diffusion-steps', 'samples', samples, `an integer in [1, ${DIFFUSION_LIMITS.maxImageSamples}] for images`);
  return { dataset: info.name as DatasetName, schedule: a.schedule, sampler: a.sampler, steps, seed: a.seed, samples, timesteps: T };
}

/** A stable key of a configuration: the same key draws the same picture. */
export function configKey(c: DiffusionConfig): string {
  return `${c.dataset}|${c.schedule}|${c.sampler}|${c.steps}|${c.seed}|${c.samples}|${c.timesteps}`;
}

/** One recorded state of the particles: x at timestep t (t = −1 is the end of sampling, x₀). */
export interface DiffusionFrame {
  t: number;
  x: Float32Array;
}

export interface DiffusionResult {
  config: DiffusionConfig;
  backend: 'gpu' | 'cpu';
  /** Why the CPU was used (no WebGPU), if it was. */
  cpuReason: string | null;
  /** Samples actually drawn (fewer than asked on the CPU). */
  n: number;
  dim: number;
  kind: DatasetInfo['kind'];
  train: Float32Array;
  /** Reverse process, from x_T (t = T−1… ) down to the samples (t = −1). */
  reverse: DiffusionFrame[];
  /** Forward process of fresh data samples, x₀ (t = −1) up to t = T−1, the same ε per particle. */
  forward: DiffusionFrame[];
  /** Median distance from a sample to its nearest training point. */
  medianNearest: number;
  /** Median nearest-neighbour distance within the training set (the data's own scale). */
  trainSpacing: number;
  /** Wall time of the sampling run, ms. */
  ms: number;
}

/** The training set a configuration uses: `defaultSize` points of the data set, seed-independent. */
export function trainingSet(info: DatasetInfo): Float32Array {
  return info.make(info.defaultSize, 12345);
}

/** Frame indices to record among `steps` steps: at most `maxFrames`, always the last. */
function recordEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / DIFFUSION_LIMITS.maxFrames));
}

/** Forward-process timesteps for the frames: evenly spaced over 0 … T−1. */
function forwardTimesteps(T: number, frames: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < frames; i++) out.push(Math.round((i * (T - 1)) / (frames - 1)));
  return [...new Set(out)];
}

export interface RunHooks {
  signal?: AbortSignal;
  /** Progress in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('the run was superseded', 'AbortError');
}

/** Runs the configuration on `gpu` (or on the CPU when it is null). */
export async function runDiffusion(
  config: DiffusionConfig,
  gpu: Gpu | null,
  cpuReason: string | null,
  hooks: RunHooks = {},
): Promise<DiffusionResult> {
  const info = DATASETS[config.dataset] as DatasetInfo;
  const schedule = makeSchedule(config.schedule, config.timesteps);
  const train = trainingSet(info);
  const dim = info.dim;
  const n = gpu
    ? config.samples
    : Math.min(config.samples, info.kind === 'images' ? DIFFUSION_LIMITS.cpuImageSamples : DIFFUSION_LIMITS.cpuSamples);
  const every = recordEvery(config.steps);
  const start = performance.now();
  const reverse: DiffusionFrame[] = [];
  const forwardX0 = info.make(n, config.seed + 1);
  const ft = forwardTimesteps(config.timesteps, Math.min(DIFFUSION_LIMITS.maxFrames, config.timesteps, 50));
  let forward: DiffusionFrame[];
  let final: Float32Array;
  const T = config.timesteps;

  if (gpu) {
    const den: Denoiser = await makeOptimalDenoiser(gpu, train, dim);
    try {
      const xT = await randomNormal(gpu, [1, 1, n, dim], { seed: config.seed, stream: RNG_STREAM.init, step: T });
      reverse.push({ t: T - 1, x: await xT.read() });
      const out = await sample(gpu, schedule, den, {
        sampler: config.sampler,
        steps: config.steps,
        seed: config.seed,
        n,
        xT,
        signal: hooks.signal,
        onStep: async (i, t, x) => {
          hooks.onProgress?.((i + 1) / config.steps);
          if (i % every === every - 1 || t === -1) reverse.push({ t, x: await x.read() });
        },
      }).finally(() => xT.destroy());
      final = await out.read();
      out.destroy();
      forward = await forwardFramesGpu(gpu, schedule, forwardX0, ft, dim, config.seed);
    } finally {
      den.destroy();
    }
  } else {
    const den = optimalCpuDenoiser(train, dim);
    const xT = philoxNormals(config.seed, RNG_STREAM.init, T, n * dim);
    reverse.push({ t: T - 1, x: Float32Array.from(xT) });
    final = Float32Array.from(
      sampleRef(schedule, den, {
        sampler: config.sampler,
        steps: config.steps,
        seed: config.seed,
        n,
        dim,
        xT,
        onStep: (k, t, x) => {
          if (k % every === every - 1 || t === -1) reverse.push({ t, x: Float32Array.from(x) });
        },
      }),
    );
    hooks.onProgress?.(1);
    const eps = philoxNormals(config.seed, RNG_STREAM.forward, 0, n * dim);
    forward = [
      { t: -1, x: forwardX0 },
      ...ft.map((t) => ({ t, x: Float32Array.from(forwardNoiseRef(schedule, forwardX0, new Array(n).fill(t), eps, dim)) })),
    ];
  }
  checkAbort(hooks.signal);
  const ms = performance.now() - start;
  return {
    config,
    backend: gpu ? 'gpu' : 'cpu',
    cpuReason: gpu ? null : cpuReason,
    n,
    dim,
    kind: info.kind,
    train,
    reverse,
    forward,
    medianNearest: medianNearestDistance(final, train, dim),
    trainSpacing: medianSpacing(train, dim),
    ms,
  };
}

/** All forward frames in one dispatch: x₀ tiled once per timestep, at mixed t, the same ε per particle. */
async function forwardFramesGpu(
  gpu: Gpu,
  schedule: Schedule,
  x0: Float32Array,
  ts: number[],
  dim: number,
  seed: number,
): Promise<DiffusionFrame[]> {
  const n = x0.length / dim;
  const epsT = await randomNormal(gpu, [n, dim], { seed, stream: RNG_STREAM.forward, step: 0 });
  const eps = await epsT.read();
  epsT.destroy();
  const rows = n * ts.length;
  const tiledX = new Float32Array(rows * dim);
  const tiledE = new Float32Array(rows * dim);
  const t = new Uint32Array(rows);
  ts.forEach((tt, k) => {
    tiledX.set(x0, k * n * dim);
    tiledE.set(eps, k * n * dim);
    t.fill(tt, k * n, (k + 1) * n);
  });
  const y = await forwardNoise(gpu, schedule, { data: tiledX, shape: [rows, dim] }, t, { data: tiledE, shape: [rows, dim] });
  const all = await y.read();
  y.destroy();
  return [{ t: -1, x: x0 }, ...ts.map((tt, k) => ({ t: tt, x: all.slice(k * n * dim, (k + 1) * n * dim) }))];
}
