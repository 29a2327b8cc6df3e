/**
 * The CPU side of attention maps and flash tiles: the weights reference, the row
 * statistics, the flash tile schedule (its last m and l equal naive's row max and
 * sum; its output equals naive attention), and the seeded patterns.
 */
import { describe, expect, it } from 'vitest';
import {
  attentionRowStats,
  attentionWeightsReference,
  flashTraceReference,
  isTileSkipped,
  maskMatrix,
} from '../../src/reference/flash-trace';
import { generatePattern } from '../../src/viz/attention-map/patterns';
import { mulberry32, normalArray } from '../../src/reference/random';
import { parseWgslBindings } from '../../src/gpu/bindings';
import { ATTENTION_MAP_KERNEL } from '../../src/kernels/attention-weights-spec';

function randomQkv(seed: number, B: number, H: number, Nq: number, Nk: number, d: number) {
  const rng = mulberry32(seed);
  return {
    q: { data: normalArray(rng, B * H * Nq * d), shape: [B, H, Nq, d] },
    k: { data: normalArray(rng, B * H * Nk * d), shape: [B, H, Nk, d] },
    v: { data: normalArray(rng, B * H * Nk * d), shape: [B, H, Nk, d] },
  };
}

/** Naive O = P·V for one (b, h), float64. */
function naiveOutput(q: any, k: any, v: any, opts: any, b: number, h: number) {
  const [B, H, Nq, d] = q.shape;
  const Nk = k.shape[2];
  void B;
  const P = attentionWeightsReference(q, k, { ...opts, batch: b });
  const out = new Float64Array(Nq * d);
  for (let i = 0; i < Nq; i++)
    for (let j = 0; j < Nk; j++) {
      const p = P.data[(h * Nq + i) * Nk + j]!;
      if (p === 0) continue;
      for (let t = 0; t < d; t++) out[i * d + t] = out[i * d + t]! + p * v.data[((b * H + h) * Nk + j) * d + t]!;
    }
  return out;
}

describe('flashTraceReference', () => {
  const cases: [number, number, boolean, number, number][] = [
    [37, 37, false, 16, 16],
    [37, 37, true, 16, 16],
    [20, 53, true, 8, 16],
    [53, 20, true, 16, 8],
    [1, 39, true, 16, 16],
  ];
  it.each(cases)('Nq=%i Nk=%i causal=%s blocks %i×%i: last m, l = naive row max, sum; output = naive', (Nq, Nk, causal, bq, bk) => {
    const { q, k, v } = randomQkv(Nq * 1000 + Nk, 2, 2, Nq, Nk, 16);
    const opts = { causal, keyLengths: [Nk, Math.max(1, Nk - 5)] };
    const qBlocks = Math.ceil(Nq / bq);
    for (let qb = 0; qb < qBlocks; qb++) {
      const { trace, outputF64 } = flashTraceReference(q, k, v, { ...opts, batch: 1, head: 1, queryBlock: qb, blockQ: bq, blockK: bk });
      expect(trace.steps.length).toBe(Math.ceil(Nk / bk));
      const last = trace.steps.at(-1)!;
      const stats = attentionRowStats(q, k, { ...opts, batch: 1, head: 1, rows: trace.rows });
      trace.rows.forEach((_, r) => {
        if (stats.max[r] === -Infinity) {
          expect(last.m[r]).toBe(-Infinity);
          expect(last.l[r]).toBe(0);
        } else {
          expect(last.m[r]).toBeCloseTo(stats.max[r]!, 5);
          expect(Math.abs(last.l[r]! - stats.sum[r]!) / stats.sum[r]!).toBeLessThan(1e-6);
        }
      });
      const naive = naiveOutput(q, k, v, opts, 1, 1);
      trace.rows.forEach((i, r) => {
        for (let t = 0; t < 16; t++) expect(Math.abs(outputF64[r * 16 + t]! - naive[i * 16 + t]!)).toBeLessThan(1e-12);
      });
    }
  });

  it('skips exactly the tiles above the bottom-right causal diagonal', () => {
    // Nq = Nk = 64, 16×16 tiles: block r sees tiles 0..r.
    for (let qb = 0; qb < 4; qb++)
      for (let kb = 0; kb < 4; kb++) expect(isTileSkipped(qb, kb, { Nq: 64, Nk: 64 }, 16, 16, true)).toBe(kb > qb);
    // Nq = 16, Nk = 64: the queries are the last 16 positions, nothing is skipped.
    for (let kb = 0; kb < 4; kb++) expect(isTileSkipped(0, kb, { Nq: 16, Nk: 64 }, 16, 16, true)).toBe(false);
    expect(isTileSkipped(0, 3, { Nq: 64, Nk: 64 }, 16, 16, false)).toBe(false);
    // Key length 20: tiles 2 and 3 are all padding, with or without the causal mask.
    expect([0, 1, 2, 3].map((kb) => isTileSkipped(3, kb, { Nq: 64, Nk: 64 }, 16, 16, false, 20))).toEqual([false, false, true, true]);
    // Nq = 64 > Nk = 16: the first 48 queries see no key at all, so block 0 skips everything.
    expect(isTileSkipped(0, 0, { Nq: 64, Nk: 16 }, 16, 16, true)).toBe(true);
  });

  it('a skipped tile leaves m and l unchanged with a rescale of 1', () => {
    const { q, k, v } = randomQkv(5, 1, 1, 48, 48, 16);
    const { trace } = flashTraceReference(q, k, v, { causal: true, queryBlock: 0, blockQ: 16, blockK: 16 });
    expect(trace.steps.map((s) => s.skipped)).toEqual([false, true, true]);
    expect(Array.from(trace.steps[2]!.m)).toEqual(Array.from(trace.steps[0]!.m));
    expect(Array.from(trace.steps[1]!.rescale).every((x) => x === 1)).toBe(true);
  });

  it('rejects bad arguments with typed errors', () => {
    const { q, k, v } = randomQkv(1, 1, 1, 8, 8, 8);
    expect(() => flashTraceReference(q, k, v, { queryBlock: 3, blockQ: 4 })).toThrow(/queryBlock must be an integer in \[0, 1\]/);
    expect(() => flashTraceReference(q, { data: k.data, shape: [1, 1, 8, 4, 2] }, v, { queryBlock: 0 })).toThrow(/rank 4/);
    expect(() => flashTraceReference(q, k, v, { queryBlock: 0, scale: -1 })).toThrow(/scale must be a finite positive number/);
  });
});

