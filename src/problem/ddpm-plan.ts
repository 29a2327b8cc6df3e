/**
 * The plan of a sampling run (which timesteps, with which coefficients) and the CPU
 * denoiser interface: shared by the GPU sampler (`src/kernels/ddpm/sampler.ts`) and
 * the CPU reference (`src/reference/ddpm.ts`), so both take exactly the same path.
 */
import { InvalidArgumentError } from './errors';
import { respace, timestepSubsequence, type Schedule } from './ddpm-schedule';
import {
  ddimCoefficients,
  ddpmCoefficients,
  type PredictionTarget,
  type ReverseVariance,
  type StepCoefficients,
} from './ddpm-coefficients';

/** A CPU denoiser: predicts ε̂ or x̂₀ for a batch x [n, dim] at timestep t. */
export interface CpuDenoiser {
  readonly target: PredictionTarget;
  predict(x: Float64Array, t: number, alphaBar: number): Float64Array;
}

export type SamplerKind = 'ddpm' | 'ddim';

/** One planned reverse step: timestep t → tPrev, its coefficients and the noise key. */
export interface PlannedStep {
  /** Index into the original schedule (what the denoiser sees). */
  t: number;
  tPrev: number;
  coefficients: StepCoefficients;
}

/**
 * The steps of a sampling run, shared by the CPU and GPU samplers so both take
 * exactly the same path: τ is `timestepSubsequence(T, steps)`, walked from the top.
 * DDPM with steps < T runs on the respaced schedule (ᾱ'_i = ᾱ_{τ_i}).
 */
export function planSampling(
  schedule: Schedule,
  sampler: SamplerKind,
  steps: number,
  target: PredictionTarget,
  eta = 0,
  variance: ReverseVariance = 'beta',
): PlannedStep[] {
  if (sampler !== 'ddpm' && sampler !== 'ddim') throw new InvalidArgumentError('ddpm.sample', 'sampler', sampler, "'ddpm' or 'ddim'");
  const taus = timestepSubsequence(schedule.T, steps);
  const plan: PlannedStep[] = [];
  if (sampler === 'ddim') {
    for (let i = taus.length - 1; i >= 0; i--) {
      const tPrev = i === 0 ? -1 : taus[i - 1]!;
      plan.push({ t: taus[i]!, tPrev, coefficients: ddimCoefficients(schedule, taus[i]!, tPrev, eta, target) });
    }
  } else {
    const sub = steps === schedule.T ? schedule : respace(schedule, taus);
    for (let i = taus.length - 1; i >= 0; i--) {
      plan.push({ t: taus[i]!, tPrev: i === 0 ? -1 : taus[i - 1]!, coefficients: ddpmCoefficients(sub, i, variance, target) });
    }
  }
  return plan;
}
