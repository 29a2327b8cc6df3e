/**
 * Attention kernels (naive, flash, linear) against the CPU references, with the
 * tolerance rule of TESTING.md: maxAbsErr(gpu, f64) ≤ 2·maxAbsErr(f32 baseline, f64) + 1e-6.
 * Cases batch many shapes per page.evaluate; references are computed here in Node.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import { mulberry32, normalArray } from '../../src/reference/random';
import { attentionReference, attentionRowStats, type AttentionReferenceOptions } from '../../src/reference/attention';
import { checkTolerance, maxAbsError } from '../../src/reference/compare';
import { flashTile } from '../../src/kernels/attention/problem';

const harness = useHarness();

type Variant = 'naive' | 'flash' | 'linear';

interface Case {
  name: string;
  B: number;
  H: number;
  Nq: number;
  Nk: number;
  d: number;
  dv?: number;
  causal?: boolean;
  keyLengths?: number[];
  /** 'perKey' | 'full' | 'rowwise' bias, or a key padding mask. */
  bias?: 'perKey' | 'full' | 'all';
  mask?: boolean;
  seed: number;
}

interface Plain {
  data: number[];
  shape: number[];
}

interface Built {
  c: Case;
  q: Plain;
  k: Plain;
  v: Plain;
  opts: { causal?: boolean; keyLengths?: number[]; bias?: Plain; keyPaddingMask?: Plain };
}

function build(c: Case): Built {
  const rng = mulberry32(c.seed);
  const dv = c.dv ?? c.d;
  const t = (shape: number[]) => ({ data: Array.from(normalArray(rng, shape.reduce((a, b) => a * b, 1))), shape });
  const q = t([c.B, c.H, c.Nq, c.d]);
  const k = t([c.B, c.H, c.Nk, c.d]);
  const v = t([c.B, c.H, c.Nk, dv]);
  const opts: Built['opts'] = {};
  if (c.causal) opts.causal = true;
  if (c.keyLengths) opts.keyLengths = c.keyLengths;
  if (c.bias) {
    const shape = c.bias === 'perKey' ? [c.Nk] : c.bias === 'full' ? [c.Nq, c.Nk] : [c.B, c.H, c.Nq, c.Nk];
    const b = t(shape);
    // Some −∞ entries: the bias doubles as an additive mask.
    b.data = b.data.map((x, i) => (i % 7 === 3 ? -Infinity : x));
    opts.bias = b;
  }
  if (c.mask) {
    const data: number[] = [];
    for (let b = 0; b < c.B; b++) for (let j = 0; j < c.Nk; j++) data.push(b === 1 ? 0 : j % 3 === 1 ? 0 : 1); // batch 1 fully masked
    opts.keyPaddingMask = { data, shape: [c.B, c.Nk] };
  }
  return { c, q, k, v, opts };
}

const host = (p: Plain) => ({ data: Float32Array.from(p.data), shape: p.shape });

function references(b: Built, variant: Variant) {
  const opts: AttentionReferenceOptions = {
    variant,
    causal: b.opts.causal,
    keyLengths: b.opts.keyLengths,
    bias: b.opts.bias ? host(b.opts.bias) : undefined,
    keyPaddingMask: b.opts.keyPaddingMask ? host(b.opts.keyPaddingMask) : undefined,
  };
  const args = [host(b.q), host(b.k), host(b.v), opts] as const;
  return { f64: attentionReference(...args, 'f64').data, f32: attentionReference(...args, 'f32').data };
}

/** Runs every case for one variant in the page; returns outputs as plain arrays. */
async function runCases(built: Built[], variant: Variant): Promise<{ out: number[]; shape: number[] }[]> {
  return harness().page.evaluate(
    async (cases, variant) => {
      const m = await window.ksImport('/src/kernels/attention.ts');
      // Non-finite values travel as strings (JSON has no −∞).
      const f32 = (p: { data: (number | string)[]; shape: number[] }) => ({ data: Float32Array.from(p.data, Number), shape: p.shape });
      const results = [];
      for (const c of cases) {
        const opts = { ...c.opts, variant, bias: c.opts.bias && f32(c.opts.bias), keyPaddingMask: c.opts.keyPaddingMask && f32(c.opts.keyPaddingMask) };
        const o = await m.attention(window.gpu, f32(c.q), f32(c.k), f32(c.v), opts);
        const back = await o.read();
        o.destroy();
        // JSON cannot carry NaN/Infinity: encode them so the test sees them.
        results.push({ out: Array.from(back, (x: number) => (Number.isFinite(x) ? x : String(x))), shape: [...o.shape] });
      }
      return results;
    },
    built.map((b) => ({ q: b.q, k: b.k, v: b.v, opts: { ...b.opts, bias: b.opts.bias && encode(b.opts.bias) } })),
    variant,
  ) as Promise<{ out: number[]; shape: number[] }[]>;
}

