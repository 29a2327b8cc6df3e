/**
 * The attention variants' pure parts, in Node: option validation (typed errors naming
 * the value), the standard ALiBi slopes, the visible key band, the split-K plan and the
 * flash configurations, and the float64 reference against identities: GQA equals
 * multi-head attention with K/V repeated, a window ≥ N equals none, a window, ALiBi and
 * softcap equal their definitions written as an explicit bias or by hand.
 */
import { describe, expect, it } from 'vitest';
import { alibiSlopes, attentionKeyRange, resolveAttention, visibleKeyCount } from '../../src/problem/attention';
import { attentionReference } from '../../src/reference/attention';
import { splitPlan } from '../../src/kernels/attention/split';
import { FLASH_CONFIGS, defaultFlashConfig, isDecodeShape, validateFlashConfig } from '../../src/kernels/attention/flash-config';
import { flashRowsKernel, registerChunks } from '../../src/kernels/attention/flash-rows';
import { InvalidArgumentError, ShapeError } from '../../src/problem/errors';
import { mulberry32, normalArray } from '../../src/reference/random';
import { maxAbsError } from '../../src/reference/compare';

const host = (data: Float32Array, shape: number[]) => ({ data, shape });
const resolve = (opts: Record<string, unknown>, q = [1, 6, 4, 8], k = [1, 2, 6, 8]) => resolveAttention('t', q, k, k, opts, null, null);

