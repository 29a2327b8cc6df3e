/**
 * The pure parts of softmax and attention, in Node: the CPU references (against
 * direct formulas and known properties), the flash tile choice, option
 * validation, and the binding tables against the WGSL.
 */
import { describe, expect, it } from 'vitest';
import { softmaxReference } from '../../src/reference/softmax';
import { attentionReference, attentionRowStats } from '../../src/reference/attention';
import { flashTile, resolveAttention, FLASH_WORKGROUP_BYTES } from '../../src/problem/attention';
import { ATTENTION_KERNELS } from '../../src/kernels/attention/specs';
import { parseWgslBindings } from '../../src/gpu/bindings';
import { InvalidArgumentError, ShapeError } from '../../src/problem/errors';
import { mulberry32, normalArray } from '../../src/reference/random';
import { maxAbsError } from '../../src/reference/compare';

const t = (data: number[], shape: number[]) => ({ data: Float32Array.from(data), shape });

describe('softmaxReference', () => {
  it('is stable for ±1e4, gives 0 for a fully masked row and −∞ in log space', () => {
    const y = softmaxReference(t([1e4, -1e4, 1e4, -Infinity, -Infinity, -Infinity], [2, 3])).data;
    expect(Array.from(y)).toEqual([0.5, 0, 0.5, 0, 0, 0]);
    const ly = softmaxReference(t([1, 2, 3, -Infinity, -Infinity, -Infinity], [2, 3]), { log: true }).data;
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(ly[0]).toBeCloseTo(1 - lse, 12);
    expect(Array.from(ly.slice(3))).toEqual([-Infinity, -Infinity, -Infinity]);
  });
  it('broadcasts a bias over the leading dims and treats < −1e30 as masked', () => {
    const y = softmaxReference(t([0, 0, 0, 0], [2, 2]), { bias: t([Math.log(3), -2e30], [2]) }).data;
    expect(Array.from(y)).toEqual([1, 0, 1, 0]);
  });
  it('the f32 baseline stays within f32 rounding of the f64 result', () => {
    const x = t(Array.from(normalArray(mulberry32(1), 300, 4)), [3, 100]);
    const e = maxAbsError(softmaxReference(x, {}, 'f32').data, softmaxReference(x).data).maxAbsErr;
    expect(e).toBeGreaterThan(0);
    expect(e).toBeLessThan(1e-6);
  });
});

