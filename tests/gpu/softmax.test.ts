/**
 * Softmax against its CPU reference (tolerance rule of docs/TESTING.md), for every
 * kernel configuration: the 'rows' variant (one invocation per row; also with several
 * rows per invocation and a small workgroup) and the 'workgroup' variant. Row lengths
 * around the vec4 width and the workgroup sizes, extreme logits, masked and fully
 * masked rows, log-softmax, bias broadcasting, attention's causal and keep masks,
 * more than 65,535 workgroups, determinism, the default table and bad input.
 */
import { SOFTMAX_CANDIDATES } from '../../src/kernels/softmax-tuning';
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
type Out = { out: (number | string)[]; shape: number[] };

/**
 * The configurations under test. A 'workgroup' entry without lanesPerRow takes the
 * default layout for the row length (`softmaxLayout`), filled in in the page.
 */
const CONFIGS: Record<string, ConfigSpec> = {
  rows: { variant: 'rows', workgroupSize: 64, rowsPerInvocation: 1 },
  'rows, 8 invocations × 3 rows': { variant: 'rows', workgroupSize: 8, rowsPerInvocation: 3 },
  workgroup: { variant: 'workgroup' },
  // Every other configuration the tuner may choose passes the same cases.
  ...Object.fromEntries(
    SOFTMAX_CANDIDATES.filter((c) => !(c.variant === 'rows' && c.workgroupSize === 64 && c.rowsPerInvocation === 1)).map((c) => [
      `tuner ${JSON.stringify(c)}`,
      c,
    ]),
  ),
};
type ConfigSpec = { variant: 'rows' | 'workgroup'; workgroupSize?: number; rowsPerInvocation?: number; lanesPerRow?: number };

/** In the page: the concrete configuration of `spec` for rows of `len`. */
declare global {
  interface Window {
    ksSoftmaxConfig: (spec: any, len: number) => Promise<any>;
  }
}

const encode = (p: Plain) => ({ data: p.data.map((x) => (Number.isFinite(x) ? x : String(x))), shape: p.shape });
const decode = (xs: (number | string)[]) => xs.map((x) => (typeof x === 'string' ? Number(x) : x));
const host = (p: Plain) => ({ data: Float32Array.from(p.data), shape: p.shape });

async function installConfigResolver(): Promise<void> {
  await harness().page.evaluate(() => {
    window.ksSoftmaxConfig = async (spec, len) => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      if (spec.variant !== 'workgroup' || spec.lanesPerRow !== undefined) return spec;
      const { LPR, ROWS } = m.softmaxLayout(len);
      return { variant: 'workgroup', workgroupSize: LPR * ROWS, lanesPerRow: LPR };
    };
  });
}

async function runSoftmax(spec: ConfigSpec, cases: SCase[]): Promise<Out[]> {
  await installConfigResolver();
  return harness().page.evaluate(
    async (spec, cases) => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const f32 = (p: { data: (number | string)[]; shape: number[] }) => ({ data: Float32Array.from(p.data, Number), shape: p.shape });
      const results = [];
      for (const c of cases) {
        const config = await window.ksSoftmaxConfig(spec, c.x.shape[c.x.shape.length - 1] ?? 0);
        const y = await m.softmax(window.gpu, f32(c.x), { bias: c.bias && f32(c.bias), log: c.log, config });
        const back = await y.read();
        y.destroy();
        results.push({ out: Array.from(back, (v: number) => (Number.isFinite(v) ? v : String(v))), shape: [...y.shape] });
      }
      return results;
    },
    spec,
    cases.map((c) => ({ x: encode(c.x), bias: c.bias && encode(c.bias), log: c.log })),
  );
}

