/** Naive attention (placeholder until the matmul kernels land). */
import type { Gpu } from '../../gpu/device';
import { KernelscopeError } from '../../gpu/errors';
import type { Tensor } from '../../gpu/tensor';

export async function naiveAttention(_gpu: Gpu, op: string, _x: unknown): Promise<Tensor> {
  throw new KernelscopeError(op, 'naive attention needs the matmul kernels');
}
