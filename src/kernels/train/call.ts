/**
 * The shape of every standalone training-layer call: validate (the caller resolves
 * shapes with src/problem rules before this), wait for the device, check and upload
 * the arguments all or nothing, allocate the outputs, run the launches in one
 * submit, and free what was uploaded. Outputs are new Tensors the caller owns.
 */
import type { Gpu } from '../../gpu/device';
import type { Tensor, KernelArgument, TensorLike } from '../../gpu/tensor';
import { launch } from '../../gpu/launch';
import { assertStorageElements } from '../../problem/limits';
import { toDispatch, type Launch } from './encode';

/** Builds the launches from the inputs and outputs on the device, and a 16-byte spare buffer. */
export type LaunchBuilder = (inputs: Record<string, Tensor>, outputs: Record<string, Tensor>, spare: GPUBuffer) => Launch[];

/**
 * Runs one layer call in a launch scope (src/gpu/launch.ts): the arguments checked and
 * uploaded all or nothing, `outputs` allocated zero-filled, the launches in one pass of
 * one submit. When any input or output is empty nothing is dispatched (a sum over no
 * rows is 0, an empty result is empty).
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
  return launch(gpu, op, async (scope) => {
    const given = scope.inputs(args as readonly (readonly [string, TensorLike | null | undefined])[]);
    const made: Record<string, Tensor> = {};
    for (const [name, shape] of outputs) made[name] = scope.output(shape, name);
    const inputs: Record<string, Tensor> = {};
    args.forEach(([name], i) => {
      const t = given[i];
      if (t) inputs[name] = t;
    });
    const empty = [...Object.values(inputs), ...Object.values(made)].some((t) => t.size === 0);
    if (!empty) await scope.runAll(build(inputs, made, scope.scratch('spare', 16, GPUBufferUsage.STORAGE)).map(toDispatch));
    return made;
  });
}

/** `ceil(n / wg)`. */
export function groups(n: number, wg: number): number {
  return Math.ceil(n / wg);
}
