/**
 * `reverseStep`: one sampler step x_prev = ca·x + cb·pred + σ·z on the GPU, with the
 * coefficients of `ddpmCoefficients` or `ddimCoefficients`, and z given, drawn from
 * Philox, or absent (σ = 0).
 */
import type { Gpu } from '../../gpu/device';
import { InvalidArgumentError, ShapeError } from '../../problem/errors';
import { Tensor, shapeOf, toDevice, type TensorLike } from '../../gpu/tensor';
import { packScalars } from '../../gpu/uniforms';
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
  const shape = shapeOf(op, 'x', x);
  const ps = shapeOf(op, 'pred', pred);
  if (!sameShape(shape, ps)) throw new ShapeError(op, 'pred must have the shape of x', { x: shape, pred: ps });
  for (const [name, v] of Object.entries(c)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError(op, name, v, 'a finite number');
  }
  const isTensor = noise !== null && (noise instanceof Tensor || 'data' in (noise as object));
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
  const out = Tensor.zeros(gpu, shape, `${op}:out`);
  const n = shapeSize(shape);
  if (n === 0) return out;
  const xs = toDevice(gpu, op, 'x', x);
  const pr = toDevice(gpu, op, 'pred', pred);
  const zs = isTensor ? toDevice(gpu, op, 'z', noise as TensorLike) : null;
  try {
    const pipeline = await gpu.pipeline(STEP_KERNEL, { ...PHILOX_OVERRIDES, WG: DDPM_WG });
    const params = gpu.uniformBuffer(
      `${op}:params`,
      packScalars([
        ['u32', n],
        ['u32', mode],
        ['u32', key.seed],
        ['u32', key.stream],
        ['u32', key.step],
        ['f32', c.ca],
        ['f32', c.cb],
        ['f32', c.sigma],
      ]),
    );
    await gpu.submit(
      op,
      (encoder) => {
        const pass = gpu.beginComputePass(encoder, op);
        pass.setPipeline(pipeline);
        const xb = xs.tensor.buffer;
        pass.setBindGroup(
          0,
          gpu.bindGroup(STEP_KERNEL, { params, x: xb, pred: pr.tensor.buffer, z: zs ? zs.tensor.buffer : xb, out: out.buffer }),
        );
        gpu.dispatch(pass, Math.ceil(n / DDPM_WG), op);
        pass.end();
      },
      [params],
    );
    return out;
  } catch (e) {
    out.destroy();
    throw e;
  } finally {
    if (xs.owned) xs.tensor.destroy();
    if (pr.owned) pr.tensor.destroy();
    if (zs?.owned) zs.tensor.destroy();
  }
}
