/**
 * The shape of every standalone training-layer call: validate (the caller resolves
 * shapes with src/problem rules before this), wait for the device, check and upload
 * the arguments all or nothing, allocate the outputs, run the launches in one
 * submit, and free what was uploaded. Outputs are new Tensors the caller owns.
 */
import type { Gpu } from '../../gpu/device';
import { Tensor, toDeviceAll, type KernelArgument } from '../../gpu/tensor';
import { assertStorageElements } from '../../problem/limits';
import { runLaunches, type Launch } from './encode';

/** Builds the launches from the inputs and outputs on the device, and a 16-byte spare buffer. */
export type LaunchBuilder = (inputs: Record<string, Tensor>, outputs: Record<string, Tensor>, spare: GPUBuffer) => Launch[];

/**
 * Runs one layer call. `outputs` are allocated zero-filled; when any input or output
 * is empty nothing is dispatched (a sum over no rows is 0, an empty result is empty).
 * @throws the typed errors of `toDeviceAll` (before any allocation) and `Gpu.submit`
 */
export async function callKernels(
  gpu: Gpu,
  op: string,
  args: readonly KernelArgument[],
  outputs: readonly (readonly [string, readonly number[]])[],
  build: LaunchBuilder,
): Promise<Record<string, Tensor>> {
  for (const [name, shape] of outputs)
    assertStorageElements(
      op,
      gpu.limits,
      `${name} [${shape.join(', ')}]`,
      shape.reduce((p, d) => p * d, 1),
    );
  await gpu.ready(op);
  const given = toDeviceAll(gpu, op, args);
  const made: Record<string, Tensor> = {};
  let spare: GPUBuffer | null = null;
  try {
    for (const [name, shape] of outputs) made[name] = Tensor.zeros(gpu, shape, `${op}:${name}`);
    const inputs: Record<string, Tensor> = {};
    args.forEach(([name], i) => {
      const t = given.tensors[i];
      if (t) inputs[name] = t;
    });
    const empty = [...Object.values(inputs), ...Object.values(made)].some((t) => t.size === 0);
    if (!empty) {
      spare = gpu.createBuffer(`${op}:spare`, 16, GPUBufferUsage.STORAGE);
      await runLaunches(gpu, op, build(inputs, made, spare));
    }
    return made;
  } catch (e) {
    for (const t of Object.values(made)) t.destroy();
    throw e;
  } finally {
    given.release();
    if (spare) gpu.release(spare);
  }
}

/** `ceil(n / wg)`. */
export function groups(n: number, wg: number): number {
  return Math.ceil(n / wg);
}
