/**
 * `matmul(gpu, a, b, opts)`: C = alpha · op(A) · op(B), batched, as a ladder of
 * WGSL kernels (shaders/matmul/): naive → workgroup-tiled → register-blocked,
 * plus a subgroup split-K kernel for skinny shapes.
 *
 * The launcher validates everything on the CPU first (options, shapes, tensors,
 * device limits) and only then allocates, so bad input never reaches the GPU.
 */
import type { Gpu } from '../gpu/device';
import { isCpuStyle } from '../gpu/adapter-class';
import { tunedMatmul } from './tuned';
import { InvalidArgumentError, LimitExceededError } from '../problem/errors';
import { foldWorkgroups } from '../gpu/dispatch';
import { Tensor, shapeOf, type TensorLike } from '../gpu/tensor';
import { MATMUL_KERNELS, bReadsAsVec4, matmulConfig, matmulUniforms, matmulWorkgroups, type MatmulConfig } from './matmul/kernels';
import { launch, type BindingValue } from '../gpu/launch';
import { resolveMatmulOptions, resolveMatmulProblem, type MatmulProblem, type MatmulVariant, type MatmulOptions } from '../problem/matmul';

export {
  MATMUL_VARIANTS,
  resolveMatmulProblem,
  resolveMatmulOptions,
  type MatmulVariant,
  type MatmulOptions,
  type MatmulProblem,
} from '../problem/matmul';
export {
  MATMUL_KERNELS,
  matmulConfig,
  matmulWorkgroups,
  packMatmulParams,
  matmulUniforms,
  MATMUL_UNIFORMS,
  type MatmulConfig,
  type MatmulDeviceLimits,
} from './matmul/kernels';

/**
 * The variant `'auto'` runs for this problem on this device. On CPU-style adapters
 * (SwiftShader, lavapipe: `adapterClass`) the `direct` kernel (8 × 16 outputs per
 * invocation, no workgroup memory, no barriers) wins once M ≥ 8 and N ≥ 16 (README,
 * "Benchmarks"); on GPUs the register-blocked kernel, whose staged slabs suit fast
 * shared memory, wins once both M and N fill a good part of its 64 × 64 tile. Small
 * or skinny problems run naive, since tiles would sit mostly empty. For skinny, long-K problems (GEMV-like: M or N of 1, or few outputs) the
 * subgroup split-K kernel is picked only where subgroups have at least 8 lanes:
 * with SwiftShader's 4 lanes it only tied naive at 1×512×4096 (0.7–1.4× across
 * runs), and it has not been measured on a hardware GPU here.
 */
export function chooseMatmulVariant(gpu: Gpu, p: Pick<MatmulProblem, 'M' | 'N' | 'K' | 'batch'>): MatmulVariant {
  const skinny = Math.min(p.M, p.N) === 1 || p.batch * p.M * p.N <= 1024;
  if (skinny && p.K >= 256 && gpu.features.subgroups && (gpu.info.subgroupMinSize ?? 0) >= 8) return 'subgroup';
  if (isCpuStyle(gpu.info)) return p.M >= 8 && p.N >= 16 ? 'direct' : 'naive';
  if (p.M >= 32 && p.N >= 32) return 'register';
  return 'naive';
}

/**
 * The variant and override constants a call runs: the requested variant, or for
 * `'auto'` this device's tuned configuration for the shape class (see src/tune/),
 * else `chooseMatmulVariant`'s default.
 * @throws InvalidArgumentError for `'subgroup'` on a device without subgroups.
 */
export function planMatmul(
  gpu: Gpu,
  op: string,
  problem: MatmulProblem,
  requested: MatmulVariant | 'auto',
): { variant: MatmulVariant; config: MatmulConfig; tuned: boolean } {
  const tuned = requested === 'auto' ? tunedMatmul(gpu, problem) : null;
  const variant = requested === 'auto' ? (tuned?.variant ?? chooseMatmulVariant(gpu, problem)) : requested;
  if (variant === 'subgroup' && !gpu.features.subgroups) {
    throw new InvalidArgumentError(op, 'variant', variant, "a variant this device supports (it lacks the 'subgroups' feature)");
  }
  const limits = gpu.limits; // GPUSupportedLimits fields are prototype getters: copy them by name
  const config = matmulConfig(
    variant,
    {
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: limits.maxComputeWorkgroupSizeY,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      subgroupMaxSize: gpu.info.subgroupMaxSize,
    },
    problem.K,
    tuned ?? {},
  );
  if (variant === 'direct')
    return {
      variant,
      config: { ...config, constants: { ...config.constants, B_VEC4: Number(bReadsAsVec4(problem)) } },
      tuned: tuned !== null,
    };
  return { variant, config, tuned: tuned !== null };
}

