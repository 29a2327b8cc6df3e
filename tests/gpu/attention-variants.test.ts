/**
 * Attention variants (issue 13) against the float64 reference under the tolerance rule
 * of docs/TESTING.md: grouped-query and multi-query heads, sliding windows, ALiBi,
 * soft-capping, and split-K decoding, for naive attention and every flash layout; the
 * seqlen pairs (1, 4097), (511, 1), (3, 513), (1024, 1023); fully masked rows; the
 * tiles a window skips (trace mode); GQA allocating nothing per query head; bad input.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import { mulberry32, normalArray } from '../../src/reference/random';
import { attentionReference, attentionRowStats, type AttentionReferenceOptions } from '../../src/reference/attention';
import { checkTolerance } from '../../src/reference/compare';
import { flashTile } from '../../src/problem/attention';

const harness = useHarness();

interface Plain {
  data: (number | string)[];
  shape: number[];
}

/** A case: shapes, and the options every variant runs with (tensors built from `seed`). */
interface Case {
  name: string;
  B: number;
  H: number;
  Hkv: number;
  Nq: number;
  Nk: number;
  d: number;
  dv?: number;
  seed: number;
  causal?: boolean;
  window?: number;
  windowRight?: number;
  alibi?: boolean | number[];
  softcap?: number;
  keyLengths?: number[];
  /** A [B, Nk] keep mask with batch 1 fully masked and every third key of batch 0. */
  mask?: boolean;
  /** A per-key bias with some −∞. */
  bias?: boolean;
  /** Input scale (logits grow with it; softcap then bites). */
  amp?: number;
}

interface Built {
  c: Case;
  q: Plain;
  k: Plain;
  v: Plain;
  opts: Record<string, unknown> & { bias?: Plain; keyPaddingMask?: Plain };
}

function build(c: Case): Built {
  const rng = mulberry32(c.seed);
  const t = (shape: number[]): Plain => ({
    data: Array.from(
      normalArray(
        rng,
        shape.reduce((a, b) => a * b, 1),
      ),
      (x) => x * (c.amp ?? 1),
    ),
    shape,
  });
  const q = t([c.B, c.H, c.Nq, c.d]);
  const k = t([c.B, c.Hkv, c.Nk, c.d]);
  const v = t([c.B, c.Hkv, c.Nk, c.dv ?? c.d]);
  const opts: Built['opts'] = {};
  for (const key of ['causal', 'window', 'windowRight', 'alibi', 'softcap', 'keyLengths'] as const) {
    if (c[key] !== undefined) opts[key] = c[key];
  }
  if (c.bias) {
    const b = t([c.Nk]);
    b.data = b.data.map((x, i) => (i % 7 === 3 ? '-Infinity' : x));
    opts.bias = b;
  }
  if (c.mask) {
    const data: number[] = [];
    for (let b = 0; b < c.B; b++) for (let j = 0; j < c.Nk; j++) data.push(b === 1 ? 0 : j % 3 === 1 ? 0 : 1);
    opts.keyPaddingMask = { data, shape: [c.B, c.Nk] };
  }
  return { c, q, k, v, opts };
}

const host = (p: Plain) => ({ data: Float32Array.from(p.data, Number), shape: p.shape });

function references(b: Built) {
  const opts = {
    ...b.opts,
    bias: b.opts.bias ? host(b.opts.bias) : undefined,
    keyPaddingMask: b.opts.keyPaddingMask ? host(b.opts.keyPaddingMask) : undefined,
  } as AttentionReferenceOptions;
  const args = [host(b.q), host(b.k), host(b.v), opts] as const;
  return { f64: attentionReference(...args, 'f64').data, f32: attentionReference(...args, 'f32').data };
}

type Run = { out: (number | string)[]; shape: number[] };