function check(cases: SCase[], outs: Out[]) {
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
        `${c.name}: err ${v.err.toExponential(2)} > ${v.bound.toExponential(2)} at ${v.worstIndex}, non-finite mismatches ${v.nonFiniteMismatches.length}`,
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

describe.each(Object.entries(CONFIGS))('softmax, config %s', (label, spec) => {
  it('matches the reference for row lengths around the vec4 width and the workgroup sizes, softmax and log-softmax', async () => {
    // Odd row counts make rows·len mod 4 ≠ 0 for odd lengths: rows start mid-slot and the last entries go through the tail.
    const lens = [1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 63, 64, 65, 97, 127, 128, 129, 239, 255, 256, 257, 1023, 1024, 1025, 4099];
    const cases: SCase[] = [];
    lens.forEach((L, i) => {
      cases.push({ name: `[3, ${L}]`, x: rand(100 + i, [3, L]) });
      cases.push({ name: `[2, ${L}] log`, x: rand(200 + i, [2, L]), log: true });
      if (L < 300) cases.push({ name: `[13, ${L}]`, x: rand(300 + i, [13, L], 8) });
    });
    const { failures, worst } = check(cases, await runSoftmax(spec, cases));
    console.log(`softmax ${label}: ${cases.length} cases, worst ratio ${worst.ratio.toFixed(3)} (${worst.name})`);
    expect(failures).toEqual([]);
  });

  it('handles ±1e4 logits, masked entries, fully masked rows (→ 0, log → −∞) and broadcast biases, aligned and not', async () => {
    const cases: SCase[] = [];
    for (const L of [68, 70]) {
      const extreme: Plain = { data: [], shape: [4, L] };
      for (let r = 0; r < 4; r++)
        for (let j = 0; j < L; j++) extreme.data.push(r === 0 ? (j % 2 ? 1e4 : -1e4) : r === 1 ? 1e4 : r === 2 ? -1e4 : j === 5 ? 1e4 : 0);
      const maskBias: Plain = { data: [], shape: [3, L] };
      for (let r = 0; r < 3; r++)
        for (let j = 0; j < L; j++) maskBias.data.push(r === 1 ? -Infinity : r === 2 && j % 3 === 0 ? -Infinity : 0.25 * (j % 5));
      const x3 = rand(7 + L, [2, 3, L]);
      cases.push(
        { name: `L=${L} ±1e4`, x: extreme },
        { name: `L=${L} ±1e4 log`, x: extreme, log: true },
        { name: `L=${L} masked rows, bias [3, L] over [2, 3, L]`, x: x3, bias: maskBias },
        { name: `L=${L} masked rows log`, x: x3, bias: maskBias, log: true },
        { name: `L=${L} bias [L] over [2, 3, L]`, x: x3, bias: rand(8, [L]) },
        { name: `L=${L} bias [L] log`, x: x3, bias: rand(9, [L]), log: true },
        {
          name: `L=${L} x of −∞ and −1e31 with no bias`,
          x: { data: Array.from({ length: 2 * L }, (_, j) => (j < L ? (j % 2 ? -Infinity : -1e31) : j % 4)), shape: [2, L] },
        },
      );
    }
    cases.push(
      { name: 'x [5] rank 1', x: rand(9, [5]) },
      { name: 'x [1] rank 1', x: rand(10, [1]) },
      { name: 'x [3, 1, 1]', x: rand(11, [3, 1, 1]) },
      { name: 'empty [3, 0]', x: { data: [], shape: [3, 0] } },
      { name: 'empty [0, 4]', x: { data: [], shape: [0, 4] } },
    );
    const outs = await runSoftmax(spec, cases);
    const { failures } = check(cases, outs);
    expect(failures).toEqual([]);
    for (const n of [0, 7]) {
      const L = n === 0 ? 68 : 70;
      // Row 1 of each batch is fully masked: exactly 0, not NaN, not 1/L; log: −∞.
      const masked = decode(outs[n + 2]!.out);
      for (const b of [0, 1]) expect(masked.slice((b * 3 + 1) * L, (b * 3 + 2) * L).every((x) => x === 0)).toBe(true);
      const maskedLog = decode(outs[n + 3]!.out);
      expect(maskedLog.slice(L, 2 * L).every((x) => x === -Infinity)).toBe(true);
      const lowRow = decode(outs[n + 6]!.out).slice(0, L);
      expect(lowRow.every((x) => x === 0)).toBe(true);
      expect(decode(outs[n]!.out).every((x) => Number.isFinite(x))).toBe(true);
    }
  });

  it("applies naive attention's causal (with offset) and keep masks, with a bias, fully masked rows included", async () => {
    const B = 2;
    const H = 3;
    const Nq = 5;
    const results: string[] = [];
    await installConfigResolver();
    for (const L of [7, 8, 129]) {
      for (const [causal, offset] of [
        [true, L - Nq],
        [true, 0],
        [true, -1],
        [false, 0],
      ] as const) {
        for (const log of [false, true]) {
          const rows = B * H * Nq;
          const x = rand(40 + L, [B, H, Nq, L]);
          const bias = rand(41 + L, [Nq, L], 1);
          // Batch 0 keeps its first L − 2 keys; batch 1 keeps none when causal is off (every row fully masked).
          const keep = Array.from({ length: B * L }, (_, i) => (i < L ? (i < L - 2 ? 1 : 0) : causal ? (i % 3 === 0 ? 0 : 1) : 0));
          // Oracle: the masks folded into a full-size additive bias of −∞.
          const full: Plain = { data: [], shape: [B, H, Nq, L] };
          for (let r = 0; r < rows; r++) {
            const qi = r % Nq;
            const batch = Math.floor(r / (H * Nq));
            for (let j = 0; j < L; j++) {
              const hidden = (causal && j > qi + offset) || keep[batch * L + j] === 0;
              full.data.push(hidden ? -Infinity : bias.data[qi * L + j]!);
            }
          }
          const got = await harness().page.evaluate(
            async (a) => {
              const m = await window.ksImport('/src/kernels/softmax.ts');
              const config = await window.ksSoftmaxConfig(a.spec, a.L);
              const gpu = window.gpu;
              const T = window.ks.Tensor;
              const xt = T.fromData(gpu, a.x, a.shape);
              const bt = T.fromData(gpu, a.bias, [a.Nq, a.L]);
              const kt = T.fromData(gpu, a.keep, [a.B, a.L]);
              const y = await m.softmaxRows(
                gpu,
                'softmax-masks',
                xt,
                a.shape,
                a.rows,
                a.L,
                bt,
                a.Nq,
                a.log,
                { causal: a.causal, causalOffset: a.offset, nq: a.Nq, keep: kt, rowsPerBatch: a.H * a.Nq },
                await m.checkSoftmaxConfig('softmax-masks', gpu, config),
              );
              const back = await y.read();
              for (const t of [xt, bt, kt, y]) t.destroy();
              return Array.from(back, (v: number) => (Number.isFinite(v) ? v : String(v)));
            },
            { spec, L, x: x.data, shape: x.shape, bias: bias.data, keep, B, H, Nq, rows, causal, offset, log },
          );
          const name = `L=${L} causal=${causal} offset=${offset} log=${log}`;
          const f64 = softmaxReference(host(x), { bias: host(full), log }, 'f64').data;
          const f32 = softmaxReference(host(x), { bias: host(full), log }, 'f32').data;
          const values = decode(got);
          const v = checkTolerance(values, f64, f32, 1e-6);
          if (!v.ok)
            results.push(
              `${name}: err ${v.err.toExponential(2)} > ${v.bound.toExponential(2)}, non-finite ${v.nonFiniteMismatches.length}`,
            );
          if (!log && values.some((y) => Number.isNaN(y))) results.push(`${name}: NaN`);
          if (!causal) {
            // Batch 1 is fully masked by keep: all 0 (log: all −∞).
            const second = values.slice(H * Nq * L);
            if (!second.every((y) => y === (log ? -Infinity : 0))) results.push(`${name}: fully masked batch not ${log ? '−∞' : '0'}`);
          }
        }
      }
    }
    expect(results).toEqual([]);
  });

  it('folds more than 65,535 workgroups into a 2-D dispatch and covers every row', async () => {
    // 70,000 rows of 5 with one row per workgroup ('rows': 1 invocation; 'workgroup': 4 lanes).
    // The data is made and checked in the page (shipping it as JSON would be slow).
    const r = await harness().page.evaluate(async (spec) => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const ref = await window.ksImport('/src/reference/softmax.ts');
      const R = 70_000;
      const L = 5;
      const config =
        spec.variant === 'rows'
          ? { ...spec, workgroupSize: 1, rowsPerInvocation: 1 }
          : { variant: 'workgroup', workgroupSize: 4, lanesPerRow: 4 };
      const x = { data: Float32Array.from({ length: R * L }, (_, i) => Math.sin(i * 0.37) * 5), shape: [R, L] };
      const y = await m.softmax(window.gpu, x, { config });
      const got = await y.read();
      y.destroy();
      const f64 = ref.softmaxReference(x, {}, 'f64').data;
      const f32 = ref.softmaxReference(x, {}, 'f32').data;
      const v = window.ks.checkTolerance(got, f64, f32, 1e-6);
      let untouched = 0;
      for (let row = 0; row < R; row++) if (got.subarray(row * L, row * L + L).every((v: number) => v === 0)) untouched++;
      return { ok: v.ok, ratio: v.ratio, untouched, workgroups: R, max: window.gpu.limits.maxComputeWorkgroupsPerDimension };
    }, spec);
    expect(r.workgroups).toBeGreaterThan(r.max);
    expect(r.untouched).toBe(0);
    expect(r.ok, `ratio ${r.ratio}`).toBe(true);
  });

  it('repeats bit-identically', async () => {
    const x = rand(12, [5, 777]);
    await installConfigResolver();
    const same = await harness().page.evaluate(
      async (x, spec) => {
        const m = await window.ksImport('/src/kernels/softmax.ts');
        const config = await window.ksSoftmaxConfig(spec, 777);
        const runs: Uint32Array[] = [];
        for (let i = 0; i < 3; i++) {
          const y = await m.softmax(window.gpu, { data: Float32Array.from(x.data), shape: x.shape }, { config });
          runs.push(new Uint32Array((await y.read()).buffer));
          y.destroy();
        }
        return runs.every((r) => r.every((v, i) => v === runs[0]![i]));
      },
      x,
      spec,
    );
    expect(same).toBe(true);
  });
});

