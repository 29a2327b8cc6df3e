/**
 * `makeOptimalDenoiser`: the exact denoiser of a training set on the GPU, behind the
 * `Denoiser` interface, computed by the project's flash-attention kernel with a
 * per-key bias (see denoiser.ts for the derivation):
 *
 *   E[x₀ | x_t] = attention(Q = x_t, K = V = train, scale = √ᾱ/(1−ᾱ), bias_i = −ᾱ‖x_i‖²/(2(1−ᾱ)))
 *
 * Shapes: x_t [1, 1, n, dim] (n noisy samples as queries), train [1, 1, m, dim]
 * (keys and values), bias [m]; output x̂₀ [1, 1, n, dim].
 *
 * For dim ≤ 4 (the 2-D point clouds) the default is a small fused kernel of the same
 * maths, `shaders/ddpm/optimal_points.wgsl`: the generic flash tiling gives each
 * invocation 4 query rows × 4 output columns, so at d = dv = 2 most lanes compute
 * padding (measured here on SwiftShader: 4096 queries × 512 keys, ≈ 1 s per call on
 * the flash path against tens of ms fused). Images (dim 256) use flash attention.
 */
import type { Gpu } from '../../gpu/device';
import { InvalidArgumentError } from '../../problem/errors';
import { Tensor } from '../../gpu/tensor';
import { attention } from '../attention';
import { checkTrainingSet, optimalAttentionCoefficients } from '../../problem/ddpm-coefficients';
import type { Denoiser, DenoiseStep } from './denoiser';
import { launch } from '../../gpu/launch';
import { OPTIMAL_POINTS_KERNEL, OPTIMAL_POINTS_MAX_DIM, OPTIMAL_POINTS_WG } from './specs';

/** 'auto': fused for dim ≤ 4, else attention. */
export type OptimalDenoiserBackend = 'auto' | 'attention' | 'fused';

class FusedOptimalDenoiser implements Denoiser {
  readonly name = 'optimal (fused kernel)';
  readonly target = 'x0' as const;
  readonly dim: number;
  private readonly gpu: Gpu;
  private readonly train: Tensor;
  private readonly m: number;

  constructor(gpu: Gpu, train: Float32Array, dim: number, m: number) {
    this.gpu = gpu;
    this.dim = dim;
    this.m = m;
    this.train = Tensor.fromData(gpu, train, [m, dim], 'ddpm.optimal:train');
  }

  async predict(x: Tensor, step: DenoiseStep): Promise<Tensor> {
    const op = 'ddpm.optimalDenoiser';
    const gpu = this.gpu;
    const { scale, biasFactor } = optimalAttentionCoefficients(step.alphaBar);
    const n = x.size / this.dim;
    if (!Number.isInteger(n) || x.shape[x.shape.length - 1] !== this.dim) {
      throw new InvalidArgumentError(op, 'x', `[${x.shape.join(', ')}]`, `a tensor [..., ${this.dim}]`);
    }
    return launch(gpu, op, async (scope) => {
      const out = scope.output(x.shape, 'out');
      if (n === 0) return out;
      const params = { n, m: this.m, dim: this.dim, scale, bias_factor: biasFactor };
      const bindings = { params, x, train: this.train, out };
      await scope.run(OPTIMAL_POINTS_KERNEL, { WG: OPTIMAL_POINTS_WG }, bindings, Math.ceil(n / OPTIMAL_POINTS_WG));
      return out;
    });
  }

  destroy(): void {
    this.train.destroy();
  }
}

class AttentionOptimalDenoiser implements Denoiser {
  readonly name = 'optimal (flash attention)';
  readonly target = 'x0' as const;
  readonly dim: number;
  private readonly gpu: Gpu;
  private readonly train: Tensor;
  /** ‖x_i‖² in float64; the bias is biasFactor(ᾱ)·‖x_i‖². */
  private readonly norms: Float64Array;

  constructor(gpu: Gpu, train: Float32Array, dim: number, m: number) {
    this.gpu = gpu;
    this.dim = dim;
    this.norms = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += train[i * dim + j]! ** 2;
      this.norms[i] = s;
    }
    this.train = Tensor.fromData(gpu, train, [1, 1, m, dim], 'ddpm.optimal:train');
  }

  predict(x: Tensor, step: DenoiseStep): Promise<Tensor> {
    const { scale, biasFactor } = optimalAttentionCoefficients(step.alphaBar);
    const bias = Float32Array.from(this.norms, (n) => biasFactor * n);
    return attention(this.gpu, x, this.train, this.train, { variant: 'flash', scale, bias: { data: bias, shape: [bias.length] } });
  }

  destroy(): void {
    this.train.destroy();
  }
}

/**
 * The exact denoiser of `train` [m, dim] (target x̂₀). `backend`: 'attention' runs the
 * project's flash-attention kernel with a per-key bias; 'fused' the small fused kernel
 * (dim ≤ 4 only); 'auto' (default) picks fused for dim ≤ 4, else attention. (The float64
 * CPU version, `optimalCpuDenoiser` in src/reference/ddpm.ts, runs behind the same
 * interface through `hostDenoiser`.)
 */
export async function makeOptimalDenoiser(
  gpu: Gpu,
  train: Float32Array,
  dim: number,
  backend: OptimalDenoiserBackend = 'auto',
): Promise<Denoiser> {
  const op = 'ddpm.optimalDenoiser';
  const m = checkTrainingSet(op, train, dim);
  if (!['auto', 'attention', 'fused'].includes(backend))
    throw new InvalidArgumentError(op, 'backend', backend, "'auto', 'attention' or 'fused'");
  if (backend === 'fused' && dim > OPTIMAL_POINTS_MAX_DIM)
    throw new InvalidArgumentError(
      op,
      'backend',
      backend,
      `'attention' for dim ${dim} (the fused kernel takes dim ≤ ${OPTIMAL_POINTS_MAX_DIM})`,
    );
  await gpu.ready(op);
  if (backend === 'fused' || (backend === 'auto' && dim <= OPTIMAL_POINTS_MAX_DIM)) return new FusedOptimalDenoiser(gpu, train, dim, m);
  return new AttentionOptimalDenoiser(gpu, train, dim, m);
}
