/**
 * Softmax against its CPU reference (tolerance rule of docs/TESTING.md): row lengths
 * straddling the workgroup sizes, extreme logits, masked and fully masked rows,
 * log-softmax, bias broadcasting, more than 65,535 rows, determinism, bad input.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import { mulberry32, normalArray } from '../../src/reference/random';
import { softmaxReference } from '../../src/reference/softmax';
import { checkTolerance } from '../../src/reference/compare';

const harness = useHarness();

interface Plain {
  data: number[];
  shape: number[];
}
interface SCase {
  name: string;
  x: Plain;
  bias?: Plain;
  log?: boolean;
}

const encode = (p: Plain) => ({ data: p.data.map((x) => (Number.isFinite(x) ? x : String(x))), shape: p.shape });
const decode = (xs: (number | string)[]) => xs.map((x) => (typeof x === 'string' ? Number(x) : x));
const host = (p: Plain) => ({ data: Float32Array.from(p.data), shape: p.shape });

async function runSoftmax(cases: SCase[]): Promise<{ out: (number | string)[]; shape: number[] }[]> {
  return harness().page.evaluate(
    async (cases) => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const f32 = (p: { data: (number | string)[]; shape: number[] }) => ({ data: Float32Array.from(p.data, Number), shape: p.shape });
      const results = [];
      for (const c of cases) {
        const y = await m.softmax(window.gpu, f32(c.x), { bias: c.bias && f32(c.bias), log: c.log });
        const back = await y.read();
        y.destroy();
        results.push({ out: Array.from(back, (v: number) => (Number.isFinite(v) ? v : String(v))), shape: [...y.shape] });
      }
      return results;
    },
    cases.map((c) => ({ x: encode(c.x), bias: c.bias && encode(c.bias), log: c.log })),
  );
}

function check(cases: SCase[], outs: { out: (number | string)[]; shape: number[] }[]) {
  const failures: string[] = [];
  let worst = { ratio: 0, name: '' };
  cases.forEach((c, n) => {
    const opts = { bias: c.bias && host(c.bias), log: c.log };
    const f64 = softmaxReference(host(c.x), opts, 'f64').data;
    const f32 = softmaxReference(host(c.x), opts, 'f32').data;
    const got = decode(outs[n]!.out);
    expect(outs[n]!.shape).toEqual(c.x.shape);
    const v = checkTolerance(got, f64, f32, 1e-6);
    if (v.ratio > worst.ratio) worst = { ratio: v.ratio, name: c.name };
    if (!v.ok)
      failures.push(
        `${c.name}: err ${v.err.toExponential(2)} > ${v.bound.toExponential(2)}, non-finite mismatches ${v.nonFiniteMismatches.length}`,
      );
    if (!c.log)
      expect(
        got.some((x) => Number.isNaN(x)),
        `${c.name}: NaN`,
      ).toBe(false);
  });
  return { failures, worst };
}

const rand = (seed: number, shape: number[], std = 3): Plain => ({
  data: Array.from(
    normalArray(
      mulberry32(seed),
      shape.reduce((a, b) => a * b, 1),
      std,
    ),
  ),
  shape,
});

describe('softmax', () => {
  it('matches the reference for row lengths straddling the workgroup sizes, softmax and log-softmax', async () => {
    const lens = [1, 2, 31, 32, 33, 63, 64, 65, 97, 255, 256, 257, 1023, 1024, 1025, 4099];
    const cases: SCase[] = [];
    lens.forEach((L, i) => {
      cases.push({ name: `L=${L}`, x: rand(100 + i, [3, L]) });
      cases.push({ name: `L=${L} log`, x: rand(200 + i, [2, L]), log: true });
    });
    const { failures, worst } = check(cases, await runSoftmax(cases));
    console.log(`softmax row lengths: ${cases.length} cases, worst ratio ${worst.ratio.toFixed(3)} (${worst.name})`);
    expect(failures).toEqual([]);
  });

  it('handles ±1e4 logits, masked entries, fully masked rows (→ 0, log → −∞) and broadcast biases', async () => {
    const L = 70;
    const extreme: Plain = { data: [], shape: [4, L] };
    for (let r = 0; r < 4; r++)
      for (let j = 0; j < L; j++) extreme.data.push(r === 0 ? (j % 2 ? 1e4 : -1e4) : r === 1 ? 1e4 : r === 2 ? -1e4 : j === 5 ? 1e4 : 0);
    const maskBias: Plain = { data: [], shape: [3, L] };
    for (let r = 0; r < 3; r++)
      for (let j = 0; j < L; j++) maskBias.data.push(r === 1 ? -Infinity : r === 2 && j % 3 === 0 ? -Infinity : 0.25 * (j % 5));
    const x3 = rand(7, [2, 3, L]);
    const cases: SCase[] = [
      { name: '±1e4', x: extreme },
      { name: '±1e4 log', x: extreme, log: true },
      { name: 'masked rows, bias [3, L] over [2, 3, L]', x: x3, bias: maskBias },
      { name: 'masked rows log', x: x3, bias: maskBias, log: true },
      { name: 'bias [L] over [2, 3, L]', x: x3, bias: rand(8, [L]) },
      { name: 'x of −∞ with no bias', x: { data: Array.from({ length: 2 * L }, (_, j) => (j < L ? -Infinity : j % 4)), shape: [2, L] } },
      { name: 'x [5] rank 1', x: rand(9, [5]) },
      { name: 'empty [3, 0]', x: { data: [], shape: [3, 0] } },
      { name: 'empty [0, 4]', x: { data: [], shape: [0, 4] } },
    ];
    const outs = await runSoftmax(cases);
    const { failures } = check(cases, outs);
    expect(failures).toEqual([]);
    const masked = decode(outs[2]!.out);
    // Row 1 of each batch is fully masked: exactly 0, not NaN, not 1/L.
    for (const b of [0, 1]) expect(masked.slice((b * 3 + 1) * L, (b * 3 + 2) * L).every((x) => x === 0)).toBe(true);
    const maskedLog = decode(outs[3]!.out);
    expect(maskedLog.slice(L, 2 * L).every((x) => x === -Infinity)).toBe(true);
    const ex = decode(outs[0]!.out);
    expect(ex.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('folds more than 65,535 workgroups into a 2-D dispatch and covers every row', async () => {
    // L = 2 packs 16 rows per workgroup (softmaxLayout), so 1.1M rows need 68,750 workgroups.
    // The data is made and checked in the page (2.2M values would be slow to ship as JSON).
    const r = await harness().page.evaluate(async () => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const ref = await window.ksImport('/src/reference/softmax.ts');
      const R = 1_100_000;
      const L = 2;
      const { LPR, ROWS } = m.softmaxLayout(L);
      const x = { data: Float32Array.from({ length: R * L }, (_, i) => Math.sin(i * 0.37) * 5), shape: [R, L] };
      const y = await m.softmax(window.gpu, x);
      const got = await y.read();
      y.destroy();
      const f64 = ref.softmaxReference(x, {}, 'f64').data;
      const f32 = ref.softmaxReference(x, {}, 'f32').data;
      const v = window.ks.checkTolerance(got, f64, f32, 1e-6);
      let untouched = 0;
      for (let row = 0; row < R; row++) if (got[row * L] === 0 && got[row * L + 1] === 0) untouched++;
      return {
        ok: v.ok,
        ratio: v.ratio,
        untouched,
        workgroups: Math.ceil(R / ROWS),
        LPR,
        max: window.gpu.limits.maxComputeWorkgroupsPerDimension,
      };
    });
    expect(r.workgroups).toBeGreaterThan(r.max);
    expect(r.untouched).toBe(0);
    expect(r.ok, `ratio ${r.ratio}`).toBe(true);
  });

  it('repeats bit-identically', async () => {
    const x = rand(12, [5, 777]);
    const same = await harness().page.evaluate(async (x) => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const runs: Uint32Array[] = [];
      for (let i = 0; i < 3; i++) {
        const y = await m.softmax(window.gpu, { data: Float32Array.from(x.data), shape: x.shape });
        runs.push(new Uint32Array((await y.read()).buffer));
        y.destroy();
      }
      return runs.every((r) => r.every((v, i) => v === runs[0]![i]));
    }, x);
    expect(same).toBe(true);
  });

  it('throws a typed error before any GPU work for bad input', async () => {
    const r = await harness().page.evaluate(async () => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const gpu = window.gpu;
      const t = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape });
      const cases: [string, () => Promise<unknown>][] = [
        ['bias not trailing dims', () => m.softmax(gpu, t([2, 3, 4]), { bias: t([2, 4]) })],
        ['bias longer than x', () => m.softmax(gpu, t([3, 4]), { bias: t([2, 3, 4]) })],
        ['rank 0', () => m.softmax(gpu, t([]))],
        ['data length', () => m.softmax(gpu, { data: new Float32Array(5), shape: [2, 3] })],
        ['negative size', () => m.softmax(gpu, { data: new Float32Array(0), shape: [2, -3] })],
        ['log not boolean', () => m.softmax(gpu, t([2, 3]), { log: 'yes' })],
        ['not a tensor', () => m.softmax(gpu, [1, 2, 3])],
      ];
      return window.ksErrorsBeforeGpuWork(cases);
    });
    expect(r).toEqual([
      'bias not trailing dims: ShapeError created 0',
      'bias longer than x: ShapeError created 0',
      'rank 0: ShapeError created 0',
      'data length: ShapeError created 0',
      'negative size: ShapeError created 0',
      'log not boolean: InvalidArgumentError created 0',
      'not a tensor: InvalidArgumentError created 0',
    ]);
  });
});