describe('softmax configuration', () => {
  it("defaults to 'rows' on CPU-style adapters and 'workgroup' on GPUs (by the adapter's own info)", async () => {
    const r = await harness().page.evaluate(async () => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const limits = window.gpu.limits;
      const fake = (info: Record<string, unknown>) => ({
        info: { vendor: '', architecture: '', device: '', description: '', featureLevel: 'core', ...info },
        limits,
      });
      return {
        here: m.softmaxConfig(window.gpu, 4096, 1024),
        swiftshader: m.softmaxConfig(fake({ vendor: 'google', architecture: 'swiftshader' }), 4096, 1024),
        llvmpipe: m.softmaxConfig(fake({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }), 4096, 1024),
        compatNoInfo: m.softmaxConfig(fake({ featureLevel: 'compatibility' }), 4096, 1024),
        fewRows: m.softmaxConfig(fake({ architecture: 'swiftshader' }), 100, 1024),
        nvidia: m.softmaxConfig(fake({ vendor: 'nvidia', architecture: 'hopper' }), 4096, 1024),
        tooFewBindings: m.softmaxConfig(
          { ...fake({ architecture: 'swiftshader' }), limits: { ...limits, maxStorageBuffersPerShaderStage: 4 } },
          64,
          64,
        ),
      };
    });
    const rows = { variant: 'rows', workgroupSize: 64, rowsPerInvocation: 1 };
    expect(r.here).toEqual(rows); // the test adapters are SwiftShader and lavapipe
    expect(r.swiftshader).toEqual(rows);
    expect(r.llvmpipe).toEqual(rows);
    expect(r.compatNoInfo).toEqual(rows);
    expect(r.fewRows).toEqual({ variant: 'rows', workgroupSize: 4, rowsPerInvocation: 1 });
    expect(r.nvidia).toEqual({ variant: 'workgroup', workgroupSize: 128, lanesPerRow: 128 });
    expect(r.tooFewBindings).toEqual({ variant: 'workgroup', workgroupSize: 64, lanesPerRow: 8 });
  });

  it('rejects a bad configuration with a typed error before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const m = await window.ksImport('/src/kernels/softmax.ts');
      const gpu = window.gpu;
      const x = { data: new Float32Array(12), shape: [3, 4] };
      const run = (config: unknown) => () => m.softmax(gpu, x, { config });
      const cases: [string, () => Promise<unknown>][] = [
        ['not an object', run('rows')],
        ['unknown variant', run({ variant: 'fast', workgroupSize: 64 })],
        ['workgroupSize 0', run({ variant: 'rows', workgroupSize: 0, rowsPerInvocation: 1 })],
        ['workgroupSize 1.5', run({ variant: 'rows', workgroupSize: 1.5, rowsPerInvocation: 1 })],
        ['workgroupSize past the limit', run({ variant: 'rows', workgroupSize: 1 << 20, rowsPerInvocation: 1 })],
        ['rowsPerInvocation 0', run({ variant: 'rows', workgroupSize: 64, rowsPerInvocation: 0 })],
        ['rowsPerInvocation 99', run({ variant: 'rows', workgroupSize: 64, rowsPerInvocation: 99 })],
        ['rowsPerInvocation missing', run({ variant: 'rows', workgroupSize: 64 })],
        ['lanesPerRow 3', run({ variant: 'workgroup', workgroupSize: 64, lanesPerRow: 3 })],
        ['lanesPerRow > workgroupSize', run({ variant: 'workgroup', workgroupSize: 64, lanesPerRow: 128 })],
        ['a key of the other variant', run({ variant: 'workgroup', workgroupSize: 64, lanesPerRow: 8, rowsPerInvocation: 1 })],
      ];
      return window.ksErrorsBeforeGpuWork(cases);
    });
    expect(r).toEqual([
      'not an object: InvalidArgumentError created 0',
      'unknown variant: InvalidArgumentError created 0',
      'workgroupSize 0: InvalidArgumentError created 0',
      'workgroupSize 1.5: InvalidArgumentError created 0',
      'workgroupSize past the limit: LimitExceededError created 0',
      'rowsPerInvocation 0: InvalidArgumentError created 0',
      'rowsPerInvocation 99: InvalidArgumentError created 0',
      'rowsPerInvocation missing: InvalidArgumentError created 0',
      'lanesPerRow 3: InvalidArgumentError created 0',
      'lanesPerRow > workgroupSize: InvalidArgumentError created 0',
      'a key of the other variant: InvalidArgumentError created 0',
    ]);
  });
});

describe('softmax bad input', () => {
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