/** Runs every case in the page with `extra` options (variant, config, splitK); outputs as plain arrays. */
async function runCases(built: Built[], extra: Record<string, unknown>): Promise<Run[]> {
  return harness().page.evaluate(
    async (cases, extra) => {
      const m = await window.ksImport('/src/kernels/attention.ts');
      const f32 = (p: { data: (number | string)[]; shape: number[] }) => ({ data: Float32Array.from(p.data, Number), shape: p.shape });
      const results = [];
      for (const c of cases) {
        const opts = {
          ...c.opts,
          ...extra,
          bias: c.opts.bias && f32(c.opts.bias),
          keyPaddingMask: c.opts.keyPaddingMask && f32(c.opts.keyPaddingMask),
        };
        const o = await m.attention(window.gpu, f32(c.q), f32(c.k), f32(c.v), opts);
        const back: Float32Array = await o.read();
        o.destroy();
        results.push({ out: Array.from(back, (x) => (Number.isFinite(x) ? x : String(x))), shape: [...o.shape] });
      }
      return results;
    },
    built.map((b) => ({ q: b.q, k: b.k, v: b.v, opts: b.opts })),
    extra,
  ) as Promise<Run[]>;
}

const decode = (xs: (number | string)[]) => xs.map(Number);

/** Checks every case's output against its references; returns failures and logs the worst ratio. */
function check(label: string, built: Built[], outs: Run[]): string[] {
  const failures: string[] = [];
  let worst = { ratio: 0, name: '' };
  built.forEach((b, n) => {
    const ref = references(b);
    expect(outs[n]!.shape).toEqual([b.c.B, b.c.H, b.c.Nq, b.c.dv ?? b.c.d]);
    const v = checkTolerance(decode(outs[n]!.out), ref.f64, ref.f32, 1e-6);
    if (v.ratio > worst.ratio) worst = { ratio: v.ratio, name: b.c.name };
    if (!v.ok) {
      failures.push(
        `${label} ${b.c.name} (seed ${b.c.seed}): err ${v.err.toExponential(2)} > bound ${v.bound.toExponential(2)}, non-finite ${v.nonFiniteMismatches.length}`,
      );
    }
  });
  console.log(`${label}: ${built.length} cases, worst ratio ${worst.ratio.toFixed(3)} (${worst.name})`);
  return failures;
}

/** The seqlen pairs, head groupings and windows, with causal, padding, bias, ALiBi and softcap mixed in. */
const CASES: Case[] = [
  { name: '(1,4097) GQA 8/1 d32 ALiBi (decode)', B: 1, H: 8, Hkv: 1, Nq: 1, Nk: 4097, d: 32, alibi: true, seed: 101 },
  {
    name: '(511,1) GQA 8/2 d16 causal softcap (510 fully masked rows)',
    B: 1,
    H: 8,
    Hkv: 2,
    Nq: 511,
    Nk: 1,
    d: 16,
    causal: true,
    softcap: 1.5,
    seed: 102,
  },
  {
    name: '(3,513) GQA 6/3 d40 dv24 window 64 causal keyLengths',
    B: 2,
    H: 6,
    Hkv: 3,
    Nq: 3,
    Nk: 513,
    d: 40,
    dv: 24,
    window: 64,
    causal: true,
    keyLengths: [513, 300],
    seed: 103,
  },
  {
    name: '(1024,1023) d16 window 32 right 8 softcap 5',
    B: 1,
    H: 1,
    Hkv: 1,
    Nq: 1024,
    Nk: 1023,
    d: 16,
    window: 32,
    windowRight: 8,
    softcap: 5,
    seed: 104,
  },
  { name: '(64,64) window 1 causal', B: 1, H: 2, Hkv: 2, Nq: 64, Nk: 64, d: 32, window: 1, causal: true, seed: 105 },
  { name: '(50,70) window 200 ≥ N, ALiBi (H = 6)', B: 1, H: 6, Hkv: 2, Nq: 50, Nk: 70, d: 16, window: 200, alibi: true, seed: 106 },
  {
    name: '(40,90) window 16 + causal + padding mask + per-key bias, GQA 4/2',
    B: 2,
    H: 4,
    Hkv: 2,
    Nq: 40,
    Nk: 90,
    d: 24,
    window: 16,
    causal: true,
    mask: true,
    bias: true,
    seed: 107,
  },
  {
    name: '(64,64) window 4 right 0, keyLengths 10: rows ≥ 15 fully masked',
    B: 1,
    H: 1,
    Hkv: 1,
    Nq: 64,
    Nk: 64,
    d: 8,
    window: 4,
    windowRight: 0,
    keyLengths: [10],
    seed: 108,
  },
  {
    name: '(33,65) MQA 3/1 d80 causal, given slopes, softcap 30',
    B: 1,
    H: 3,
    Hkv: 1,
    Nq: 33,
    Nk: 65,
    d: 80,
    causal: true,
    alibi: [0.5, 0.03, 2],
    softcap: 30,
    amp: 3,
    seed: 109,
  },
  {
    name: '(9,300) d3 dv5 window 40 right 3 ALiBi softcap 0.5',
    B: 1,
    H: 2,
    Hkv: 1,
    Nq: 9,
    Nk: 300,
    d: 3,
    dv: 5,
    window: 40,
    windowRight: 3,
    alibi: true,
    softcap: 0.5,
    seed: 110,
  },
  {
    name: '(16,2000) decode GQA 4/1 d64 causal window 700',
    B: 1,
    H: 4,
    Hkv: 1,
    Nq: 16,
    Nk: 2000,
    d: 64,
    causal: true,
    window: 700,
    seed: 111,
  },
];

