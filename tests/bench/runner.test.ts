/**
 * The runner in the page, on the harness's GPU: a failing case is recorded with its
 * reason and the next case still runs; an ok case has stats, peak bytes from the
 * buffer accounting and its error against the CPU reference; the TF.js peer runs
 * the same shape. The harness also checks that no GPU buffer leaks. No timing is
 * asserted.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import type { BenchRecord } from '../../src/bench/types';

const harness = useHarness();

/** Imports src/bench in the harness page (each test server has its own dependency cache). */
async function loadBench(): Promise<void> {
  await harness().page.evaluate(async () => {
    (window as unknown as { ksBenchModule: unknown }).ksBenchModule = await window.ksImport('/src/bench/index.ts');
  });
}

describe('bench runner in the page', () => {
  it('records a failing case and goes on to the next', async () => {
    await loadBench();
    const records: BenchRecord[] = await harness().page.evaluate(async () => {
      const b = (window as unknown as { ksBenchModule: typeof import('../../src/bench/index') }).ksBenchModule;
      const s = new b.BenchSession(window.gpu, { policy: { warmup: 1, warmupMs: 0, minRepeats: 2, minTimeMs: 0, maxRepeats: 2 } });
      const copy = b.planCases({ suites: ['roofline'], quick: true }).find((c) => c.impl === 'copy')!;
      const small = { ...copy, id: 'roofline/copy/copy 4096', shape: 'copy 4096', n: 4096, params: { probe: 'copy', elements: 4096 } };
      const bad = { ...small, id: 'roofline/copy/copy 6', shape: 'copy 6', n: 6, params: { probe: 'copy', elements: 6 } };
      const huge = { ...small, id: 'roofline/copy/huge', shape: 'copy huge', params: { probe: 'copy', elements: 2 ** 31 } };
      const out = [];
      for (const c of [bad, huge, small]) out.push(await s.runCase(c));
      return out;
    });
    expect(records.map((r) => r.status)).toEqual(['failed', 'failed', 'ok']);
    expect(records[0]!.reason).toMatch(/multiple of 4/);
    expect(records[1]!.reason).toMatch(/buffer limit/);
    const ok = records[2]!;
    expect(ok.wall!.n).toBe(2);
    expect(ok.peakBytes).toBeGreaterThanOrEqual(2 * 4096 * 4);
    expect(ok.peakSource).toBe('gpu.memory');
    expect(ok.error).toMatchObject({ maxAbsErr: 0, checked: 'sample' });
    expect(['timestamp-query', 'submit-to-done']).toContain(ok.timer!.gpu);
  });

  it('matmul against the CPU reference, and the TF.js peer on the same shape', async () => {
    await loadBench();
    const records: BenchRecord[] = await harness().page.evaluate(async () => {
      const b = (window as unknown as { ksBenchModule: typeof import('../../src/bench/index') }).ksBenchModule;
      const s = new b.BenchSession(window.gpu, { policy: { warmup: 1, warmupMs: 0, minRepeats: 2, minTimeMs: 0, maxRepeats: 2 } });
      const out = [];
      for (const c of b.planCases({ suites: ['matmul'], sizes: ['33'], variants: ['naive', 'tfjs'] })) out.push(await s.runCase(c));
      return out;
    });
    expect(records.map((r) => [r.impl, r.provider])).toEqual([
      ['naive', 'kernelscope'],
      ['tfjs', 'tfjs'],
    ]);
    for (const r of records) {
      expect(r.status, r.reason).toBe('ok');
      expect(r.error).toMatchObject({ checked: 'all', count: 33 * 33, nonFinite: 0 });
      expect(r.error!.maxAbsErr).toBeLessThan(1e-4);
      expect(r.peakBytes).toBeGreaterThanOrEqual(3 * 33 * 33 * 4);
    }
    expect(records[1]!.peakSource).toBe('tf.profile');
  });
});