/** Throws `InvalidArgumentError` (no allocation) unless a Tensor argument can be used on `gpu`. */
function checkTensorArgument(gpu: Gpu, op: string, name: string, x: TensorLike): void {
  if (!(x instanceof Tensor)) return;
  if (x.gpu !== gpu) throw new InvalidArgumentError(op, name, 'Tensor', 'a Tensor created on the same Gpu');
  if (x.destroyed) throw new InvalidArgumentError(op, name, 'destroyed Tensor', 'a live Tensor');
  gpu.assertAlive(op, x.generation);
}

/** Throws `LimitExceededError` when a buffer or the dispatch would pass the device's limits. */
function checkLimits(gpu: Gpu, op: string, p: MatmulProblem, config: MatmulConfig): void {
  const limits = gpu.limits;
  const bindingLimit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const limitName = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
  const operands: [string, number, string][] = [
    ['a', p.aSize, `op(A) is ${p.M}×${p.K}`],
    ['b', p.bSize, `op(B) is ${p.K}×${p.N}`],
    ['c', p.cSize, `C is [${p.outShape.join(', ')}]`],
  ];
  for (const [name, size, what] of operands) {
    const bytes = size * 4;
    if (bytes > bindingLimit) throw new LimitExceededError(op, limitName, bytes, bindingLimit, `${name}: ${what}, ${bytes} bytes`);
  }
  const workgroups = matmulWorkgroups(p, config);
  if (workgroups > 0xffffffff) throw new LimitExceededError(op, 'workgroups', workgroups, 0xffffffff, 'a u32 linear workgroup index');
  foldWorkgroups(workgroups, limits.maxComputeWorkgroupsPerDimension, op);
}

/**
 * Matrix multiplication on the GPU: C = alpha · op(A) · op(B).
 *
 * - `a`: [M, K] or [B, M, K] ([K, M] / [B, K, M] with `transposeA`);
 *   `b`: [K, N] or [B, K, N] ([N, K] / [B, N, K] with `transposeB`).
 * - A rank-2 operand (or a batch of 1) is broadcast over the other's batch. The
 *   result is [M, N] when both are rank 2, else [B, M, N].
 * - Zero-size dimensions give an empty (or, for K = 0, all-zero) result without a dispatch.
 * - `variant`: `'naive' | 'tiled' | 'register' | 'subgroup' | 'auto'` (default `'auto'`, see
 *   `chooseMatmulVariant`).
 *
 * Every check runs before any GPU call:
 * @throws InvalidArgumentError for a non-tensor argument, bad options (unknown variant,
 *   non-boolean transpose, non-finite alpha), a Tensor of another Gpu or a destroyed one,
 *   and for `variant: 'subgroup'` on a device without the `subgroups` feature.
 * @throws ShapeError for rank, inner-dimension or batch mismatches, negative or fractional
 *   sizes, and host data whose length is not its shape's product.
 * @throws LimitExceededError when an operand or the result passes
 *   `maxStorageBufferBindingSize`, or the dispatch passes the workgroup limits.
 * @throws DeviceLostError when the device is lost during the call (the next call recovers).
 * @returns a new Tensor the caller owns (and must `destroy()`).
 */
export async function matmul(gpu: Gpu, a: TensorLike, b: TensorLike, opts?: MatmulOptions): Promise<Tensor> {
  const op = 'matmul';
  const options = resolveMatmulOptions(op, opts);
  const problem = resolveMatmulProblem(op, shapeOf(op, 'a', a), shapeOf(op, 'b', b), options);
  await gpu.ready(op);
  checkTensorArgument(gpu, op, 'a', a);
  checkTensorArgument(gpu, op, 'b', b);
  const { variant, config } = planMatmul(gpu, op, problem, options.variant);
  checkLimits(gpu, op, problem, config);

  // Nothing to compute: an empty result, or (K = 0) zeros, which new buffers already hold.
  if (problem.cSize === 0 || problem.K === 0) return Tensor.zeros(gpu, problem.outShape, `${op}:c`);

  // Validated above; the scope owns the uploads and the uniform buffer, and the output until we return it.
  return launch(gpu, op, async (scope) => {
    const [lhs, rhs] = scope.inputs([
      ['a', a],
      ['b', b],
    ]) as [Tensor, Tensor];
    const out = scope.output(problem.outShape, 'c', 'overwritten'); // every variant writes every element of C
    const kernel = MATMUL_KERNELS[variant];
    const bindings: Record<string, BindingValue> = { params: matmulUniforms(problem), matA: lhs, matB: rhs, matC: out };
    // direct reads B through a vec4 view too; a B of under one vec4 never takes that path.
    if (variant === 'direct') bindings.matB4 = rhs.size >= 4 ? rhs : scope.scratch('b4', 16);
    await scope.run(kernel, config.constants, bindings, matmulWorkgroups(problem, config));
    return out;
  });
}