/** JSON carries no ±∞/NaN: send them as strings. */
const encode = (p: Plain) => ({ data: p.data.map((x) => (Number.isFinite(x) ? x : String(x))), shape: p.shape });
const decode = (xs: (number | string)[]) => xs.map((x) => (typeof x === 'string' ? Number(x) : x));

/** The seqlen pairs and head dims of TESTING.md, plus masks and biases. */
const CASES: Case[] = [
  { name: '(1,239) d16', B: 1, H: 1, Nq: 1, Nk: 239, d: 16, seed: 1 },
  { name: '(239,1) d32 causal', B: 1, H: 1, Nq: 239, Nk: 1, d: 32, causal: true, seed: 2 },
  { name: '(1,239) d64 causal', B: 1, H: 1, Nq: 1, Nk: 239, d: 64, causal: true, seed: 3 },
  { name: '(239,1) d40', B: 1, H: 1, Nq: 239, Nk: 1, d: 40, seed: 4 },
  { name: '(33,65) d80 causal B2 H2', B: 2, H: 2, Nq: 33, Nk: 65, d: 80, causal: true, seed: 5 },
  { name: '(65,33) d128 keyLengths', B: 2, H: 1, Nq: 65, Nk: 33, d: 128, keyLengths: [33, 5], seed: 6 },
  { name: '(17,17) d64 causal padding mask', B: 2, H: 2, Nq: 17, Nk: 17, d: 64, causal: true, mask: true, seed: 7 },
  { name: '(31,97) d32 per-key bias', B: 1, H: 2, Nq: 31, Nk: 97, d: 32, bias: 'perKey', seed: 8 },
  { name: '(40,29) d16 [Nq,Nk] bias causal', B: 1, H: 2, Nq: 40, Nk: 29, d: 16, bias: 'full', causal: true, seed: 9 },
  { name: '(18,21) d40 [B,H,Nq,Nk] bias', B: 2, H: 2, Nq: 18, Nk: 21, d: 40, bias: 'all', seed: 10 },
  { name: '(23,45) d16 dv40', B: 1, H: 1, Nq: 23, Nk: 45, d: 16, dv: 40, seed: 11 },
  { name: '(70,130) d2 causal (tiny head dim)', B: 1, H: 1, Nq: 70, Nk: 130, d: 2, causal: true, seed: 12 },
  { name: '(9,50) d3 per-key bias', B: 1, H: 1, Nq: 9, Nk: 50, d: 3, bias: 'perKey', seed: 13 },
  { name: '(20,70) d256', B: 1, H: 1, Nq: 20, Nk: 70, d: 256, seed: 14 },
  { name: '(129,127) d64 causal', B: 1, H: 1, Nq: 129, Nk: 127, d: 64, causal: true, seed: 15 },
  { name: '(5,0) no keys', B: 1, H: 1, Nq: 5, Nk: 0, d: 16, seed: 16 },
  { name: '(0,7) no queries', B: 1, H: 1, Nq: 0, Nk: 7, d: 16, seed: 17 },
];

const BIAS2D = new Set(['full', 'all']);

describe.each(['flash', 'naive', 'linear'] as Variant[])('attention %s', (variant) => {
  it('matches the reference on the seqlen pairs, head dims, masks and biases (tolerance rule)', async () => {
    const cases = CASES.filter((c) => variant !== 'linear' || !BIAS2D.has(c.bias ?? ''));
    const built = cases.map(build);
    const outs = await runCases(built, variant);
    let worst = { ratio: 0, name: '' };
    const failures: string[] = [];
    built.forEach((b, n) => {
      const ref = references(b, variant);
      const got = decode(outs[n]!.out);
      expect(outs[n]!.shape).toEqual([b.c.B, b.c.H, b.c.Nq, b.c.dv ?? b.c.d]);
      const v = checkTolerance(got, ref.f64, ref.f32, 1e-6);
      if (v.ratio > worst.ratio) worst = { ratio: v.ratio, name: b.c.name };
      if (!v.ok) failures.push(`${b.c.name} (seed ${b.c.seed}): err ${v.err.toExponential(2)} > bound ${v.bound.toExponential(2)}, non-finite ${v.nonFiniteMismatches.length}`);
    });
    console.log(`attention ${variant}: ${built.length} cases, worst ratio ${worst.ratio.toFixed(3)} (${worst.name})`);
    expect(failures).toEqual([]);
  });
});
