/**
 * Seeded host inputs. The seed mixes the run's seed with the case's shape, so every
 * implementation of one shape (ours and the peers') gets identical inputs.
 */
import { mulberry32, uniformArray } from '../reference/random';
import type { HostTensor } from '../problem/shape';
import type { BenchCase } from './types';
import { attentionCaseShapes } from './attention-case';

/** Named host tensors of one case. */
export type CaseInputs = Record<string, HostTensor & { data: Float32Array }>;

/** 32-bit FNV-1a hash of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Largest input a case may ask the host to generate (bytes). */
export const MAX_HOST_INPUT_BYTES = 2 ** 31;

/** The shapes of a case's inputs and of its output. */
export function caseShapes(c: BenchCase): { inputs: Record<string, number[]>; output: number[] } {
  const p = c.params as Record<string, number>;
  switch (c.suite) {
    case 'matmul':
      return { inputs: { a: [p.M!, p.K!], b: [p.K!, p.N!] }, output: [p.M!, p.N!] };
    case 'attention':
    case 'decode':
      return attentionCaseShapes(c);
    case 'softmax':
      return { inputs: { x: [p.rows!, p.cols!] }, output: [p.rows!, p.cols!] };
    case 'roofline':
      return c.params.probe === 'copy'
        ? { inputs: { x: [p.elements!] }, output: [p.elements!] }
        : { inputs: {}, output: [p.invocations! * 4] };
  }
}

const bytesOf = (shape: readonly number[]) => 4 * shape.reduce((a, b) => a * b, 1);

/** Total bytes of a case's inputs. */
export function inputBytes(c: BenchCase): number {
  return Object.values(caseShapes(c).inputs).reduce((s, shape) => s + bytesOf(shape), 0);
}

/**
 * Checks every input and the output against the device's binding limit before any
 * host or GPU memory is spent, so an impossible case fails at once with the reason.
 */
export function assertCaseFits(c: BenchCase, limits: { maxStorageBufferBindingSize: number; maxBufferSize: number }): void {
  const { inputs, output } = caseShapes(c);
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  for (const [name, shape] of [...Object.entries(inputs), ['output', output] as const]) {
    const bytes = bytesOf(shape);
    if (bytes > limit) {
      throw new RangeError(
        `${c.id}: ${name} [${shape.join(', ')}] needs ${bytes} bytes, past this device's buffer limit of ${limit} bytes`,
      );
    }
  }
  const host = inputBytes(c);
  if (host > MAX_HOST_INPUT_BYTES)
    throw new RangeError(`${c.id}: inputs need ${host} bytes of host memory (limit ${MAX_HOST_INPUT_BYTES})`);
}

/** Uniform inputs in [-1, 1) (softmax logits in [-4, 4)), seeded by the run seed and the shape. */
export function makeInputs(c: BenchCase, seed: number): CaseInputs {
  const rng = mulberry32((seed ^ hashString(`${c.suite}:${c.shape}`)) >>> 0);
  const out: CaseInputs = {};
  const range = c.suite === 'softmax' ? 4 : 1;
  for (const [name, shape] of Object.entries(caseShapes(c).inputs)) {
    const n = shape.reduce((a, b) => a * b, 1);
    out[name] = { data: uniformArray(rng, n, -range, range), shape };
  }
  return out;
}