describe('variant options', () => {
  it('reads grouped-query heads and rejects Hq not a multiple of Hkv', () => {
    const p = resolve({});
    expect([p.H, p.Hkv, p.group]).toEqual([6, 2, 3]);
    expect(() => resolve({}, [1, 6, 4, 8], [1, 4, 6, 8])).toThrow(ShapeError);
    expect(() => resolve({}, [1, 6, 4, 8], [1, 4, 6, 8])).toThrow(
      /query head count \(6\) must be a multiple of the key\/value head count \(4\)/,
    );
  });
  it('rejects a negative or fractional window, a non-positive softcap and a wrong slope count', () => {
    expect(() => resolve({ window: -1 })).toThrow(InvalidArgumentError);
    expect(() => resolve({ window: -1 })).toThrow(/window must be an integer in \[0, /);
    expect(() => resolve({ window: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => resolve({ windowRight: -2 })).toThrow(/windowRight/);
    for (const softcap of [0, -1, NaN, Infinity, '3']) expect(() => resolve({ softcap })).toThrow(/softcap must be a finite number > 0/);
    expect(() => resolve({ alibi: [1, 2] })).toThrow(/alibi must be 6 finite slopes \(one per query head, Hq = 6\), got "2 slopes"/);
    expect(() => resolve({ alibi: [1, 2, 3, 4, 5, NaN] })).toThrow(InvalidArgumentError);
    expect(() => resolve({ alibi: 'yes' })).toThrow(InvalidArgumentError);
    expect(() => resolve({ splitK: 1 })).toThrow(/splitK must be a boolean/);
    expect(() => resolve({ splitK: true, variant: 'naive' })).toThrow(InvalidArgumentError);
    expect(() => resolve({ window: 4, variant: 'linear' })).toThrow(/no linear-time form/);
  });
  it('resolves the options with their defaults', () => {
    expect(resolve({})).toMatchObject({ windowLeft: null, windowRight: null, alibiSlopes: null, softcap: 0, splitK: undefined });
    const p = resolve({ window: 3, windowRight: 0, alibi: true, softcap: 20, splitK: true });
    expect(p).toMatchObject({ windowLeft: 3, windowRight: 0, softcap: 20, splitK: true });
    expect(p.alibiSlopes).toEqual(alibiSlopes(6));
  });
});

describe('alibiSlopes', () => {
  it('gives 2^(−8(h+1)/H) for a power of two and the interleaved rule otherwise', () => {
    expect(alibiSlopes(8)).toEqual([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256]);
    expect(alibiSlopes(1)).toEqual([1 / 256]);
    // 6 heads: the 4-head slopes, then the odd-position slopes of the 8-head sequence.
    expect(alibiSlopes(6)).toEqual([1 / 4, 1 / 16, 1 / 64, 1 / 256, 1 / 2, 1 / 8]);
    expect(alibiSlopes(0)).toEqual([]);
    expect(() => alibiSlopes(-1)).toThrow(InvalidArgumentError);
  });
});

describe('the visible key band', () => {
  const p = (o: Partial<{ causal: boolean; windowLeft: number | null; windowRight: number | null }>, Nq = 4, Nk = 10) => ({
    Nq,
    Nk,
    causal: false,
    windowLeft: null,
    windowRight: null,
    ...o,
  });
  it('aligns the window bottom-right like the causal mask', () => {
    expect(attentionKeyRange(p({}), 0)).toEqual([0, 10]);
    expect(attentionKeyRange(p({ causal: true }), 0)).toEqual([0, 7]); // diagonal of row 0 is key 6
    expect(attentionKeyRange(p({ windowLeft: 2, causal: true }), 0)).toEqual([4, 7]);
    expect(attentionKeyRange(p({ windowLeft: 2, windowRight: 1 }), 3)).toEqual([7, 10]);
    expect(attentionKeyRange(p({ windowLeft: 0, windowRight: 0 }), 1)).toEqual([7, 8]);
    expect(attentionKeyRange(p({ causal: true }, 5, 2), 0)).toEqual([0, 0]); // Nq > Nk: row 0 sees nothing
  });
  it('counts visible pairs (the bench FLOPs rule)', () => {
    expect(visibleKeyCount(p({}))).toBe(40);
    expect(visibleKeyCount(p({ causal: true }))).toBe(7 + 8 + 9 + 10);
    expect(visibleKeyCount(p({ causal: true, windowLeft: 1 }))).toBe(8);
    expect(visibleKeyCount(p({}), 5)).toBe(20);
  });
  it('plans split-K over the band only', () => {
    expect(splitPlan(p({}, 1, 4096), 256)).toEqual({ start: 0, splits: 16, keysPerSplit: 256 });
    expect(splitPlan(p({ windowLeft: 100, causal: true }, 1, 4096), 64)).toEqual({ start: 3995, splits: 2, keysPerSplit: 64 });
    expect(splitPlan(p({}, 0, 50), 8).splits).toBe(1);
  });
});

describe('flash configurations', () => {
  it('takes decode shapes for split-K by default and checks given configurations', () => {
    expect(isDecodeShape(1, 4096)).toBe(true);
    expect(isDecodeShape(16, 256)).toBe(true);
    expect(isDecodeShape(17, 4096)).toBe(false);
    expect(isDecodeShape(1, 255)).toBe(false);
    for (const cls of ['swiftshader', 'lavapipe', 'gpu'] as const) {
      expect(defaultFlashConfig(cls, true).layout).toBe('splitk');
      expect(defaultFlashConfig(cls, false).layout).not.toBe('splitk');
      expect(FLASH_CONFIGS).toContainEqual(defaultFlashConfig(cls, true));
    }
    expect(validateFlashConfig('t', { layout: 'splitk', WG: 16, keysPerSplit: 64 }, 256)).toEqual({
      layout: 'splitk',
      WG: 16,
      keysPerSplit: 64,
    });
    expect(() => validateFlashConfig('t', { layout: 'splitk', WG: 16, keysPerSplit: 0 }, 256)).toThrow(/config.keysPerSplit/);
    expect(() => validateFlashConfig('t', { layout: 'splitk', WG: 512, keysPerSplit: 8 }, 256)).toThrow(/config.WG/);
  });

  it('fills a rows configuration from ROWS_DEFAULT (registers) and rejects an unknown accumulator', () => {
    expect(validateFlashConfig('t', { layout: 'rows', WG: 8 }, 256)).toEqual({ layout: 'rows', WG: 8, R: 8, KB: 8, acc: 'registers' });
    expect(validateFlashConfig('t', { layout: 'rows', WG: 4, R: 4, KB: 16, acc: 'buffer' }, 256)).toEqual({
      layout: 'rows',
      WG: 4,
      R: 4,
      KB: 16,
      acc: 'buffer',
    });
    expect(() => validateFlashConfig('t', { layout: 'rows', WG: 8, acc: 'stack' }, 256)).toThrow(/config.acc/);
    expect(defaultFlashConfig('lavapipe')).toEqual({ layout: 'rows', WG: 8, R: 8, KB: 8, acc: 'registers' });
  });

  it('keeps O in registers only for vec4-aligned heads of at most 512 values per invocation', () => {
    expect(registerChunks(8, 64, 64)).toBe(16);
    expect(registerChunks(16, 32, 32)).toBe(8);
    expect(registerChunks(4, 128, 128)).toBe(32);
    expect(registerChunks(8, 128, 128)).toBe(0); // 1024 values: the buffer
    expect(registerChunks(8, 62, 64)).toBe(0); // d not a multiple of 4: no vec4 views
    expect(registerChunks(8, 64, 30)).toBe(0);
    expect(() => flashRowsKernel(8, 8, true, 17)).toThrow(RangeError);
    const registers = flashRowsKernel(8, 8, true, 16);
    const buffer = flashRowsKernel(8, 8, true, 0);
    // The registers kernel declares O as vec4s and never reads it back; the buffer kernel rescales it in place.
    expect(registers.code).toMatch(/var<storage, read_write> o: array<vec4f>/);
    expect(registers.code).not.toMatch(/rescaleAdd\(/);
    expect(registers.code.match(/var o\d+_\d+ = vec4f\(0\.0\);/g)).toHaveLength(8 * 16);
    expect(buffer.code).toMatch(/var<storage, read_write> o: array<f32>/);
    expect(buffer.code).toMatch(/rescaleAdd\(or0 \+ cv/);
    expect(registers.bindings.map((b) => b.name).slice(-3)).toEqual(['qVec', 'kVec', 'vVec']);
    expect(buffer.bindings.map((b) => b.name)).not.toContain('vVec');
  });
});

describe('the reference against identities', () => {
  const rng = mulberry32(17);
  const t = (shape: number[]) =>
    host(
      normalArray(
        rng,
        shape.reduce((a, b) => a * b, 1),
      ),
      shape,
    );
  const [B, Hq, Hkv, Nq, Nk, d, dv] = [2, 6, 2, 5, 11, 4, 3];
  const q = t([B, Hq, Nq, d]);
  const k = t([B, Hkv, Nk, d]);
  const v = t([B, Hkv, Nk, dv]);
  /** K or V with each K/V head repeated for its Hq/Hkv query heads. */
  const repeat = (x: { data: Float32Array; shape: number[] }) => {
    const [, , n, w] = x.shape as [number, number, number, number];
    const out = new Float32Array(B * Hq * n * w);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < Hq; h++) {
        const src = (b * Hkv + Math.floor(h / (Hq / Hkv))) * n * w;
        out.set(x.data.subarray(src, src + n * w), (b * Hq + h) * n * w);
      }
    return host(out, [B, Hq, n, w]);
  };
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(maxAbsError(a, b).maxAbsErr).toBeLessThan(1e-12);

  it('GQA equals multi-head attention with K and V repeated', () => {
    same(attentionReference(q, k, v, { causal: true }).data, attentionReference(q, repeat(k), repeat(v), { causal: true }).data);
    same(attentionReference(q, k, v, { variant: 'linear' }).data, attentionReference(q, repeat(k), repeat(v), { variant: 'linear' }).data);
  });
  it('a window ≥ Nk equals no window; a window equals its band written as a −∞ bias', () => {
    same(attentionReference(q, k, v, { window: Nk, windowRight: Nk }).data, attentionReference(q, k, v).data);
    const band = new Float32Array(Nq * Nk);
    for (let i = 0; i < Nq; i++)
      for (let j = 0; j < Nk; j++) band[i * Nk + j] = j >= i + Nk - Nq - 2 && j <= i + Nk - Nq + 1 ? 0 : -Infinity;
    same(attentionReference(q, k, v, { window: 2, windowRight: 1 }).data, attentionReference(q, k, v, { bias: host(band, [Nq, Nk]) }).data);
  });
  it('ALiBi equals its bias −slope_h·|i + off − j| written out', () => {
    const slopes = alibiSlopes(Hq);
    const bias = new Float32Array(Hq * Nq * Nk);
    for (let h = 0; h < Hq; h++)
      for (let i = 0; i < Nq; i++) for (let j = 0; j < Nk; j++) bias[(h * Nq + i) * Nk + j] = -slopes[h]! * Math.abs(i + Nk - Nq - j);
    same(attentionReference(q, k, v, { alibi: true }).data, attentionReference(q, k, v, { bias: host(bias, [Hq, Nq, Nk]) }).data);
  });
  it('softcap caps the scaled logits before the bias (one row by hand)', () => {
    const c = 0.7;
    const o = attentionReference(q, k, v, { softcap: c, scale: 0.9 }).data;
    const [h, i] = [4, 3];
    const kvh = Math.floor(h / 3);
    const s = Array.from({ length: Nk }, (_, j) => {
      let dot = 0;
      for (let a = 0; a < d; a++) dot += q.data[(h * Nq + i) * d + a]! * k.data[(kvh * Nk + j) * d + a]!;
      return c * Math.tanh((0.9 * dot) / c);
    });
    const mx = Math.max(...s);
    const w = s.map((x) => Math.exp(x - mx));
    const sum = w.reduce((a, b) => a + b, 0);
    const want = w.reduce((acc, x, j) => acc + (x / sum) * v.data[(kvh * Nk + j) * dv]!, 0);
    expect(o[(h * Nq + i) * dv]).toBeCloseTo(want, 12);
  });
});
