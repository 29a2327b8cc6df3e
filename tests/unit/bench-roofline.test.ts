/**
 * The roofline in every report, in Node: each case's share of the FMA rate or of the
 * copy bandwidth (memory-bound below the ridge), the "not measured" cases, the column
 * in report.md, results.csv and the page's table; the probes' configuration search
 * (a wrong or failing configuration never wins) and the FMA probe's closed form; the
 * spread labels (min–max below 10 repeats). No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { planCases } from '../../src/bench/cases';
import { caseWork } from '../../src/bench/work';
import { gbps, gflops } from '../../src/bench/flops';
import { ceilings, fmtRoofShare, missingCeiling, roofShare, roofShares, ROOF_COLUMN } from '../../src/bench/roof';
import { fmtSpread, markdownReport, SPREAD_COLUMN, toCsv } from '../../src/bench/report';
import { pageTable } from '../../src/bench/page-table';
import { searchProbe } from '../../src/bench/probe-search';
import { fmaExpected, fmaOutputError, fmaTrips } from '../../src/bench/probe-math';
import { runCase } from '../../src/bench/runner';
import { DEFAULT_RUN_OPTIONS, type BenchCase, type BenchRecord } from '../../src/bench/types';

function record(c: BenchCase, median: number, extra: Partial<BenchRecord> = {}): BenchRecord {
  const work = caseWork(c);
  return {
    ...c,
    ...work,
    intensity: work.bytes > 0 ? work.flops / work.bytes : Infinity,
    status: 'ok',
    elapsedMs: 1,
    finishedAt: '2026-12-01T00:00:00Z',
    wall: { n: 5, median, min: median * 0.9, max: median * 1.2, ciLow: median * 0.95, ciHigh: median * 1.1 },
    gflops: gflops(work.flops, median),
    gbps: gbps(work.bytes, median),
    peakBytes: 1024,
    peakSource: 'gpu.memory',
    ...extra,
  };
}

const [FMA, COPY] = planCases({ suites: ['roofline'], quick: true });
const [MM] = planCases({ suites: ['matmul'], sizes: ['512'], variants: ['register'], peers: [] });
const [SM] = planCases({ suites: ['softmax'], sizes: ['256'], peers: [] });

/** Probe records with exactly these ceilings. */
function probes(peakGflops: number, copyGbps: number): BenchRecord[] {
  const fma = record(FMA!, 1);
  const copy = record(COPY!, 1);
  return [
    { ...fma, gflops: peakGflops, config: { label: 'WG 256 · 16 chains (fastest of 6)', values: { WG: 256, CHAINS: 16 }, tuned: true } },
    { ...copy, gbps: copyGbps },
  ];
}