const FLASH_RUNS: [string, Record<string, unknown>][] = [
  ['flash (default configuration)', { variant: 'flash' }],
  ['flash workgroup', { variant: 'flash', config: { layout: 'workgroup' } }],
  ['flash rows WG 16 (R 8 × KB 8, registers by default)', { variant: 'flash', config: { layout: 'rows', WG: 16 } }],
  ['flash rows WG 4, R 4 × KB 16, buffer', { variant: 'flash', config: { layout: 'rows', WG: 4, R: 4, KB: 16, acc: 'buffer' } }],
  ['flash rows WG 2, R 12 × KB 4, buffer', { variant: 'flash', config: { layout: 'rows', WG: 2, R: 12, KB: 4, acc: 'buffer' } }],
  ['flash rows WG 1, R 16 × KB 4, buffer', { variant: 'flash', config: { layout: 'rows', WG: 1, R: 16, KB: 4, acc: 'buffer' } }],
  // Registers for plain cases with d, dv multiples of 4 (R·dv ≤ 512), the buffer for the others.
  ['flash rows WG 4, R 4 × KB 4, registers', { variant: 'flash', config: { layout: 'rows', WG: 4, R: 4, KB: 4, acc: 'registers' } }],
  ['flash split-K WG 64 × 256 keys', { variant: 'flash', config: { layout: 'splitk', WG: 64, keysPerSplit: 256 } }],
  ['flash split-K WG 16 × 7 keys', { variant: 'flash', config: { layout: 'splitk', WG: 16, keysPerSplit: 7 } }],
  ['naive', { variant: 'naive' }],
];

describe.each(FLASH_RUNS)('attention variants: %s', (label, extra) => {
  it('matches the float64 reference on every case (tolerance rule), fully masked rows give 0', async () => {
    const built = CASES.map(build);
    const outs = await runCases(built, extra);
    expect(check(label, built, outs)).toEqual([]);
    // (511, 1) causal: rows 0..509 see no key and are exactly 0.
    const masked = outs[1]!.out.map(Number);
    for (let h = 0; h < 8; h++) expect(masked.slice(h * 511 * 16, (h * 511 + 510) * 16).every((x) => x === 0)).toBe(true);
  });
});

