/**
 * Timing runs for issue 13, not tests of speed (`npm run measure -- attention-variants`):
 * the in-page bench runner on
 * - the decode suite (Nq = 1, Nk 1024 … 32768: naive, plain flash, split-K), with the
 *   split-K ÷ plain flash ratio per Nk, and the decode plot written to
 *   tests/.artifacts/attention-variants/decode-vs-nk.svg;
 * - GQA 8/1 against multi-head attention with K and V repeated (time and peak bytes);
 * - a sliding window W = 256 against full causal attention at N = 4096 (time);
 * and each split-K configuration of the tuner at Nk 4096 and 32768.
 * `KS_DECODE_NK=1024,4096` narrows the decode sizes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import type { BenchCase, BenchRecord } from '../../src/bench/types';
import { decodePlot } from '../../src/bench/decode-plot';

const harness = useHarness();
type Bench = typeof import('../../src/bench/index');

/** Runs `plan` through one BenchSession in the page; records without their configs' candidate lists. */
async function runPlan(plan: BenchCase[]): Promise<BenchRecord[]> {
  const page = harness().page;
  await page.evaluate(async () => {
    (window as unknown as { ksBenchModule: unknown }).ksBenchModule = await window.ksImport('/src/bench/index.ts');
  });
  return page.evaluate(async (plan) => {
    const b = (window as unknown as { ksBenchModule: Bench }).ksBenchModule;
    const s = new b.BenchSession(window.gpu, { policy: { warmup: 1, warmupMs: 0, minRepeats: 3, minTimeMs: 0, maxRepeats: 3 } });
    const records = [];
    for (const c of plan) records.push(await s.runCase(c));
    return records;
  }, plan);
}

async function planned(opts: Record<string, unknown>): Promise<BenchCase[]> {
  const { planCases } = await import('../../src/bench/cases');
  return planCases({ peers: [], ...opts });
}

const ms = (r: BenchRecord | undefined) => (r?.status === 'ok' ? r.wall!.median : NaN);
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'failed');

it('decode: split-K against plain flash and naive, Nq = 1, Nk 1024 … 32768', async () => {
  const sizes = process.env.KS_DECODE_NK?.split(',') ?? ['1024', '2048', '4096', '8192', '16384', '32768'];
  const records = await runPlan(await planned({ suites: ['decode'], sizes }));
  mkdirSync('tests/.artifacts/attention-variants', { recursive: true });
  writeFileSync('tests/.artifacts/attention-variants/decode-vs-nk.svg', decodePlot(records));
  writeFileSync('tests/.artifacts/attention-variants/decode.jsonl', records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const lines = [...new Set(records.map((r) => r.n))].map((n) => {
    const at = (impl: string) => records.find((r) => r.n === n && r.impl === impl);
    const [s, f, nv] = [ms(at('splitk')), ms(at('flash')), ms(at('naive'))];
    return `Nk ${n}: split-K ${fmt(s)} ms, plain flash ${fmt(f)} ms, naive ${fmt(nv)} ms; plain ÷ split-K ${fmt(f / s)}× (split-K ${at('splitk')?.config?.label ?? '?'}; error ${at('splitk')?.error?.maxAbsErr.toExponential(1) ?? '?'})`;
  });
  console.log(`decode, B1 H8/8 d64 Nq1 (median of 3):\n${lines.join('\n')}`);
  expect(records.length).toBeGreaterThan(0);
}, 1_800_000);

it('GQA 8/1 against MHA with K, V repeated; window 256 against full causal at N = 4096', async () => {
  const plan = (await planned({ suites: ['attention'], variants: ['flash'] })).filter(
    (c) => c.shape.startsWith('B1 H8/1 N1024') || c.shape === 'B1 H8/8 N1024 d64' || c.shape.startsWith('B1 H1/1 N4096'),
  );
  const records = await runPlan(plan);
  const get = (shape: string) => records.find((r) => r.shape === shape);
  const gqa = get('B1 H8/1 N1024 d64 GQA 8/1');
  const mha = get('B1 H8/8 N1024 d64');
  const win = get('B1 H1/1 N4096 d64 causal window 256');
  const full = get('B1 H1/1 N4096 d64 causal');
  console.log(
    [
      `GQA 8/1 (N 1024, d 64, flash ${gqa?.config?.label}): ${fmt(ms(gqa))} ms, peak ${gqa?.peakBytes} B`,
      `MHA 8/8, K/V repeated: ${fmt(ms(mha))} ms, peak ${mha?.peakBytes} B; time GQA ÷ MHA ${fmt(ms(gqa) / ms(mha))}, peak GQA ÷ MHA ${fmt((gqa?.peakBytes ?? NaN) / (mha?.peakBytes ?? NaN))}`,
      `window 256 causal (N 4096, flash ${win?.config?.label}): ${fmt(ms(win))} ms; full causal ${fmt(ms(full))} ms; full ÷ window ${fmt(ms(full) / ms(win))}×`,
    ].join('\n'),
  );
  expect(records.length).toBe(4);
}, 1_800_000);

it('each split-K configuration at Nq = 1, Nk 4096 and 32768 (H 8, d 64)', async () => {
  const r = await harness().page.evaluate(async () => {
    const m = await window.ksImport('/src/kernels/attention.ts');
    const { FLASH_CONFIGS } = await window.ksImport('/src/kernels/attention/flash-config.ts');
    const { Tensor, mulberry32, normalArray } = window.ks;
    const gpu = window.gpu;
    const out: string[] = [];
    for (const Nk of [4096, 32768]) {
      const rng = mulberry32(Nk);
      const q = Tensor.fromData(gpu, normalArray(rng, 8 * 64), [1, 8, 1, 64]);
      const k = Tensor.fromData(gpu, normalArray(rng, 8 * Nk * 64), [1, 8, Nk, 64]);
      const v = Tensor.fromData(gpu, normalArray(rng, 8 * Nk * 64), [1, 8, Nk, 64]);
      for (const config of FLASH_CONFIGS) {
        const times: number[] = [];
        for (let i = 0; i < 4; i++) {
          const t0 = performance.now();
          const o = await m.attention(gpu, q, k, v, { config });
          await gpu.done('measure');
          times.push(performance.now() - t0);
          o.destroy();
        }
        times.shift();
        times.sort((a, b) => a - b);
        out.push(`Nk ${Nk} ${JSON.stringify(config)}: ${times[1]!.toFixed(2)} ms`);
      }
      for (const t of [q, k, v]) t.destroy();
    }
    return out;
  });
  console.log(`flash configurations at decode shapes (median of 3):\n${r.join('\n')}`);
  expect(r.length).toBeGreaterThan(0);
}, 1_800_000);
