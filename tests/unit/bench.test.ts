/**
 * The benchmark's pure parts, in Node: statistics against known inputs, the FLOP
 * and byte counts, the case lists, the repeat policy, failures recorded as records,
 * the report, CSV and plots, the row-sampled references, and the CLI's options.
 * No test here (or anywhere) asserts a timing.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapMedianCI, gcdAll, median, quantileSorted, summarize } from '../../src/bench/stats';
import {
  attentionBytes,
  attentionFlops,
  FMA_FLOPS_PER_ITERATION,
  gbps,
  gflops,
  linearAttentionFlops,
  matmulBytes,
  matmulFlops,
  softmaxBytes,
  softmaxFlops,
} from '../../src/bench/flops';
import { planCases, parseSizes } from '../../src/bench/cases';
import { measure, runCase } from '../../src/bench/runner';
import { keyFigures, markdownReport, toCsv } from '../../src/bench/report';
import { allPlots, xml } from '../../src/bench/plots';
import { attentionRows, linearAttentionRows, matmulRows, sampleRows, softmaxRows } from '../../src/bench/check';
import { assertCaseFits, makeInputs } from '../../src/bench/inputs';
import { caseWork } from '../../src/bench/work';
import { DEFAULT_RUN_OPTIONS, QUICK_POLICY, type BenchCase, type BenchRecord, type Sample } from '../../src/bench/types';
import { matmulReference } from '../../src/reference/matmul';
import { attentionReference } from '../../src/reference/attention';
import { softmaxReference } from '../../src/reference/softmax';
import { parseCliArgs } from '../../bench/args.mjs';
import { etaSeconds, fmtDuration } from '../../bench/progress.mjs';

describe('statistics', () => {
  it('median of odd and even counts, unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('rejects empty and non-finite samples', () => {
    expect(() => median([])).toThrow(/no samples/);
    expect(() => median([1, NaN])).toThrow(/non-finite/);
  });

  it('type-7 quantiles', () => {
    const s = [1, 2, 3, 4, 5];
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(5);
    expect(quantileSorted(s, 0.5)).toBe(3);
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.4, 12);
    expect(quantileSorted([10, 20], 0.25)).toBeCloseTo(12.5, 12);
  });

  it('summarize gives n, median, min, max', () => {
    const s = summarize([3, 9, 1, 4, 4]);
    expect(s).toMatchObject({ n: 5, median: 4, min: 1, max: 9 });
    expect(s.ciLow).toBeLessThanOrEqual(s.median);
    expect(s.ciHigh).toBeGreaterThanOrEqual(s.median);
  });

  it('bootstrap CI of the median: constant samples give a zero-width interval', () => {
    expect(bootstrapMedianCI([2, 2, 2, 2])).toEqual([2, 2]);
    expect(bootstrapMedianCI([6])).toEqual([6, 6]);
  });

  it('bootstrap CI of the median of [1, 2, 10] is [1, 10] (exact: P(median = 1) = P(median = 10) = 7/27 > 2.5%)', () => {
    expect(bootstrapMedianCI([1, 2, 10], { resamples: 4000, seed: 7 })).toEqual([1, 10]);
  });

  it('bootstrap CI of a large sample brackets the median, tightly, and is seeded', () => {
    // 0..200: the median's bootstrap SE is about 1.25·σ/√n ≈ 5, so the 95% CI is roughly ±10.
    const values = Array.from({ length: 201 }, (_, i) => i);
    const [lo, hi] = bootstrapMedianCI(values, { seed: 3 });
    expect(lo).toBeLessThan(100);
    expect(hi).toBeGreaterThan(100);
    expect(lo).toBeGreaterThan(80);
    expect(hi).toBeLessThan(120);
    expect(bootstrapMedianCI(values, { seed: 3 })).toEqual([lo, hi]);
    expect(bootstrapMedianCI(values, { seed: 4 })).not.toEqual([lo, hi]);
  });

  it('gcd of clock readings (the timer quantum)', () => {
    expect(gcdAll([300_000, 500_000, 1_200_000])).toBe(100_000);
    expect(gcdAll([])).toBe(0);
  });
});

describe('FLOP and byte counts', () => {
  it('matmul: 2·M·N·K and 4·(MK + KN + MN)', () => {
    expect(matmulFlops(2, 3, 4)).toBe(48);
    expect(matmulFlops(1024, 1024, 1024)).toBe(2 * 1024 ** 3);
    expect(matmulBytes(2, 3, 4)).toBe(4 * (6 + 12 + 8));
  });

  it('attention: 4·B·H·Nq·Nk·d, halved for causal', () => {
    expect(attentionFlops({ B: 1, H: 2, Nq: 8, d: 4 })).toBe(4 * 2 * 8 * 8 * 4);
    expect(attentionFlops({ B: 1, H: 2, Nq: 8, d: 4, causal: true })).toBe(2 * 2 * 8 * 8 * 4);
    expect(attentionFlops({ B: 2, H: 1, Nq: 3, Nk: 5, d: 4 })).toBe(4 * 2 * 3 * 5 * 4);
    expect(attentionFlops({ B: 1, H: 1, Nq: 2048, d: 64 })).toBe(4 * 2048 * 2048 * 64);
    expect(linearAttentionFlops({ B: 1, H: 1, Nq: 100, d: 8 })).toBe(4 * 100 * 8 * 8);
    expect(attentionBytes({ B: 1, H: 1, Nq: 10, d: 4 })).toBe(4 * (2 * 40 + 2 * 40));
  });

  it('softmax: 5 FLOPs and 8 bytes per element', () => {
    expect(softmaxFlops(3, 7)).toBe(105);
    expect(softmaxBytes(3, 7)).toBe(168);
  });

  it('rates', () => {
    expect(gflops(2e9, 1000)).toBeCloseTo(2, 12);
    expect(gbps(5e8, 500)).toBeCloseTo(1, 12);
    expect(gflops(1, 0)).toBeNaN();
  });

  it('each case gets its suite count', () => {
    const [mm] = planCases({ suites: ['matmul'], sizes: ['64'], variants: ['naive'], peers: [] });
    expect(caseWork(mm!)).toEqual({ flops: matmulFlops(64, 64, 64), bytes: matmulBytes(64, 64, 64) });
    const att = planCases({ suites: ['attention'], sizes: ['128'], dims: [64], heads: [2], causal: [true], peers: [] });
    const flash = att.find((c) => c.impl === 'flash')!;
    const linear = att.find((c) => c.impl === 'linear')!;
    expect(caseWork(flash).flops).toBe(attentionFlops({ B: 1, H: 2, Nq: 128, d: 64, causal: true }));
    expect(caseWork(linear).flops).toBe(linearAttentionFlops({ B: 1, H: 2, Nq: 128, d: 64 }));
    const fma = planCases({ suites: ['roofline'], quick: true }).find((c) => c.impl === 'fma')!;
    expect(caseWork(fma).flops).toBe(Number(fma.params.invocations) * Number(fma.params.iterations) * FMA_FLOPS_PER_ITERATION);
    // The copy probe copies `reps` times per call: 8 bytes per element per copy.
    const copy = planCases({ suites: ['roofline'], quick: true }).find((c) => c.impl === 'copy')!;
    expect(caseWork(copy).bytes).toBe(8 * Number(copy.params.elements) * Number(copy.params.reps));
  });
});

describe('case lists', () => {
  it('quick plan covers every suite, ours then the peer for each shape', () => {
    const cases = planCases({ quick: true });
    expect(new Set(cases.map((c) => c.suite))).toEqual(new Set(['matmul', 'attention', 'softmax', 'roofline']));
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const m128 = cases.filter((c) => c.shape === 'M128 K128 N128').map((c) => c.impl);
    expect(m128).toEqual(['naive', 'tiled', 'register', 'direct', 'subgroup', 'auto', 'tfjs']);
    expect(cases.filter((c) => c.suite === 'roofline').some((c) => c.provider !== 'kernelscope')).toBe(false);
  });

  it('full attention: N from 128 to 4096 and past, d 64 and 128, causal on and off, one head and several', () => {
    const cases = planCases({ suites: ['attention'], peers: [] });
    const ns = new Set(cases.map((c) => c.params.N));
    for (const n of [128, 256, 512, 1024, 2048, 4096, 8192]) expect(ns.has(n)).toBe(true);
    expect(new Set(cases.map((c) => c.params.d))).toEqual(new Set([64, 128]));
    expect(new Set(cases.map((c) => c.params.causal))).toEqual(new Set([false, true]));
    expect(new Set(cases.map((c) => c.params.H))).toEqual(new Set([1, 8]));
    expect(new Set(cases.map((c) => c.impl))).toEqual(new Set(['naive', 'flash', 'linear']));
  });

  it('--sizes: N for every suite, MxKxN for matmul, RxC for softmax', () => {
    expect(parseSizes(['64', '2x3x4', '5x6', '1k'])).toEqual({ square: [64, 1024], matmul: [[2, 3, 4]], softmax: [[5, 6]] });
    expect(() => parseSizes(['0'])).toThrow(/positive/);
    expect(parseSizes(['matmul:1024', 'attention:2048', '64'], 'matmul')).toEqual({ square: [1024, 64], matmul: [], softmax: [] });
    expect(() => parseSizes(['fft:8'])).toThrow(/not a suite/);
    expect(() => parseSizes(['12q'])).toThrow(/bad size/);
    const cases = planCases({ sizes: ['32', '8x16x24', '7x9'], variants: ['naive', 'softmax'], peers: [] });
    expect(cases.filter((c) => c.suite === 'matmul').map((c) => c.shape)).toEqual(['M32 K32 N32', 'M8 K16 N24']);
    expect(cases.filter((c) => c.suite === 'softmax').map((c) => c.shape)).toEqual(['32×32', '7×9']);
    expect(cases.filter((c) => c.suite === 'attention').every((c) => c.params.N === 32)).toBe(true);
  });

  it('rejects an unknown suite', () => {
    expect(() => planCases({ suites: ['fft' as never] })).toThrow(/unknown suite/);
  });
});

describe('repeat policy', () => {
  const fakeClock = (stepMs: number) => {
    let t = 0;
    const now = () => t;
    const run = async (): Promise<Sample> => {
      t += stepMs;
      return { wallMs: stepMs, gpuMs: null, gpuTimer: null };
    };
    return { now, run };
  };

  it('stops only when both the minimum count and the minimum time are reached', async () => {
    const slow = fakeClock(100); // the count binds: 3 repeats already pass 50 ms
    expect((await measure(slow.run, { ...QUICK_POLICY, minRepeats: 3, minTimeMs: 50 }, slow.now)).samples).toHaveLength(3);
    const fast = fakeClock(1); // the time binds: 50 repeats of 1 ms
    expect(
      (await measure(fast.run, { ...QUICK_POLICY, warmup: 0, minRepeats: 3, minTimeMs: 50, maxRepeats: 1000 }, fast.now)).samples,
    ).toHaveLength(50);
  });

  it('caps by maxRepeats but never goes under minRepeats, and warms up first', async () => {
    const fast = fakeClock(1);
    const m = await measure(fast.run, { warmup: 2, warmupMs: 0, minRepeats: 3, minTimeMs: 1e9, maxRepeats: 7 }, fast.now);
    expect(m.warmup).toBe(2);
    expect(m.samples).toHaveLength(7);
    const m2 = await measure(fast.run, { warmup: 0, warmupMs: 0, minRepeats: 5, minTimeMs: 0, maxRepeats: 2 }, fast.now);
    expect(m2.samples).toHaveLength(5);
  });
});

const [CASE] = planCases({ suites: ['matmul'], sizes: ['8'], variants: ['naive'], peers: [] });

describe('runCase', () => {
  it('records a failure with its reason instead of throwing, at any stage', async () => {
    const failing = await runCase(
      CASE!,
      {
        work: { flops: 1, bytes: 1 },
        prepare: async () => {
          throw new RangeError('out of memory: scores need 64 GiB');
        },
      },
      DEFAULT_RUN_OPTIONS,
    );
    expect(failing).toMatchObject({ status: 'failed', errorName: 'RangeError', reason: 'out of memory: scores need 64 GiB', id: CASE!.id });
    let disposed = 0;
    let calls = 0;
    const midway = await runCase(
      CASE!,
      {
        work: { flops: 1, bytes: 1 },
        prepare: async () => ({
          run: async () => {
            if (++calls === 3) throw new Error('device lost');
            return { wallMs: 1, gpuMs: null, gpuTimer: null };
          },
          peak: async () => ({ bytes: 0, source: 'test' }),
          read: async () => new Float32Array(),
          dispose: () => void disposed++,
        }),
      },
      DEFAULT_RUN_OPTIONS,
    );
    expect(midway).toMatchObject({ status: 'failed', reason: 'device lost' });
    expect(disposed).toBe(1);
  });

  it('an ok case carries stats, rates, peak bytes, the error and the timer', async () => {
    const r = await runCase(
      CASE!,
      {
        work: { flops: 2e6, bytes: 1e6 },
        prepare: async () => ({
          run: async () => ({ wallMs: 2, gpuMs: 0.0003, gpuTimer: 'timestamp-query' }),
          peak: async () => ({ bytes: 4096, source: 'gpu.memory' }),
          read: async () => new Float32Array([1, 2]),
          dispose: () => {},
        }),
        check: async () => ({ maxAbsErr: 1e-6, checked: 'all', count: 2, total: 2, nonFinite: 0, maxAbsRef: 2 }),
      },
      DEFAULT_RUN_OPTIONS,
    );
    expect(r.status).toBe('ok');
    expect(r.wall).toMatchObject({ median: 2, min: 2, max: 2 });
    expect(r.gflops).toBeCloseTo(1, 12);
    expect(r.gbps).toBeCloseTo(0.5, 12);
    expect(r.peakBytes).toBe(4096);
    expect(r.timer).toMatchObject({ primary: 'wall', gpu: 'timestamp-query', gpuResolutionMs: 0.0003 });
    expect(r.error?.maxAbsErr).toBe(1e-6);
  });

  it('a wrong output (a silently failed allocation, say) is recorded as failed, with its timing kept', async () => {
    const driver = (maxAbsErr: number, nonFinite = 0) => ({
      work: { flops: 1, bytes: 1 },
      prepare: async () => ({
        run: async (): Promise<Sample> => ({ wallMs: 3, gpuMs: null, gpuTimer: null }),
        peak: async () => ({ bytes: 0, source: 'test' }),
        read: async () => new Float32Array(4),
        dispose: () => {},
      }),
      check: async () => ({ maxAbsErr, checked: 'sample' as const, count: 4, total: 400, nonFinite, maxAbsRef: 0.03 }),
    });
    const zeros = await runCase(CASE!, driver(0.03), DEFAULT_RUN_OPTIONS);
    expect(zeros).toMatchObject({ status: 'failed', errorName: 'WrongOutput' });
    expect(zeros.reason).toMatch(/wrong output: max abs error 3\.00e-2 against outputs up to 3\.00e-2 \(4 of 400 checked\)/);
    expect(zeros.wall?.median).toBe(3);
    expect((await runCase(CASE!, driver(1e-7, 1), DEFAULT_RUN_OPTIONS)).status).toBe('failed');
    expect((await runCase(CASE!, driver(1e-7), DEFAULT_RUN_OPTIONS)).status).toBe('ok');
  });
});

describe('reference checks', () => {
  it('sampled rows include the first and last and are seeded', () => {
    const rows = sampleRows(1000, 10, 5);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe(0);
    expect(rows.at(-1)).toBe(999);
    expect(sampleRows(1000, 10, 5)).toEqual(rows);
    expect(sampleRows(4, 10, 5)).toEqual([0, 1, 2, 3]);
  });

  it('row-sampled matmul equals the float64 reference on those rows', () => {
    const [c] = planCases({ suites: ['matmul'], sizes: ['13x7x5'], variants: ['naive'], peers: [] });
    const { a, b } = makeInputs(c!, 9);
    const full = matmulReference(a!, b!);
    const rows = [0, 6, 12];
    const mine = matmulRows(a!.data, b!.data, 7, 5, rows);
    rows.forEach((i, r) => {
      for (let j = 0; j < 5; j++) expect(mine[r * 5 + j]).toBeCloseTo(full.data[i * 5 + j]!, 12);
    });
  });

  it('row-sampled attention (softmax and linear, causal or not) and softmax equal the references on those rows', () => {
    for (const causal of [false, true]) {
      const att = planCases({ suites: ['attention'], sizes: ['9'], dims: [4], heads: [2], causal: [causal], peers: [] });
      const { q, k, v } = makeInputs(att[0]!, 3);
      const rows = [0, 4, 8, 9, 17];
      for (const [variant, rowsOf] of [
        ['naive', attentionRows],
        ['linear', linearAttentionRows],
      ] as const) {
        const full = attentionReference(q!, k!, v!, { variant, causal }).data;
        const mine = rowsOf(q!.data, k!.data, v!.data, 9, 4, causal, rows);
        rows.forEach((row, r) => {
          for (let t = 0; t < 4; t++) expect(mine[r * 4 + t], `${variant} causal=${causal} row ${row}`).toBeCloseTo(full[row * 4 + t]!, 10);
        });
      }
    }
    const [sm] = planCases({ suites: ['softmax'], sizes: ['6x11'], peers: [] });
    const { x } = makeInputs(sm!, 2);
    const full = softmaxReference(x!).data;
    const mine = softmaxRows(x!.data, 11, [1, 5]);
    for (let j = 0; j < 11; j++) expect(mine[11 + j]).toBeCloseTo(full[5 * 11 + j]!, 12);
  });

  it('softmax rows sum to 1; causal attention row 0 is v_0', () => {
    const x = new Float32Array([1, 2, 3, -1, 0, 1000]);
    const s = softmaxRows(x, 3, [0, 1]);
    expect(s[0]! + s[1]! + s[2]!).toBeCloseTo(1, 12);
    expect(s[5]).toBeCloseTo(1, 12);
    const q = new Float32Array([1, 0, 0, 1]);
    const k = new Float32Array([1, 0, 0, 1]);
    const v = new Float32Array([3, 4, 5, 6]);
    expect(Array.from(attentionRows(q, k, v, 2, 2, true, [0]))).toEqual([3, 4]);
  });

  it('inputs are the same for every implementation of a shape, and impossible cases fail before allocating', () => {
    const cases = planCases({ suites: ['matmul'], sizes: ['16'], variants: ['naive', 'tfjs'] });
    expect(makeInputs(cases[0]!, 1).a!.data).toEqual(makeInputs(cases[1]!, 1).a!.data);
    const [huge] = planCases({ suites: ['matmul'], sizes: ['1x1x300000000'], variants: ['naive'], peers: [] });
    expect(() => assertCaseFits(huge!, { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 })).toThrow(
      /b \[1, 300000000\] needs 1200000000 bytes/,
    );
  });
});

function record(c: BenchCase, median: number, peakBytes: number, extra: Partial<BenchRecord> = {}): BenchRecord {
  const work = caseWork(c);
  return {
    ...c,
    ...work,
    intensity: work.flops / work.bytes,
    status: 'ok',
    elapsedMs: 1,
    finishedAt: '2026-12-01T00:00:00Z',
    wall: { n: 5, median, min: median * 0.9, max: median * 1.2, ciLow: median * 0.95, ciHigh: median * 1.1 },
    gflops: gflops(work.flops, median),
    gbps: gbps(work.bytes, median),
    peakBytes,
    peakSource: 'gpu.memory',
    ...extra,
  };
}

describe('report, CSV and plots', () => {
  const cases = planCases({
    suites: ['matmul', 'attention', 'roofline'],
    sizes: ['64', '128'],
    dims: [16],
    heads: [1],
    causal: [false],
    quick: true,
  });
  const records: BenchRecord[] = cases.map((c, i) =>
    c.impl === 'naive' && c.suite === 'attention' && c.params.N === 128
      ? {
          ...c,
          ...caseWork(c),
          intensity: 1,
          status: 'failed',
          errorName: 'GpuOutOfMemoryError',
          reason: 'scores <b>too big</b> | 64 MiB',
          elapsedMs: 1,
          finishedAt: '',
        }
      : record(c, c.impl === 'tfjs' ? 20 : c.impl === 'naive' ? 40 : 10 + i * 0.01, 1000 * (i + 1)),
  );

  it('Markdown has a table per suite, ratios against naive and the peer, failures with reasons', () => {
    const md = markdownReport(records, null, 'npm run bench -- --quick');
    expect(md).toContain('npm run bench -- --quick');
    expect(md).toContain('### matmul');
    expect(md).toContain('### attention');
    expect(md).toContain('time ÷ naive (below 1 = faster)');
    expect(md).toContain('time ÷ tfjs (below 1 = faster)');
    expect(md).toContain('peak bytes ÷ tfjs (below 1 = less)');
    expect(md).toMatch(/\*\*failed\*\*: GpuOutOfMemoryError: scores <b>too big<\/b> \\\| 64 MiB/);
    expect(md).toContain('## Roofline of this device');
    const naive64 = md.split('\n').find((l) => l.startsWith('| M64 K64 N64 | naive'))!;
    expect(naive64.split('|').map((s) => s.trim())).toContain('2.00'); // naive 40 ms vs tfjs 20 ms
    expect(keyFigures(records).join('\n')).toMatch(/attention B1 H1 N128 d16: .*naive failed/);
  });

  it('CSV has a header and one quoted-safe row per record', () => {
    const csv = toCsv(records).trim().split('\n');
    expect(csv[0]!.startsWith('id,suite,impl')).toBe(true);
    expect(csv).toHaveLength(records.length + 1);
    expect(csv.some((l) => l.includes(',failed,scores <b>too big</b> | 64 MiB,'))).toBe(true);
    expect(toCsv([{ ...records[0]!, status: 'failed', reason: 'a, "b"' }])).toContain('"a, ""b"""');
  });

  it('SVG plots: three standalone documents, labels escaped, failures marked', () => {
    const svgs = allPlots(records);
    expect(Object.keys(svgs)).toEqual(['time-vs-n.svg', 'memory-vs-n.svg', 'roofline.svg']);
    for (const svg of Object.values(svgs)) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).not.toMatch(/NaN|undefined/);
      expect(svg).not.toContain('<b>');
    }
    expect(svgs['time-vs-n.svg']).toContain('✕');
    expect(svgs['time-vs-n.svg']).toContain('scores &lt;b&gt;too big&lt;/b&gt;');
    expect(svgs['roofline.svg']).toContain('FMA peak');
    expect(xml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  it('an empty record list still renders', () => {
    expect(markdownReport([], null)).toContain('0 cases ok');
    for (const svg of Object.values(allPlots([]))) expect(svg).toContain('</svg>');
  });
});

describe('CLI options and progress', () => {
  it('parses the documented options', () => {
    const o = parseCliArgs([
      '--suite',
      'matmul,attention',
      '--sizes',
      '128,256',
      '--quick',
      '--out',
      'x',
      '--adapter',
      'swiftshader',
      '--causal',
      'both',
      '--dims',
      '64',
      '--peer',
      'none',
    ]);
    expect(o).toMatchObject({
      suites: ['matmul', 'attention'],
      sizes: ['128', '256'],
      quick: true,
      out: 'x',
      adapter: 'swiftshader',
      causal: [false, true],
      dims: [64],
      peers: [],
    });
    expect(parseCliArgs(['--repeats', '7']).repeats).toBe(7);
    expect(parseCliArgs([])).toMatchObject({
      suites: [],
      quick: false,
      out: 'bench-results',
      adapter: 'default',
      peers: ['tfjs', 'ort', 'jaxjs'],
      seed: 1234,
    });
  });

  it('rejects bad options with a message', () => {
    expect(() => parseCliArgs(['--suite', 'fft'])).toThrow(/unknown suite 'fft'/);
    expect(() => parseCliArgs(['--adapter', 'metal'])).toThrow(/--adapter/);
    expect(() => parseCliArgs(['--bogus'])).toThrow();
    expect(() => parseCliArgs(['--dims', '0'])).toThrow(/positive integer/);
  });

  it('ETA and durations', () => {
    expect(etaSeconds(2, 10, 20)).toBe(80);
    expect(etaSeconds(0, 10, 5)).toBeNaN();
    expect(fmtDuration(65)).toBe('1:05');
    expect(fmtDuration(NaN)).toBe('?');
  });
});