describe('attention variants: linear with grouped-query heads', () => {
  it('matches its reference for GQA 8/1, 8/2, 6/3 and MQA 3/1', async () => {
    // The first three cases (GQA 8/1, 8/2, 6/3) without the options linear attention has no form for.
    const cases: Case[] = CASES.slice(0, 3).map((c) => ({
      ...c,
      name: `linear ${c.name}`,
      window: undefined,
      windowRight: undefined,
      alibi: undefined,
      softcap: undefined,
    }));
    cases.push(
      { name: 'linear (20,37) GQA 6/3 causal', B: 2, H: 6, Hkv: 3, Nq: 20, Nk: 37, d: 16, causal: true, seed: 121 },
      { name: 'linear (19,70) MQA 3/1 dv 24', B: 1, H: 3, Hkv: 1, Nq: 19, Nk: 70, d: 8, dv: 24, seed: 122 },
    );
    const built = cases.map(build).map((b) => ({ ...b, opts: { ...b.opts, variant: 'linear' } }));
    const outs = await runCases(built, { variant: 'linear' });
    expect(check('linear', built, outs)).toEqual([]);
  });
});

describe('split-K decode against plain flash', () => {
  it('gives the same output as plain flash on the same inputs (both within the tolerance rule), for Nq = 1 … 16', async () => {
    const built = [
      build({ name: 'decode Nq 1 Nk 2100 H 8/2 d64', B: 2, H: 8, Hkv: 2, Nq: 1, Nk: 2100, d: 64, keyLengths: [2100, 1777], seed: 131 }),
      build({
        name: 'decode Nq 16 Nk 1500 causal ALiBi',
        B: 1,
        H: 4,
        Hkv: 4,
        Nq: 16,
        Nk: 1500,
        d: 32,
        causal: true,
        alibi: true,
        seed: 132,
      }),
      build({
        name: 'decode Nq 5 Nk 999 window 100 softcap',
        B: 1,
        H: 2,
        Hkv: 1,
        Nq: 5,
        Nk: 999,
        d: 48,
        window: 100,
        softcap: 3,
        seed: 133,
      }),
    ];
    const split = await runCases(built, { variant: 'flash', splitK: true });
    const plain = await runCases(built, { variant: 'flash', splitK: false });
    expect(check('split-K', built, split)).toEqual([]);
    expect(check('plain flash', built, plain)).toEqual([]);
    built.forEach((b, n) => {
      const ref = references(b);
      const bound = checkTolerance(decode(plain[n]!.out), ref.f64, ref.f32, 1e-6).bound;
      const a = decode(split[n]!.out);
      const p = decode(plain[n]!.out);
      const diff = a.reduce((m, x, i) => Math.max(m, Math.abs(x - p[i]!)), 0);
      console.log(`${b.c.name}: max |split-K − plain flash| = ${diff.toExponential(2)} (bound ${bound.toExponential(2)})`);
      expect(diff).toBeLessThanOrEqual(2 * bound);
    });
  });

  it('is chosen automatically for decode shapes and never for long queries', async () => {
    const r = await harness().page.evaluate(async () => {
      const { flashConfigFor } = await window.ksImport('/src/kernels/tuned.ts');
      const gpu = window.gpu;
      const base = { d: 64, dv: 64, causal: false };
      return {
        decode: flashConfigFor(gpu, { ...base, Nq: 1, Nk: 4096 }).layout,
        decode16: flashConfigFor(gpu, { ...base, Nq: 16, Nk: 256 }).layout,
        short: flashConfigFor(gpu, { ...base, Nq: 1, Nk: 100 }).layout,
        long: flashConfigFor(gpu, { ...base, Nq: 17, Nk: 4096 }).layout,
        forcedOn: flashConfigFor(gpu, { ...base, Nq: 512, Nk: 512, splitK: true }).layout,
        forcedOff: flashConfigFor(gpu, { ...base, Nq: 1, Nk: 4096, splitK: false }).layout,
      };
    });
    expect(r.decode).toBe('splitk');
    expect(r.decode16).toBe('splitk');
    expect(r.short).not.toBe('splitk');
    expect(r.long).not.toBe('splitk');
    expect(r.forcedOn).toBe('splitk');
    expect(r.forcedOff).not.toBe('splitk');
  });
});