describe('attentionReference', () => {
  const rng = mulberry32(3);
  const q = t(Array.from(normalArray(rng, 2 * 3 * 4)), [1, 2, 3, 4]);
  const k = t(Array.from(normalArray(rng, 2 * 5 * 4)), [1, 2, 5, 4]);
  const v = t(Array.from(normalArray(rng, 2 * 5 * 2)), [1, 2, 5, 2]);

  it('equals softmax(scale·q·kᵀ)·v written out directly', () => {
    const o = attentionReference(q, k, v).data;
    const h = 1,
      i = 2;
    const s = Array.from({ length: 5 }, (_, j) => {
      let dot = 0;
      for (let a = 0; a < 4; a++) dot += q.data[(h * 3 + i) * 4 + a]! * k.data[(h * 5 + j) * 4 + a]!;
      return dot / 2;
    });
    const mx = Math.max(...s);
    const e = s.map((z) => Math.exp(z - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    const expect0 = e.reduce((acc, w, j) => acc + (w / sum) * v.data[(h * 5 + j) * 2]!, 0);
    expect(o[(h * 3 + i) * 2]).toBeCloseTo(expect0, 12);
  });

  it('aligns the causal mask bottom-right: with Nq = 3, Nk = 5 query 0 sees keys 0..2', () => {
    // v = one-hot of the key index: the output's column j is key j's weight.
    const eye = t(
      Array.from({ length: 25 }, (_, n) => (n % 6 === 0 ? 1 : 0)),
      [1, 1, 5, 5],
    );
    const o = attentionReference(t(Array.from(q.data.slice(0, 12)), [1, 1, 3, 4]), t(Array.from(k.data.slice(0, 20)), [1, 1, 5, 4]), eye, {
      causal: true,
    }).data;
    expect(Array.from(o.slice(3, 5))).toEqual([0, 0]); // row 0: keys 3, 4 masked
    expect(o[2]).toBeGreaterThan(0);
    expect(o[14]).toBeGreaterThan(0); // row 2 sees key 4
    // Nq > Nk: the first Nq − Nk queries see nothing and give 0.
    const o2 = attentionReference(
      t(Array.from(q.data.slice(0, 12)), [1, 1, 3, 4]),
      t(Array.from(k.data.slice(0, 4)), [1, 1, 1, 4]),
      t([7], [1, 1, 1, 1]),
      { causal: true },
    ).data;
    expect(Array.from(o2)).toEqual([0, 0, 7]);
  });

  it('a fully masked row gives 0, not NaN and not mean(V)', () => {
    const o = attentionReference(q, k, v, { keyLengths: [0] }).data;
    expect(Array.from(o).every((x) => x === 0)).toBe(true);
    const o2 = attentionReference(q, k, v, { keyPaddingMask: t([0, 0, 0, 0, 0], [1, 5]) }).data;
    expect(Array.from(o2).every((x) => x === 0)).toBe(true);
  });

  it('a per-key bias of −∞ equals dropping the key', () => {
    const o = attentionReference(q, k, v, { bias: t([0, 0, -Infinity, 0, 0], [5]) }).data;
    const o2 = attentionReference(q, k, v, { keyPaddingMask: t([1, 1, 0, 1, 1], [1, 5]) }).data;
    expect(maxAbsError(o, o2).maxAbsErr).toBeLessThan(1e-15);
  });

  it('row stats: the max and the sum of e^{s − max} of the scaled logits', () => {
    const { m, l } = attentionRowStats(q, k, v, { keyLengths: [1] });
    for (let r = 0; r < 6; r++) expect(l[r]).toBe(1); // one visible key: e^0
    expect(Number.isFinite(m[0]!)).toBe(true);
  });

  it('linear: its definition, φ(x) = elu(x) + 1 on √scale·q and √scale·k, and prefix sums when causal', () => {
    const o = attentionReference(q, k, v, { variant: 'linear', causal: true }).data;
    const phi = (x: number) => (x > 0 ? x + 1 : Math.exp(x));
    const rs = Math.sqrt(0.5);
    const h = 0,
      i = 0; // causal, offset 2: keys 0..2
    let num = 0,
      den = 0;
    for (let j = 0; j <= 2; j++) {
      let dot = 0;
      for (let a = 0; a < 4; a++) dot += phi(rs * q.data[(h * 3 + i) * 4 + a]!) * phi(rs * k.data[(h * 5 + j) * 4 + a]!);
      num += dot * v.data[(h * 5 + j) * 2 + 1]!;
      den += dot;
    }
    expect(o[1]).toBeCloseTo(num / den, 12);
  });
});

describe('flashTile', () => {
  it('fits 16 KB of workgroup memory and ≤ 64 invocations for every head dim 1..300', () => {
    for (let d = 1; d <= 300; d++) {
      for (const dv of [d, 1, 2, 64]) {
        const f = flashTile(d, dv);
        expect(f.workgroupBytes).toBeLessThanOrEqual(FLASH_WORKGROUP_BYTES);
        expect(f.TR * f.TC).toBeLessThanOrEqual(64);
        expect(f.blockK % f.KC).toBe(0);
        expect(f.kvLen).toBeGreaterThanOrEqual(Math.max(f.blockK * f.DC4, f.KC * f.TC));
      }
    }
    expect([flashTile(64).blockQ, flashTile(64).blockK]).toEqual([16, 64]);
  });
});

describe('resolveAttention', () => {
  const s4 = [1, 2, 8, 16];
  it('defaults: flash, scale 1/√d, all keys', () => {
    const p = resolveAttention('t', s4, s4, s4, undefined, null, null);
    expect([p.variant, p.scale, p.keyLengths, p.causalOffset]).toEqual(['flash', 0.25, [8], 0]);
  });
  it('throws typed errors naming the problem', () => {
    expect(() => resolveAttention('t', s4, [1, 2, 8, 8], s4, {}, null, null)).toThrow(ShapeError);
    expect(() => resolveAttention('t', s4, s4, s4, { variant: 'nope' }, null, null)).toThrow(InvalidArgumentError);
    expect(() => resolveAttention('t', s4, s4, s4, { scale: -1 }, null, null)).toThrow(/scale must be a finite number > 0/);
    expect(() => resolveAttention('t', s4, s4, s4, {}, [2, 8], null)).toThrow(/keyPaddingMask must have shape \[B, Nk\] = \[1, 8\]/);
    expect(() => resolveAttention('t', s4, s4, s4, {}, null, [8, 7])).toThrow(ShapeError);
  });
  it('accepts the bias shapes [Nk], [Nq, Nk], [H, Nq, Nk], [B, H, Nq, Nk]', () => {
    for (const b of [[8], [8, 8], [2, 8, 8], [1, 2, 8, 8]])
      expect(resolveAttention('t', s4, s4, s4, {}, null, b).biasRows).toBe(b.reduce((x, y) => x * y, 1) / 8);
  });
});

describe('binding tables', () => {
  it('match the WGSL of every softmax and attention kernel', () => {
    for (const spec of ATTENTION_KERNELS) {
      const wgsl = parseWgslBindings(spec.code);
      expect(
        wgsl.map((b) => [b.group, b.binding, b.name, b.kind]),
        spec.name,
      ).toEqual(spec.bindings.map((b, i) => [0, i, b.name, b.kind]));
    }
  });
});