describe('attentionWeightsReference and masks', () => {
  it('rows sum to 1, masked cells are 0, a fully masked row is all zeros', () => {
    const { q, k } = randomQkv(9, 1, 2, 6, 9, 8);
    // Nq=6 < Nk=9, bottom-right causal: row i sees keys 0..i+3, key length 2 hides the rest.
    const P = attentionWeightsReference(q, k, { causal: true, keyLengths: [9] });
    const mask = maskMatrix(6, 9, true);
    for (let h = 0; h < 2; h++)
      for (let i = 0; i < 6; i++) {
        let s = 0;
        for (let j = 0; j < 9; j++) {
          const p = P.data[(h * 6 + i) * 9 + j]!;
          if (mask[i * 9 + j]) expect(p).toBe(0);
          s += p;
        }
        expect(s).toBeCloseTo(1, 12);
      }
    const empty = attentionWeightsReference(q, k, { keyLengths: [0] });
    expect(empty.data.every((x) => x === 0)).toBe(true);
  });
});

describe('generatePattern', () => {
  const argmax = (row: ArrayLike<number>) => {
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
    return best;
  };
  it('produces the patterns it names', () => {
    const n = 48;
    const prev = generatePattern({ pattern: 'previous', seed: 1, n });
    const Pp = attentionWeightsReference(prev.q, prev.k, { causal: true }).data;
    let hits = 0;
    for (let i = 1; i < n; i++) if (argmax(Pp.subarray(i * n, (i + 1) * n)) === i - 1) hits++;
    expect(hits).toBeGreaterThanOrEqual(n - 3);

    const sink = generatePattern({ pattern: 'sink', seed: 2, n });
    const Ps = attentionWeightsReference(sink.q, sink.k, { causal: true }).data;
    let mass = 0;
    for (let i = 8; i < n; i++) mass += Ps[i * n]!;
    expect(mass / (n - 8)).toBeGreaterThan(0.4);

    const local = generatePattern({ pattern: 'local', seed: 3, n });
    const Pl = attentionWeightsReference(local.q, local.k, {}).data;
    let near = 0;
    for (let i = 0; i < n; i++) if (Math.abs(argmax(Pl.subarray(i * n, (i + 1) * n)) - i) <= 2) near++;
    expect(near).toBeGreaterThanOrEqual(n - 4);
  });

  it('is deterministic in its seed', () => {
    const a = generatePattern({ pattern: 'mixed', seed: 7, n: 16, heads: 4 });
    const b = generatePattern({ pattern: 'mixed', seed: 7, n: 16, heads: 4 });
    expect(a.q.data).toEqual(b.q.data);
    expect(a.headPatterns).toEqual(['local', 'previous', 'sink', 'random']);
  });
});

describe('attention-map kernel binding table', () => {
  it('matches the WGSL', () => {
    const wgsl = parseWgslBindings(ATTENTION_MAP_KERNEL.code);
    expect(wgsl.map((b) => [b.group, b.binding, b.name, b.kind])).toEqual(
      ATTENTION_MAP_KERNEL.bindings.map((b, i) => [0, i, b.name, b.kind]),
    );
  });
});
