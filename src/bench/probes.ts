/**
 * The roofline's two probes, so each case can be placed on a roofline of *this*
 * device: `fmaProbe` (sustained FMA throughput; shaders/bench/fma.wgsl) and
 * `copyProbe` (copy bandwidth; shaders/bench/copy.wgsl).
 */
import fmaCode from '../../shaders/bench/fma.wgsl?raw';
import copyCode from '../../shaders/bench/copy.wgsl?raw';
import type { Gpu } from '../gpu/device';
import type { KernelSpec } from '../gpu/bindings';
import { InvalidArgumentError } from '../problem/errors';
import { Tensor } from '../gpu/tensor';
import { packScalars } from '../gpu/uniforms';

export { FMA_FLOPS_PER_ITERATION } from './flops';

export const FMA_PROBE: KernelSpec = {
  name: 'bench:fma',
  code: fmaCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'out', kind: 'storage' },
  ],
};

export const COPY_PROBE: KernelSpec = {
  name: 'bench:copy',
  code: copyCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'src', kind: 'read-only-storage' },
    { name: 'dst', kind: 'storage' },
  ],
};

/** Invocations per workgroup of both probes. */
export const PROBE_WG = 256;

function positiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError(op, name, v, 'a positive integer');
}

/** Runs `invocations` × `iterations` rounds of FMAs; returns the [invocations·4] output. */
export async function fmaProbe(gpu: Gpu, invocations: number, iterations: number): Promise<Tensor> {
  const op = 'fmaProbe';
  positiveInt(op, 'invocations', invocations);
  positiveInt(op, 'iterations', iterations);
  await gpu.ready(op);
  const out = Tensor.zeros(gpu, [invocations * 4], `${op}:out`);
  try {
    const pipeline = await gpu.pipeline(FMA_PROBE, { WG: PROBE_WG });
    const params = gpu.uniformBuffer(
      `${op}:params`,
      packScalars([
        ['u32', invocations],
        ['u32', iterations],
      ]),
    );
    await gpu.submit(
      op,
      (encoder) => {
        gpu.encodeKernel(encoder, op, FMA_PROBE, pipeline, { params, out: out.buffer }, Math.ceil(invocations / PROBE_WG));
      },
      [params],
    );
    return out;
  } catch (e) {
    out.destroy();
    throw e;
  }
}

/** Copies `x` (length a multiple of 4) into a new tensor, vec4 by vec4. */
export async function copyProbe(gpu: Gpu, x: Tensor): Promise<Tensor> {
  const op = 'copyProbe';
  if (x.size % 4 !== 0 || x.size === 0) throw new InvalidArgumentError(op, 'x.size', x.size, 'a positive multiple of 4');
  await gpu.ready(op);
  const out = Tensor.zeros(gpu, x.shape, `${op}:dst`);
  try {
    const pipeline = await gpu.pipeline(COPY_PROBE, { WG: PROBE_WG });
    const count = x.size / 4;
    const params = gpu.uniformBuffer(`${op}:params`, packScalars([['u32', count]]));
    await gpu.submit(
      op,
      (encoder) => {
        gpu.encodeKernel(encoder, op, COPY_PROBE, pipeline, { params, src: x.buffer, dst: out.buffer }, Math.ceil(count / PROBE_WG));
      },
      [params],
    );
    return out;
  } catch (e) {
    out.destroy();
    throw e;
  }
}
