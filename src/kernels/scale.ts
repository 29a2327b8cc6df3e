/**
 * `scale(gpu, x, alpha, beta)`: y = alpha·x + beta, element-wise. The runtime's
 * smallest kernel: it proves folding, timing and recovery, and is the roofline's
 * copy-bandwidth probe.
 */
import code from '../../shaders/elementwise/scale.wgsl?raw';
import type { Gpu } from '../gpu/device';
import { InvalidArgumentError } from '../problem/errors';
import { shapeOf, type Tensor, type TensorLike } from '../gpu/tensor';
import { launch, type KernelDescription } from '../gpu/launch';

export const SCALE_KERNEL: KernelDescription = {
  name: 'scale',
  code,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'y', kind: 'storage' },
  ],
  uniforms: {
    binding: 'params',
    layout: [
      ['n', 'u32'],
      ['alpha', 'f32'],
      ['beta', 'f32'],
    ],
  },
};

const WG = 256;

/** y = alpha·x + beta over every element of `x`; returns a new tensor of x's shape. */
export async function scale(gpu: Gpu, x: TensorLike, alpha = 1, beta = 0): Promise<Tensor> {
  const op = 'scale';
  const shape = shapeOf(op, 'x', x);
  if (!Number.isFinite(alpha)) throw new InvalidArgumentError(op, 'alpha', alpha, 'a finite number');
  if (!Number.isFinite(beta)) throw new InvalidArgumentError(op, 'beta', beta, 'a finite number');
  await gpu.ready(op);
  return launch(gpu, op, async (scope) => {
    const [input] = scope.inputs([['x', x]]) as [Tensor];
    const out = scope.output(shape, 'y');
    if (out.size > 0)
      await scope.run(SCALE_KERNEL, { WG }, { params: { n: out.size, alpha, beta }, x: input, y: out }, Math.ceil(out.size / WG));
    return out;
  });
}
