/** The Philox reference: Random123's known answers, the uniform and normal maps. */
import { describe, expect, it } from 'vitest';
import { boxMuller, mulHiLo, philox4x32, philoxNormal, philoxNormals, philoxWords, uniformFromBits } from '../../src/reference/philox';

const hex = (w: Uint32Array) => Array.from(w, (x) => x.toString(16).padStart(8, '0'));

describe('Philox4x32-10 reference', () => {
  it('reproduces Random123’s known-answer vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    const f = 0xffffffff;
    expect(hex(philox4x32([f, f, f, f], [f, f]))).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toEqual([
      'd16cfe09',
      '94fdcceb',
      '5001e420',
      '24126ea1',
    ]);
  });
  it('mulHiLo is the exact 64-bit product', () => {
    for (const [a, b] of [
      [0xffffffff, 0xffffffff],
      [0xd2511f53, 0x12345678],
      [1, 0],
      [0x10000, 0x10000],
    ] as const) {
      const p = BigInt(a) * BigInt(b);
      const [hi, lo] = mulHiLo(a, b);
      expect(BigInt(hi)).toBe(p >> 32n);
      expect(BigInt(lo)).toBe(p & 0xffffffffn);
    }
  });
  it('uniforms use the top 24 bits and never reach 1', () => {
    expect(uniformFromBits(0xffffffff)).toBe(1 - 2 ** -24);
    expect(uniformFromBits(0xff)).toBe(0);
    expect(Math.fround(uniformFromBits(0xfffffeff))).toBe(uniformFromBits(0xfffffeff));
    const [z0, z1] = boxMuller(1 - 2 ** -24, 0);
    expect(Number.isFinite(z0) && Number.isFinite(z1)).toBe(true);
  });
  it('addresses values by (seed, stream, step, element)', () => {
    const a = philoxNormals(7, 1, 3, 10);
    for (let e = 0; e < 10; e++) expect(a[e]).toBe(philoxNormal(7, 1, 3, e));
    expect(philoxNormals(7, 1, 4, 10)).not.toEqual(a);
    expect(philoxNormals(8, 1, 3, 10)).not.toEqual(a);
    expect(philoxNormals(7, 2, 3, 10)).not.toEqual(a);
    expect(philoxWords(0, 0, 0, 4)).toEqual(philox4x32([0, 0, 0, 0], [0, 0]));
  });
  it('gives normals with mean 0 and variance 1 (2e5 draws, 5σ bounds)', () => {
    const n = 200_000;
    const z = philoxNormals(12345, 7, 0, n);
    let s = 0;
    let s2 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});
