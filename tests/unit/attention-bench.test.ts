/**
 * The bench's attention variants, in Node: the decode suite's plan, the attention
 * variant shapes, shapes and visited-key FLOPs of GQA and windowed cases, the sampled
 * reference rows against the full float64 reference, and the decode plot's SVG.
 */
import { describe, expect, it } from 'vitest';
import { planCases } from '../../src/bench/cases';
import { caseWork } from '../../src/bench/work';
import { caseShapes, makeInputs } from '../../src/bench/inputs';
import { attentionCaseParams, attentionRunOptions, attentionVariantRows } from '../../src/bench/attention-case';
import { decodePlot } from '../../src/bench/decode-plot';
import { allPlots } from '../../src/bench/plots';
import type { BenchCase, BenchRecord } from '../../src/bench/types';
import { attentionReference } from '../../src/reference/attention';
import { maxAbsError } from '../../src/reference/compare';

describe('the decode suite', () => {
  it('plans naive, plain flash and split-K per Nk (Nq 1), only when asked for', () => {
    const cases = planCases({ suites: ['decode'], quick: true, peers: ['tfjs'] });
    expect(cases.map((c) => `${c.impl} ${c.n}`)).toEqual([
      'naive 1024',
      'flash 1024',
      'splitk 1024',
      'naive 4096',
      'flash 4096',
      'splitk 4096',
    ]);
    expect(cases.every((c) => c.provider === 'kernelscope' && c.params.Nq === 1)).toBe(true);
    const full = planCases({ suites: ['decode'], peers: [] });
    expect(Math.max(...full.map((c) => c.n))).toBe(32768);
    expect(planCases({ suites: ['decode'], sizes: ['2048'], peers: [] }).map((c) => c.params.Nk)).toEqual([2048, 2048, 2048]);
    expect(planCases({ quick: true, peers: [] }).some((c) => c.suite === 'decode')).toBe(false);
  });
  it('runs plain flash with split-K off and split-K with it on', () => {
    const [naive, flash, splitk] = planCases({ suites: ['decode'], sizes: ['512'], peers: [] });
    expect(attentionRunOptions(naive!)).toMatchObject({ variant: 'naive' });
    expect(attentionRunOptions(flash!)).toMatchObject({ variant: 'flash', splitK: false });
    expect(attentionRunOptions(splitk!)).toMatchObject({ variant: 'flash', splitK: true });
    // 2·B·H·Nq·Nk·(d + dv) FLOPs; K and V read once per K/V head.
    expect(caseWork(flash!).flops).toBe(2 * 8 * 512 * 128);
  });
});

describe('attention variant cases', () => {
  const cases = planCases({ suites: ['attention'], peers: ['tfjs', 'ort'] });
  const byShape = (s: string) => cases.filter((c) => c.shape === s);
  it('adds GQA 8/1 and MHA 8/8, a window next to full causal, and ALiBi with softcap; peers only where plain', () => {
    expect(byShape('B1 H8/1 N1024 d64 GQA 8/1').map((c) => c.impl)).toEqual(['naive', 'flash', 'linear']);
    expect(byShape('B1 H8/8 N1024 d64').map((c) => c.impl)).toEqual(['naive', 'flash', 'linear', 'tfjs', 'ort']);
    expect(byShape('B1 H1/1 N4096 d64 causal window 256').map((c) => c.impl)).toEqual(['naive', 'flash']);
    expect(byShape('B1 H1/1 N4096 d64 causal').length).toBeGreaterThan(0);
    expect(byShape('B1 H8/8 N1024 d64 causal ALiBi softcap 30').map((c) => c.impl)).toEqual(['naive', 'flash']);
  });
  it('shapes K/V by Hkv and counts FLOPs over the visited keys only', () => {
    const gqa = byShape('B1 H8/1 N1024 d64 GQA 8/1')[1]!;
    expect(caseShapes(gqa).inputs).toEqual({ q: [1, 8, 1024, 64], k: [1, 1, 1024, 64], v: [1, 1, 1024, 64] });
    const win = byShape('B1 H1/1 N4096 d64 causal window 256')[1]!;
    const full = byShape('B1 H1/1 N4096 d64 causal')[1]!;
    // Each query sees min(i + 1, 257) keys.
    const visited = 257 * 4096 - (256 * 257) / 2;
    expect(caseWork(win).flops).toBe(2 * visited * 128);
    expect(caseWork(full).flops).toBe((4 * 4096 * 4096 * 64) / 2);
  });
  it('the sampled reference rows equal the full float64 reference (GQA, window, ALiBi, softcap)', () => {
    const c: BenchCase = {
      id: 't',
      suite: 'attention',
      impl: 'flash',
      provider: 'kernelscope',
      shape: 's',
      series: 's',
      n: 40,
      params: { B: 2, H: 4, Hkv: 2, Nq: 17, Nk: 40, d: 8, dv: 5, causal: true, window: 6, softcap: 2, alibi: true },
    };
    const { q, k, v } = makeInputs(c, 3);
    const p = attentionCaseParams(c);
    const rows = [0, 5, 16, 40, 77, 135];
    const want = attentionReference(q!, k!, v!, { causal: true, window: 6, softcap: 2, alibi: true }).data;
    const got = attentionVariantRows(q!.data, k!.data, v!.data, p, rows);
    const picked = rows.flatMap((r) => Array.from(want.slice(r * 5, r * 5 + 5)));
    expect(maxAbsError(got, picked).maxAbsErr).toBeLessThan(1e-12);
  });
});

describe('the decode plot', () => {
  const rec = (impl: string, n: number, ms: number, status: 'ok' | 'failed' = 'ok'): BenchRecord =>
    ({
      id: `decode/${impl}/${n}`,
      suite: 'decode',
      impl,
      provider: 'kernelscope',
      shape: `Nk${n}`,
      series: `${impl} d64 H8/8`,
      n,
      params: {},
      status,
      reason: status === 'failed' ? 'out of <memory>' : undefined,
      wall: status === 'ok' ? { median: ms } : undefined,
      elapsedMs: 1,
      flops: 1,
      bytes: 1,
      intensity: 1,
      finishedAt: '',
    }) as unknown as BenchRecord;
  it('draws one line per implementation, the split-K speed-up per Nk, and escapes the failure reasons', () => {
    const records = [
      rec('naive', 1024, 9),
      rec('flash', 1024, 8),
      rec('splitk', 1024, 2),
      rec('naive', 4096, 30, 'failed'),
      rec('flash', 4096, 30),
      rec('splitk', 4096, 5),
    ];
    const svg = decodePlot(records);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain('4.0×');
    expect(svg).toContain('6.0×');
    expect(svg).toContain('out of &lt;memory&gt;');
    expect(svg).not.toContain('<memory>');
    expect(Object.keys(allPlots(records))).toContain('decode-vs-nk.svg');
    expect(Object.keys(allPlots([]))).not.toContain('decode-vs-nk.svg');
    expect(decodePlot([])).toContain('no decode cases');
  });
});