describe('sliding window in trace mode', () => {
  it('never visits the tiles left of the window, and ends at the reference row max and sum', async () => {
    const b = build({
      name: 'trace window',
      B: 1,
      H: 1,
      Hkv: 1,
      Nq: 150,
      Nk: 150,
      d: 64,
      causal: true,
      window: 20,
      alibi: true,
      seed: 141,
    });
    const tile = flashTile(64);
    const r = await harness().page.evaluate(
      async (c) => {
        const m = await window.ksImport('/src/kernels/attention.ts');
        const f32 = (p: { data: (number | string)[]; shape: number[] }) => ({ data: Float32Array.from(p.data, Number), shape: p.shape });
        const opts = { causal: true, window: 20, alibi: true };
        const plain = await m.attention(window.gpu, f32(c.q), f32(c.k), f32(c.v), { ...opts, config: { layout: 'workgroup' } });
        const traced = await m.flashAttentionTrace(window.gpu, f32(c.q), f32(c.k), f32(c.v), { ...opts, queryBlock: 8 });
        const a = new Uint32Array((await plain.read()).buffer);
        const t = new Uint32Array((await traced.output.read()).buffer);
        plain.destroy();
        traced.output.destroy();
        return {
          identical: a.length === t.length && a.every((x, i) => x === t[i]),
          rows: traced.trace.rows as number[],
          steps: traced.trace.steps.map((s: { kBlock: number; skipped: boolean; m: Float32Array; l: Float32Array }) => ({
            kBlock: s.kBlock,
            skipped: s.skipped,
            m: Array.from(s.m),
            l: Array.from(s.l),
          })),
        };
      },
      { q: b.q, k: b.k, v: b.v },
    );
    expect(r.identical).toBe(true);
    expect(tile.blockK).toBe(64);
    // Rows 128..143 see keys 108..143: tile 0 (keys 0..63) lies left of every row's window.
    expect(r.steps.map((s: { kBlock: number; skipped: boolean }) => [s.kBlock, s.skipped])).toEqual([
      [0, true],
      [1, false],
      [2, false],
    ]);
    const stats = attentionRowStats(host(b.q), host(b.k), host(b.v), { causal: true, window: 20, alibi: true });
    const last = r.steps.at(-1)!;
    r.rows.forEach((row: number, n: number) => {
      expect(Math.abs(last.m[n]! - stats.m[row]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(stats.m[row]!)));
      expect(Math.abs(last.l[n]! - stats.l[row]!)).toBeLessThanOrEqual(1e-5 * stats.l[row]!);
    });
  });
});

describe('grouped-query attention memory', () => {
  it('allocates nothing per query head: no buffer as large as K repeated Hq/Hkv times (flash, split-K and naive)', async () => {
    const r = await harness().page.evaluate(async () => {
      const m = await window.ksImport('/src/kernels/attention.ts');
      const { Tensor, mulberry32, normalArray } = window.ks;
      const gpu = window.gpu;
      const rng = mulberry32(9);
      const [Hq, Hkv, Nq, Nk, d] = [8, 1, 4, 512, 32];
      const q = Tensor.fromData(gpu, normalArray(rng, Hq * Nq * d), [1, Hq, Nq, d]);
      const k = Tensor.fromData(gpu, normalArray(rng, Hkv * Nk * d), [1, Hkv, Nk, d]);
      const v = Tensor.fromData(gpu, normalArray(rng, Hkv * Nk * d), [1, Hkv, Nk, d]);
      const out: Record<string, number> = {};
      for (const [name, opts] of [
        ['flash', { splitK: false }],
        ['split-K', { splitK: true }],
        ['naive', { variant: 'naive' }],
      ] as const) {
        const p = await m.profileAttention(gpu, q, k, v, opts);
        p.output.destroy();
        out[name] = p.largestBufferBytes;
      }
      for (const t of [q, k, v]) t.destroy();
      return { out, repeatedK: Hq * Nk * d * 4 };
    });
    console.log(`GQA 8/1 largest buffer: ${JSON.stringify(r.out)} (K repeated: ${r.repeatedK} B)`);
    for (const bytes of Object.values(r.out)) expect(bytes).toBeLessThan(r.repeatedK);
  });
});

