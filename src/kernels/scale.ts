/**
 * `scale(gpu, x, alpha, beta)`: y = alpha·x + beta, element-wise. The runtime's
 * smallest kernel: it proves folding, timing and recovery, and is the roofline's
 * copy-bandwidth probe.
 */
import code from '../../shaders/elementwise/scale.wgsl?raw';
import type { Gpu } from '../gpu/device';
import type { KernelSpec } from '../gpu/bindings';
import { InvalidArgumentError } from '../problem/errors';
import { Tensor, shapeOf, toDevice, type TensorLike } from '../gpu/tensor';
import { packScalars } from '../gpu/uniforms';

export const SCALE_KERNEL: KernelSpec = {
  name: 'scale',
  code,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'y', kind: 'storage' },
  ],
};

const WG = 256;

/** y = alpha·x + beta over every element of `x`; returns a new tensor of x's shape. */
export async function scale(gpu: Gpu, x: TensorLike, alpha = 1, beta = 0): Promise<Tensor> {
  const op = 'scale';
  const shape = shapeOf(op, 'x', x);
  if (!Number.isFinite(alpha)) throw new InvalidArgumentError(op, 'alpha', alpha, 'a finite number');
  if (!Number.isFinite(beta)) throw new InvalidArgumentError(op, 'beta', beta, 'a finite number');
  await gpu.ready(op);
  const input = toDevice(gpu, op, 'x', x);
  const out = Tensor.zeros(gpu, shape, `${op}:y`);
  try {
    if (out.size === 0) return out;
    const pipeline = await gpu.pipeline(SCALE_KERNEL, { WG });
    const params = gpu.uniformBuffer(
      `${op}:params`,
      packScalars([
        ['u32', out.size],
        ['f32', alpha],
        ['f32', beta],
      ]),
    );
    await gpu.submit(
      op,
      (encoder) => {
        gpu.encodeKernel(encoder, op, SCALE_KERNEL, pipeline, { params, x: input.tensor.buffer, y: out.buffer }, Math.ceil(out.size / WG));
      },
      [params],
    );
    return out;
  } catch (e) {
    out.destroy();
    throw e;
  } finally {
    if (input.owned) input.tensor.destroy();
  }
}
