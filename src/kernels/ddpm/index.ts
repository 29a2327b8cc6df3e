/**
 * DDPM on the GPU: schedules, Philox noise, forward noising, reverse steps (DDPM and
 * DDIM), the denoiser interface with the exact denoiser, and whole sampling runs.
 */
export * from '../../problem/ddpm-schedule';
export * from '../../problem/ddpm-coefficients';
export { randomNormal, randomUniform, randomBits, checkNoiseKey, type NoiseKey } from './rng';
export { forwardNoise } from './forward';
export { reverseStep } from './step';
export { hostDenoiser, type Denoiser, type DenoiseStep } from './denoiser';
export { sample, type GpuSampleOptions } from './sampler';
export { DDPM_KERNELS, RANDN_KERNEL, FORWARD_KERNEL, STEP_KERNEL, OPTIMAL_POINTS_KERNEL } from './specs';
export { makeOptimalDenoiser, type OptimalDenoiserBackend } from './optimal';
export { makeLearnedDenoiser } from './learned';