describe('% of roof', () => {
  it('compute-bound cases are a share of the FMA rate, memory-bound ones of the copy bandwidth', () => {
    // Ridge: 10 GFLOP/s ÷ 2 GB/s = 5 FLOP/byte. matmul 512³ has intensity 512/6 ≈ 85; softmax 5/8.
    const ceil = { gflops: 10, gbps: 2 };
    const mm = { ...record(MM!, 1), gflops: 3 };
    const sm = { ...record(SM!, 1), gbps: 1 };
    expect(mm.intensity).toBeGreaterThan(5);
    expect(sm.intensity).toBeLessThan(5);
    expect(roofShare(mm, ceil)).toEqual({ roof: 'FMA', percent: 30 });
    expect(roofShare(sm, ceil)).toEqual({ roof: 'copy', percent: 50 });
    expect(fmtRoofShare(roofShare(mm, ceil))).toBe('30 % FMA');
    expect(fmtRoofShare({ roof: 'copy', percent: 4.71 })).toBe('4.7 % copy');
    // A case with no FLOPs is memory-bound, whatever its intensity field says.
    expect(roofShare({ ...sm, flops: 0, intensity: Infinity }, ceil).roof).toBe('copy');
    // The probes are placed against their own ceiling.
    const [fma, copy] = probes(10, 2);
    expect(roofShare(fma!, ceil)).toEqual({ roof: 'FMA', percent: 100 });
    expect(roofShare(copy!, ceil)).toEqual({ roof: 'copy', percent: 100 });
    expect(fmtRoofShare(roofShare({ ...mm, status: 'failed' }, ceil))).toBe('');
  });

  it('the ceilings are the best probe records of the run', () => {
    const rs = [...probes(10, 2), { ...probes(12, 1)[0]! }, { ...probes(1, 3)[1]!, status: 'failed' as const }];
    expect(ceilings(rs)).toEqual({ gflops: 12, gbps: 2 });
  });

  it('without the roofline suite, or with a probe failed, there is no figure and the reason says why', () => {
    const mm = record(MM!, 1);
    expect(missingCeiling([mm], ceilings([mm]))).toBe('roofline suite not run');
    expect(fmtRoofShare(roofShares([mm]).get(mm)!)).toBe('n/a: roofline suite not run');
    const [fma, copy] = probes(10, 2);
    const failedCopy = { ...copy!, status: 'failed' as const };
    const rs = [fma!, failedCopy, mm];
    expect(fmtRoofShare(roofShares(rs).get(mm)!)).toBe('n/a: no copy ceiling (the probe failed or did not run)');

    const md = markdownReport([mm], null);
    expect(md).toContain('n/a: roofline suite not run');
    expect(md).toMatch(/roofline suite not run: the "% of roof \(FMA\|copy\)" column is empty \(add roofline to --suite/);
    const csv = toCsv([mm]).trim().split('\n');
    const col = (name: string) => csv[0]!.split(',').indexOf(name);
    expect(csv[1]!.split(',')[col('roof')]).toBe('');
    expect(csv[1]!.split(',')[col('roof_pct')]).toBe('');
  });

  it('report.md, results.csv and the page name the column and fill it from the same run', () => {
    const mm = { ...record(MM!, 1), gflops: 3 };
    const rs = [...probes(10, 2), mm];
    const md = markdownReport(rs, null);
    // The header's "|" is escaped so the Markdown table keeps its columns.
    const header = md.split('\n').find((l) => l.startsWith('| shape | impl |'))!;
    expect(header).toContain('% of roof (FMA\\|copy)');
    const row = md.split('\n').find((l) => l.startsWith('| M512 K512 N512 | register'))!;
    expect(row).toContain('| 30 % FMA |');
    expect(md).toContain('- sustained FMA: 10.0 GFLOP/s, with WG 256 · 16 chains (fastest of 6)');
    expect(md).toContain('- ridge point: 5.00 FLOP/byte');
    const csv = toCsv(rs).trim().split('\n');
    const head = csv[0]!.split(',');
    const mmRow = csv[3]!.split(',');
    expect(mmRow[head.indexOf('roof')]).toBe('FMA');
    expect(Number(mmRow[head.indexOf('roof_pct')])).toBe(30);
    const page = pageTable(rs, ['tfjs']);
    expect(page.head).toContain(ROOF_COLUMN);
    expect(page.head).toContain('time ÷ tfjs (below 1 = faster)');
    expect(page.rows[2]!.cells[page.head.indexOf(ROOF_COLUMN)]).toBe('30 % FMA');
  });
});

describe('spread labels', () => {
  it('min–max below 10 repeats, the 95% CI of the median from 10; the CSV leaves the CI empty below 10', () => {
    const few = { n: 5, median: 2, min: 1, max: 4, ciLow: 1, ciHigh: 4 };
    const many = { n: 12, median: 2, min: 1, max: 4, ciLow: 1.5, ciHigh: 2.5 };
    expect(fmtSpread(few)).toBe('1.00–4.00 min–max');
    expect(fmtSpread(many)).toBe('1.50–2.50 95% CI');
    expect(SPREAD_COLUMN).toBe('spread ms: 95% CI of the median (n ≥ 10) or min–max');
    const csv = toCsv([record(MM!, 2, { wall: few }), record(MM!, 2, { wall: many })])
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const ci = csv[0]!.indexOf('ci_low_ms');
    expect(csv[1]![ci]).toBe('');
    expect(csv[2]![ci]).toBe('1.5');
  });
});

describe('probe configuration search', () => {
  it('the fastest correct candidate wins; a wrong or failing one never does, and every one is reported', async () => {
    const times: Record<string, number> = { a: 5, b: 1, c: 3, d: 0.5 };
    const r = await searchProbe<{ id: string }>({
      candidates: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
      label: (c) => `cfg ${c.id}`,
      check: async (c) => (c.id === 'b' ? 'wrong output: element 3' : null),
      time: async (c) => {
        if (c.id === 'd') throw new RangeError('workgroup too large');
        return times[c.id]!;
      },
    });
    expect(r.best).toEqual({ id: 'c' });
    expect(r.config.label).toBe('cfg c (fastest of 4)');
    expect(r.config.values).toEqual({ id: 'c' });
    expect(r.config.candidates).toEqual([
      { label: 'cfg a', medianMs: 5 },
      { label: 'cfg b', medianMs: null, reason: 'wrong output: element 3' },
      { label: 'cfg c', medianMs: 3 },
      { label: 'cfg d', medianMs: null, reason: 'RangeError: workgroup too large' },
    ]);
  });

  it('ties go to the earlier candidate, and no correct candidate is an error naming each reason', async () => {
    const tie = await searchProbe<{ id: number }>({
      candidates: [{ id: 1 }, { id: 2 }],
      label: (c) => String(c.id),
      check: async () => null,
      time: async () => 2,
    });
    expect(tie.best.id).toBe(1);
    await expect(
      searchProbe<{ id: number }>({ candidates: [{ id: 1 }], label: () => 'x', check: async () => 'wrong', time: async () => 1 }),
    ).rejects.toThrow(/no probe configuration ran correctly: x: wrong/);
  });

  it('runCase records the winning configuration, in the params too', async () => {
    const config = { label: 'WG 64 · 4 vec4/invocation (fastest of 6)', values: { WG: 64, VPT: 4 }, tuned: true, candidates: [] };
    const r = await runCase(
      COPY!,
      {
        work: caseWork(COPY!),
        prepare: async () => ({
          run: async () => ({ wallMs: 2, gpuMs: null, gpuTimer: null }),
          peak: async () => ({ bytes: 0, source: 'test' }),
          read: async () => new Float32Array(),
          dispose: () => {},
          config,
        }),
      },
      { ...DEFAULT_RUN_OPTIONS, policy: { warmup: 0, warmupMs: 0, minRepeats: 1, minTimeMs: 0, maxRepeats: 1 } },
    );
    expect(r.config).toEqual(config);
    expect(r.params.config).toBe(config.label);
    expect(COPY!.params.config).toBeUndefined();
  });
});

describe('FMA probe output', () => {
  /** The shader's recurrence in f32, as the GPU runs it (multiply and add rounded separately). */
  function simulate(i: number, lane: number, chains: number, trips: number): number {
    const m = Math.fround(0.9999);
    const c = Math.fround(0.0001);
    const s = Math.fround((i & 1023) * Math.fround(1e-4));
    const a0 = Math.fround(s + Math.fround(lane / 10));
    const xs = Array.from({ length: chains }, (_, k) => (k === 0 ? a0 : Math.fround(a0 + Math.fround(k / 100))));
    for (let t = 0; t < trips; t++) for (let k = 0; k < chains; k++) xs[k] = Math.fround(Math.fround(xs[k]! * m) + c);
    return xs.reduce((a, b) => Math.fround(a + b), 0);
  }

  it('the closed form matches the f32 recurrence within the tolerance, and a missing half of the trips is caught', () => {
    for (const chains of [4, 8, 16]) {
      const trips = fmaTrips('test', 2048, chains);
      expect(trips * chains).toBe(2048 * 8);
      // Three invocations, four lanes each (invocation i's chains start at (i mod 1024)·10⁻⁴).
      const first = new Float32Array(12);
      for (let j = 0; j < first.length; j++) first[j] = simulate(Math.floor(j / 4), j % 4, chains, trips);
      expect(Math.abs(first[5]! - fmaExpected(1, 1, chains, trips))).toBeLessThan(1e-3 * chains);
      const ok = fmaOutputError(first, chains, trips);
      expect(ok.maxAbsErr).toBeLessThanOrEqual(ok.tolerance);
      const half = fmaOutputError(first, chains, trips * 2);
      expect(half.maxAbsErr).toBeGreaterThan(half.tolerance);
    }
    expect(() => fmaTrips('fmaProbe', 3, 16)).toThrow(/multiple of 2/);
  });
});
