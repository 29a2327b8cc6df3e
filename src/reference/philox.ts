/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011),
 * the counter-based generator the DDPM kernels use, in plain JS. Given the same
 * counter and key it returns the same four 32-bit words as `shaders/rng/philox.wgsl`,
 * bit for bit, so the GPU noise can be checked and replayed on the CPU.
 *
 * kernelscope's keying: a noise value is addressed by (seed, stream, step, element).
 *   key     = (seed, stream)            stream separates x_T, reverse-step and forward noise
 *   counter = (element >> 2, step, 0, 0) one Philox block serves 4 consecutive elements
 * Element e takes Box–Muller pair (e & 3) >> 1 of its block and the cos (even e) or
 * sin (odd e) half, so each element's value is independent of how threads are laid out.
 */

import { PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1 } from '../problem/philox';
export { PHILOX_CONSTANTS, PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1, RNG_STREAM } from '../problem/philox';

/** The high and low 32 bits of the 64-bit product a·b (a, b unsigned 32-bit). */
export function mulHiLo(a: number, b: number): [number, number] {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const hh = ah * bh;
  const cross = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const hi = (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(cross / 65536)) >>> 0;
  const lo = Math.imul(a, b) >>> 0;
  return [hi, lo];
}

/** Philox4x32 with `rounds` rounds (10 is the standard, crush-resistant choice). */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, rounds = 10): Uint32Array {
  let c0 = counter[0]! >>> 0;
  let c1 = counter[1]! >>> 0;
  let c2 = counter[2]! >>> 0;
  let c3 = counter[3]! >>> 0;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + PHILOX_W0) >>> 0;
      k1 = (k1 + PHILOX_W1) >>> 0;
    }
    const [hi0, lo0] = mulHiLo(PHILOX_M0, c0);
    const [hi1, lo1] = mulHiLo(PHILOX_M1, c2);
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  return Uint32Array.of(c0, c1, c2, c3);
}

/** A uniform in [0, 1 − 2⁻²⁴] from the top 24 bits of a word: exact in f32, never 1.0. */
export function uniformFromBits(word: number): number {
  return (word >>> 8) * 2 ** -24;
}

/**
 * Box–Muller: two uniforms to two independent standard normals. `1 − u1` lies in
 * [2⁻²⁴, 1], so the logarithm is always finite (|z| ≤ √(2·24·ln 2) ≈ 5.77).
 */
export function boxMuller(u1: number, u2: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(1 - u1));
  const theta = 2 * Math.PI * u2;
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

/** The four raw words of the block that holds `element`. */
export function philoxBlock(seed: number, stream: number, step: number, element: number): Uint32Array {
  return philox4x32([Math.floor(element / 4) >>> 0, step >>> 0, 0, 0], [seed >>> 0, stream >>> 0]);
}

/** The standard normal addressed by (seed, stream, step, element), in float64. */
export function philoxNormal(seed: number, stream: number, step: number, element: number): number {
  const w = philoxBlock(seed, stream, step, element);
  const pair = (element & 3) >> 1;
  const [z0, z1] = boxMuller(uniformFromBits(w[2 * pair]!), uniformFromBits(w[2 * pair + 1]!));
  return element & 1 ? z1 : z0;
}

/** `count` normals for elements 0…count−1 of (seed, stream, step), as float64. */
export function philoxNormals(seed: number, stream: number, step: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let b = 0; b < count; b += 4) {
    const w = philox4x32([b / 4, step >>> 0, 0, 0], [seed >>> 0, stream >>> 0]);
    const [z0, z1] = boxMuller(uniformFromBits(w[0]!), uniformFromBits(w[1]!));
    const [z2, z3] = boxMuller(uniformFromBits(w[2]!), uniformFromBits(w[3]!));
    out[b] = z0;
    if (b + 1 < count) out[b + 1] = z1;
    if (b + 2 < count) out[b + 2] = z2;
    if (b + 3 < count) out[b + 3] = z3;
  }
  return out;
}

/** The raw words for elements 0…count−1 (word e is word e & 3 of block e >> 2). */
export function philoxWords(seed: number, stream: number, step: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let b = 0; b < count; b += 4) {
    const w = philox4x32([b / 4, step >>> 0, 0, 0], [seed >>> 0, stream >>> 0]);
    for (let j = 0; j < 4 && b + j < count; j++) out[b + j] = w[j]!;
  }
  return out;
}
