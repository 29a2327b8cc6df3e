/**
 * The training page's runs, on the GPU (the `Trainer`, the samplers with the learned
 * and the exact denoiser) or, without WebGPU, on the CPU references (`trainStepRef`,
 * `sampleRef`) at smaller sizes. Also the nearest-training-point distances that the
 * page's histograms show.
 */
import type { Gpu } from '../src/gpu/device';
import { Trainer, type TrainProgress } from '../src/kernels/train/trainer';
import { makeLearnedDenoiser } from '../src/kernels/ddpm/learned';
import { makeOptimalDenoiser, sample } from '../src/kernels/ddpm/index';
import { makeSchedule, type Schedule } from '../src/problem/ddpm-schedule';
import { resolveTrainConfig, type TrainConfig } from '../src/problem/train-config';
import { networkLayout, type NetworkSpec } from '../src/problem/train-model';
import { initNetworkRef, networkForwardRef, networkInput, trainStepRef } from '../src/reference/train/network';
import { initialState } from '../src/reference/optim';
import { optimalCpuDenoiser, sampleRef, type CpuDenoiser } from '../src/reference/ddpm';

/** What a run reports to the page after each loss readback. */
export interface Progress {
  step: number;
  losses: ArrayLike<number>;
  stepsPerSecond: number;
}

/** A finished training run: its parameters, on the GPU (for the learned denoiser) or the CPU. */
export interface TrainedModel {
  network: NetworkSpec;
  params: Float32Array;
  stepsPerSecond: number;
  backend: 'gpu' | 'cpu';
}

/** The sampling schedule of the page (the diffusion page's default). */
export const SCHEDULE: Schedule = makeSchedule('cosine', 1000);

/** x̂₀ is clipped to this multiple of the data's extent (see src/kernels/ddpm/learned.ts). */
export function clipFor(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]!));
  return 1.5 * m;
}

/** Trains `config` for `steps` on the GPU; `signal` stops it between steps. */
export async function trainOnGpu(
  gpu: Gpu,
  config: TrainConfig,
  steps: number,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<TrainedModel> {
  const trainer = await Trainer.create(gpu, config);
  try {
    let last: TrainProgress | null = null;
    last = await trainer.run(steps, { onProgress: (p) => onProgress(p), signal });
    const params = await trainer.parameters.read();
    return { network: trainer.config.layout.spec, params, stepsPerSecond: last.stepsPerSecond, backend: 'gpu' };
  } finally {
    trainer.destroy();
  }
}

/** Trains `config` for `steps` with the float64 CPU reference, yielding to the page every few steps. */
export async function trainOnCpu(
  config: TrainConfig,
  steps: number,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<TrainedModel> {
  const cfg = resolveTrainConfig('trainOnCpu', config);
  const params = initNetworkRef(cfg.layout.spec, cfg.seed);
  const state = initialState(params.length);
  const start = performance.now();
  let losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    if (signal?.aborted) throw new DOMException('training was aborted', 'AbortError');
    losses.push(trainStepRef(cfg, params, state).loss);
    if (losses.length === cfg.lossEvery || s === steps - 1) {
      onProgress({ step: s + 1, losses, stepsPerSecond: ((s + 1) * 1000) / (performance.now() - start) });
      losses = [];
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  return {
    network: cfg.layout.spec,
    params: Float32Array.from(params),
    stepsPerSecond: (steps * 1000) / (performance.now() - start),
    backend: 'cpu',
  };
}

/** The learned network as a CPU denoiser predicting clipped x̂₀ (as the GPU adapter does with `clip`). */
function learnedCpuDenoiser(model: TrainedModel, clip: number): CpuDenoiser {
  const layout = networkLayout('learnedCpuDenoiser', model.network);
  const dim = model.network.inputs;
  return {
    target: 'x0',
    predict(x, t, alphaBar) {
      const n = x.length / dim;
      const eps = networkForwardRef(layout, model.params, networkInput(layout, x, new Float64Array(n).fill(t)));
      const s0 = Math.sqrt(alphaBar);
      const s1 = Math.sqrt(1 - alphaBar);
      return x.map((v, i) => Math.min(clip, Math.max(-clip, (v - s1 * eps[i]!) / s0)));
    },
  };
}

/** Samples from the learned and the exact denoiser with the same seed and sampler (DDIM, 50 steps). */
export async function sampleBoth(
  gpu: Gpu | null,
  model: TrainedModel,
  data: Float32Array,
  n: number,
  seed: number,
): Promise<{ learned: Float32Array; exact: Float32Array }> {
  const opts = { sampler: 'ddim' as const, steps: 50, seed, n };
  const clip = clipFor(data);
  if (!gpu) {
    const run = (d: CpuDenoiser) => Float32Array.from(sampleRef(SCHEDULE, d, { ...opts, dim: 2 }));
    return { learned: run(learnedCpuDenoiser(model, clip)), exact: run(optimalCpuDenoiser(data, 2)) };
  }
  const out: Float32Array[] = [];
  for (const make of [() => makeLearnedDenoiser(gpu, model.network, model.params, { clip }), () => makeOptimalDenoiser(gpu, data, 2)]) {
    const den = await make();
    try {
      const x = await sample(gpu, SCHEDULE, den, opts);
      out.push(await x.read());
      x.destroy();
    } finally {
      den.destroy();
    }
  }
  return { learned: out[0]!, exact: out[1]! };
}

/** Every sample's distance to its nearest training point (2-D). */
export function nearestDistances(samples: ArrayLike<number>, train: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let q = 0; q + 1 < samples.length; q += 2) {
    let best = Infinity;
    for (let i = 0; i + 1 < train.length; i += 2) {
      const dx = samples[q]! - train[i]!;
      const dy = samples[q + 1]! - train[i + 1]!;
      best = Math.min(best, dx * dx + dy * dy);
    }
    out.push(Math.sqrt(best));
  }
  return out;
}

/** The median of a list. */
export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}
