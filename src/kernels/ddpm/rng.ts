/**
 * `randomBits`, `randomUniform`, `randomNormal`: Philox values addressed by
 * (seed, stream, step, element) for elements 0 … n−1, on the GPU. The same address
 * gives the same words as `src/reference/philox.ts`, bit for bit.
 */
import type { Gpu } from '../../gpu/device';
import { InvalidArgumentError } from '../../problem/errors';
import type { Tensor } from '../../gpu/tensor';
import { launch } from '../../gpu/launch';
import { assertValidShape, shapeSize } from '../../problem/shape';
import { assertStorageElements } from '../../problem/limits';
import { DDPM_WG, PHILOX_OVERRIDES, RANDN_KERNEL } from './specs';

/** Where a stream of noise comes from. */
export interface NoiseKey {
  seed: number;
  /** Default 0. See `RNG_STREAM`. */
  stream?: number;
  /** Default 0. */
  step?: number;
}

/** Throws unless `key` holds unsigned 32-bit integers. */
export function checkNoiseKey(op: string, key: NoiseKey): Required<NoiseKey> {
  if (typeof key !== 'object' || key === null) throw new InvalidArgumentError(op, 'key', key, 'a Philox key {seed, stream?, step?}');
  const out = { seed: key.seed, stream: key.stream ?? 0, step: key.step ?? 0 };
  for (const [name, v] of Object.entries(out)) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new InvalidArgumentError(op, name, v, 'an unsigned 32-bit integer');
  }
  return out;
}

const MODES = { bits: 0, uniform: 1, normal: 2 } as const;

async function randn(gpu: Gpu, shape: readonly number[], key: NoiseKey, mode: keyof typeof MODES): Promise<Tensor> {
  const op = `ddpm.random.${mode}`;
  assertValidShape(op, 'shape', shape);
  const k = checkNoiseKey(op, key);
  assertStorageElements(op, gpu.limits, `the output [${shape.join(', ')}]`, shapeSize(shape));
  await gpu.ready(op);
  const n = shapeSize(shape);
  return launch(gpu, op, async (scope) => {
    const out = scope.output(shape, 'out');
    const params = { n, seed: k.seed, stream: k.stream, step: k.step };
    const constants = { ...PHILOX_OVERRIDES, WG: DDPM_WG, MODE: MODES[mode] };
    if (n > 0) await scope.run(RANDN_KERNEL, constants, { params, out }, Math.ceil(n / DDPM_WG));
    return out;
  });
}

/** Standard normals N(0, 1) of `shape` (Box–Muller on Philox). */
export function randomNormal(gpu: Gpu, shape: readonly number[], key: NoiseKey): Promise<Tensor> {
  return randn(gpu, shape, key, 'normal');
}

/** Uniforms in [0, 1) from the top 24 bits of each word. */
export function randomUniform(gpu: Gpu, shape: readonly number[], key: NoiseKey): Promise<Tensor> {
  return randn(gpu, shape, key, 'uniform');
}

/** Raw Philox words; read them with `new Uint32Array((await t.read()).buffer)`. */
export function randomBits(gpu: Gpu, shape: readonly number[], key: NoiseKey): Promise<Tensor> {
  return randn(gpu, shape, key, 'bits');
}
