/**
 * The denoiser interface of the samplers, and the exact denoiser of a finite
 * training set.
 *
 * ## The optimal denoiser is attention
 * Let the data distribution be the training set itself, p(x₀) = (1/m) Σ_i δ(x₀ − x_i).
 * The forward process gives q(x_t | x₀ = x_i) = N(√ᾱ x_i, (1−ᾱ) I), so by Bayes
 *
 *   p(x₀ = x_i | x_t) = w_i ∝ exp(−‖x_t − √ᾱ x_i‖² / (2(1−ᾱ))),
 *   E[x₀ | x_t] = Σ_i w_i x_i,
 *
 * which is the MMSE (optimal) denoiser; its ε̂ = (x_t − √ᾱ E[x₀|x_t]) / √(1−ᾱ).
 * Expand the exponent:
 *
 *   −‖x_t‖²/(2(1−ᾱ)) + (√ᾱ/(1−ᾱ)) x_t·x_i − ᾱ‖x_i‖²/(2(1−ᾱ)).
 *
 * The first term does not depend on i, so it cancels in the softmax over i. What
 * remains is a scaled dot product of the query x_t with the key x_i plus a per-key
 * bias, i.e. attention with Q = x_t (the noisy samples), K = V = the training set,
 *
 *   scale = √ᾱ/(1−ᾱ),   bias_i = −ᾱ‖x_i‖²/(2(1−ᾱ)),
 *
 * and output Σ_i softmax_i(scale·q·k_i + bias_i) v_i = E[x₀ | x_t]. The samplers then
 * take this x̂₀ directly (target 'x0'; see coefficients.ts).
 *
 * Following this denoiser to t = 0 lands every sample on a training point: it is the
 * "memorizing" optimum of the denoising objective. A trained network generalizes only
 * because it cannot represent this function exactly.
 */
import type { Gpu } from '../../gpu/device';
import { Tensor } from '../../gpu/tensor';
import type { PredictionTarget } from '../../problem/ddpm-coefficients';
export { optimalAttentionCoefficients, checkTrainingSet } from '../../problem/ddpm-coefficients';
import type { CpuDenoiser } from '../../problem/ddpm-plan';

/** What a denoiser is told about the step it is asked to denoise. */
export interface DenoiseStep {
  /** The timestep in the original schedule, 0 … T−1. */
  t: number;
  /** ᾱ_t. */
  alphaBar: number;
}

/**
 * An ε-predictor (or, equivalently, an x̂₀-predictor: `target` says which; the
 * sampler folds the conversion into its coefficients). `predict` returns a new
 * tensor of x's shape, [1, 1, n, dim], that the sampler destroys.
 */
export interface Denoiser {
  readonly name: string;
  readonly target: PredictionTarget;
  /** Values per sample. */
  readonly dim: number;
  predict(x: Tensor, step: DenoiseStep): Promise<Tensor>;
  /** Frees what the denoiser holds on the GPU. */
  destroy(): void;
}

/**
 * A CPU denoiser run behind the GPU interface: it reads x back, predicts on the
 * CPU and uploads the result. Slow, but any `CpuDenoiser` can drive the GPU sampler.
 */
export function hostDenoiser(gpu: Gpu, cpu: CpuDenoiser, dim: number, name = 'host'): Denoiser {
  return {
    name,
    target: cpu.target,
    dim,
    async predict(x, step) {
      const values = Float64Array.from(await x.read());
      const pred = cpu.predict(values, step.t, step.alphaBar);
      return Tensor.fromData(gpu, Float32Array.from(pred), x.shape, 'ddpm.host:pred');
    },
    destroy() {},
  };
}
