/**
 * `forwardNoise`: samples q(x_t | x₀) for a batch whose rows sit at mixed timesteps,
 * x_t = √ᾱ_t x₀ + √(1−ᾱ_t) ε, with ε given or drawn from Philox on the GPU.
 */
import type { Gpu } from '../../gpu/device';
import { InvalidArgumentError, ShapeError } from '../../problem/errors';
import { Tensor, assertArguments, shapeOf, type TensorLike } from '../../gpu/tensor';
import { launch } from '../../gpu/launch';
import { assertNumberArray, shapeSize } from '../../problem/shape';
import { assertSchedule, type Schedule } from '../../problem/ddpm-schedule';
import { checkNoiseKey, type NoiseKey } from './rng';
import { DDPM_WG, FORWARD_KERNEL, PHILOX_OVERRIDES } from './specs';
import { RNG_STREAM } from '../../problem/philox';

/**
 * x0: [..., dim] (rows = product of the leading dimensions, at least rank 1);
 * t: one timestep per row, integers in [0, T); noise: a tensor of x0's shape, or a
 * Philox key (stream defaults to `forward`; element i of the flattened x0 takes
 * element i of (seed, stream, step)). Returns x_t with x0's shape.
 */
export async function forwardNoise(
  gpu: Gpu,
  schedule: Schedule,
  x0: TensorLike,
  t: ArrayLike<number>,
  noise: TensorLike | NoiseKey,
): Promise<Tensor> {
  const op = 'ddpm.forward';
  assertSchedule(op, schedule);
  const shape = shapeOf(op, 'x0', x0);
  if (shape.length < 1) throw new ShapeError(op, 'x0 must have rank ≥ 1 ([..., dim])', { x0: shape });
  const dim = shape[shape.length - 1]!;
  const n = shapeSize(shape);
  const rows = dim === 0 ? 0 : n / dim;
  const tExpected = `an integer in [0, ${schedule.T - 1}]`;
  if (!Array.isArray(t) && !ArrayBuffer.isView(t)) throw new InvalidArgumentError(op, 't', t, `an array of timesteps, each ${tExpected}`);
  if (t.length !== rows) throw new ShapeError(op, `t needs one timestep per row (${rows}), got ${t.length}`, { x0: shape, t: [t.length] });
  assertNumberArray(op, 't', t, tExpected, (v) => Number.isInteger(v) && v >= 0 && v < schedule.T);
  const tU32 = Uint32Array.from({ length: Math.max(1, rows) }, (_, r) => (r < rows ? t[r]! : 0));
  if (typeof noise !== 'object' || noise === null) {
    throw new InvalidArgumentError(op, 'noise', noise, 'a Tensor, {data, shape} or a Philox key {seed, stream?, step?}');
  }
  const isKey = !(noise instanceof Tensor) && !('data' in noise);
  let key = { seed: 0, stream: 0, step: 0 };
  if (isKey) key = checkNoiseKey(op, { stream: RNG_STREAM.forward, ...(noise as NoiseKey) });
  else {
    const es = shapeOf(op, 'eps', noise);
    if (shapeSize(es) !== n || es.length !== shape.length || es.some((d, i) => d !== shape[i]))
      throw new ShapeError(op, 'eps must have the shape of x0', { x0: shape, eps: es });
  }
  await gpu.ready(op);
  // Every argument is checked (tensors included) before the first allocation or upload.
  const args: [string, TensorLike | null][] = [
    ['x0', x0],
    ['eps', isKey ? null : (noise as TensorLike)],
  ];
  assertArguments(gpu, op, args);
  return launch(gpu, op, async (scope) => {
    const out = scope.output(shape, 'out');
    if (n === 0) return out;
    const [input, eps] = scope.inputs(args) as [Tensor, Tensor | null];
    const coef = new Float32Array(schedule.T * 2);
    for (let s = 0; s < schedule.T; s++) {
      coef[2 * s] = schedule.sqrtAlphaBar[s]!;
      coef[2 * s + 1] = schedule.sqrtOneMinusAlphaBar[s]!;
    }
    const params = { n, dim, noise_mode: isKey ? 1 : 0, seed: key.seed, stream: key.stream, step: key.step };
    const bindings = { params, x0: input, t: scope.upload('t', tU32), coef: scope.upload('coef', coef), eps: eps ?? input, out };
    await scope.run(FORWARD_KERNEL, { ...PHILOX_OVERRIDES, WG: DDPM_WG }, bindings, Math.ceil(n / DDPM_WG));
    return out;
  });
}
