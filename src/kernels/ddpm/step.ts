/**
 * `reverseStep`: one sampler step x_prev = ca·x + cb·pred + σ·z on the GPU, with the
 * coefficients of `ddpmCoefficients` or `ddimCoefficients`, and z given, drawn from
 * Philox, or absent (σ = 0).
 */
import type { Gpu } from '../../gpu/device';
import { InvalidArgumentError, ShapeError } from '../../problem/errors';
import { Tensor, assertArguments, shapeOf, type TensorLike } from '../../gpu/tensor';
import { launch } from '../../gpu/launch';
import { shapeSize } from '../../problem/shape';
import type { StepCoefficients } from '../../problem/ddpm-coefficients';
import { checkNoiseKey, type NoiseKey } from './rng';
import { DDPM_WG, PHILOX_OVERRIDES, STEP_KERNEL } from './specs';
import { RNG_STREAM } from '../../problem/philox';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * x, pred: tensors of one shape; noise: a tensor of that shape, a Philox key (stream
 * defaults to `reverse`), or null (no noise, whatever σ says). Returns x_prev.
 */
export async function reverseStep(
  gpu: Gpu,
  c: StepCoefficients,
  x: TensorLike,
  pred: TensorLike,
  noise: TensorLike | NoiseKey | null,
): Promise<Tensor> {
  const op = 'ddpm.reverseStep';
  if (typeof c !== 'object' || c === null) throw new InvalidArgumentError(op, 'coefficients', c, 'step coefficients {ca, cb, sigma}');
  const shape = shapeOf(op, 'x', x);
  const ps = shapeOf(op, 'pred', pred);
  if (!sameShape(shape, ps)) throw new ShapeError(op, 'pred must have the shape of x', { x: shape, pred: ps });
  for (const name of ['ca', 'cb', 'sigma'] as const) {
    const v: unknown = c[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError(op, name, v, 'a finite number');
  }
  if (noise !== null && typeof noise !== 'object') {
    throw new InvalidArgumentError(op, 'noise', noise, 'a Tensor, {data, shape}, a Philox key {seed, stream?, step?} or null');
  }
  const isTensor = noise !== null && (noise instanceof Tensor || 'data' in noise);
  let mode = 0;
  let key = { seed: 0, stream: 0, step: 0 };
  if (isTensor) {
    const zs = shapeOf(op, 'z', noise);
    if (!sameShape(shape, zs)) throw new ShapeError(op, 'z must have the shape of x', { x: shape, z: zs });
    mode = 1;
  } else if (noise !== null) {
    key = checkNoiseKey(op, { stream: RNG_STREAM.reverse, ...(noise as NoiseKey) });
    mode = 2;
  }
  await gpu.ready(op);
  // Every argument is checked (tensors included) before the first allocation or upload.
  const args: [string, TensorLike | null][] = [
    ['x', x],
    ['pred', pred],
    ['z', isTensor ? (noise as TensorLike) : null],
  ];
  assertArguments(gpu, op, args);
  const n = shapeSize(shape);
  return launch(gpu, op, async (scope) => {
    const out = scope.output(shape, 'out');
    if (n === 0) return out;
    const [xs, pr, zs] = scope.inputs(args) as [Tensor, Tensor, Tensor | null];
    const params = { n, noise_mode: mode, seed: key.seed, stream: key.stream, step: key.step, ca: c.ca, cb: c.cb, sigma: c.sigma };
    const constants = { ...PHILOX_OVERRIDES, WG: DDPM_WG };
    await scope.run(STEP_KERNEL, constants, { params, x: xs, pred: pr, z: zs ?? xs, out }, Math.ceil(n / DDPM_WG));
    return out;
  });
}