describe('attention variants: bad input', () => {
  it('throws a typed error before any GPU work for each bad variant option', async () => {
    const r = await harness().page.evaluate(async () => {
      const m = await window.ksImport('/src/kernels/attention.ts');
      const gpu = window.gpu;
      const t = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape });
      const q = t([1, 6, 4, 8]);
      const kv = t([1, 2, 6, 8]);
      const cases: [string, () => Promise<unknown>][] = [
        ['Hq 6 not a multiple of Hkv 4', () => m.attention(gpu, q, t([1, 4, 6, 8]), t([1, 4, 6, 8]))],
        ['k and v heads differ', () => m.attention(gpu, q, kv, t([1, 3, 6, 8]))],
        ['negative window', () => m.attention(gpu, q, kv, kv, { window: -1 })],
        ['fractional window', () => m.attention(gpu, q, kv, kv, { window: 2.5 })],
        ['negative windowRight', () => m.attention(gpu, q, kv, kv, { windowRight: -3 })],
        ['softcap 0', () => m.attention(gpu, q, kv, kv, { softcap: 0 })],
        ['softcap negative', () => m.attention(gpu, q, kv, kv, { softcap: -2 })],
        ['softcap NaN', () => m.attention(gpu, q, kv, kv, { softcap: NaN })],
        ['5 slopes for 6 heads', () => m.attention(gpu, q, kv, kv, { alibi: [1, 1, 1, 1, 1] })],
        ['2 slopes (one per K/V head) for 6 heads', () => m.attention(gpu, q, kv, kv, { alibi: [1, 1], variant: 'naive' })],
        ['a non-finite slope', () => m.attention(gpu, q, kv, kv, { alibi: [1, 1, 1, 1, 1, Infinity] })],
        ['alibi a string', () => m.attention(gpu, q, kv, kv, { alibi: 'standard' })],
        ['window with linear', () => m.attention(gpu, q, kv, kv, { variant: 'linear', window: 3 })],
        ['ALiBi with linear', () => m.attention(gpu, q, kv, kv, { variant: 'linear', alibi: true })],
        ['splitK with naive', () => m.attention(gpu, q, kv, kv, { variant: 'naive', splitK: true })],
        ['splitK not a boolean', () => m.attention(gpu, q, kv, kv, { splitK: 'yes' })],
        ['splitK against a rows config', () => m.attention(gpu, q, kv, kv, { splitK: true, config: { layout: 'rows', WG: 16 } })],
        ['keysPerSplit 0', () => m.attention(gpu, q, kv, kv, { config: { layout: 'splitk', WG: 16, keysPerSplit: 0 } })],
        ['split-K WG missing', () => m.attention(gpu, q, kv, kv, { config: { layout: 'splitk', keysPerSplit: 64 } })],
      ];
      return window.ksErrorsBeforeGpuWork(cases);
    });
    expect(r).toEqual([
      'Hq 6 not a multiple of Hkv 4: ShapeError created 0',
      'k and v heads differ: ShapeError created 0',
      'negative window: InvalidArgumentError created 0',
      'fractional window: InvalidArgumentError created 0',
      'negative windowRight: InvalidArgumentError created 0',
      'softcap 0: InvalidArgumentError created 0',
      'softcap negative: InvalidArgumentError created 0',
      'softcap NaN: InvalidArgumentError created 0',
      '5 slopes for 6 heads: InvalidArgumentError created 0',
      '2 slopes (one per K/V head) for 6 heads: InvalidArgumentError created 0',
      'a non-finite slope: InvalidArgumentError created 0',
      'alibi a string: InvalidArgumentError created 0',
      'window with linear: InvalidArgumentError created 0',
      'ALiBi with linear: InvalidArgumentError created 0',
      'splitK with naive: InvalidArgumentError created 0',
      'splitK not a boolean: InvalidArgumentError created 0',
      'splitK against a rows config: InvalidArgumentError created 0',
      'keysPerSplit 0: InvalidArgumentError created 0',
      'split-K WG missing: InvalidArgumentError created 0',
    ]);
  });
});
