/**
 * The teaching pages say what the code does (issue 16). Two halves:
 *
 * - In Node: every number a page quotes is recomputed from the project's own
 *   functions (f32 exp thresholds, schedule counts, DDIM η = 1, Tweedie, the
 *   optimizers' rates against the implemented update rules, AMSGrad's step, the
 *   bootstrap interval for few repeats, flash FLOPs and tiles, intensities).
 * - In the browser: each page's live figures agree with its text (the softmax NaN
 *   pattern, the measured causal ratio, the diffusion counts, the roofline verdicts,
 *   …), and every "Check yourself" block renders with its answer hidden until opened,
 *   with no console error.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { openPage } from '../support/browser';
import { makeSchedule } from '../../src/problem/ddpm-schedule';
import { flashTile } from '../../src/problem/attention';
import { resolveOptimizer, type OptimizerKind } from '../../src/problem/optim';
import { initialState, optimizerStep, raceReference } from '../../src/reference/optim';
import { bootstrapMedianCI } from '../../src/bench/stats';
import { DATASETS } from '../../src/data/index';
import { mulberry32 } from '../../src/reference/random';
import { ddimEtaOneCheck, scheduleFacts, tweedieCheck } from '../../demos/diffusion-checks';
import {
  gdOptimum,
  heavyBallOptimum,
  rate,
  stabilityLimit,
  stepsToShrink,
  uncorrectedAdamRatio,
  directionRate,
} from '../../demos/optim-rates';
import { attentionCounts, formatBinaryBytes, rowsTraffic, visitedTiles } from '../../demos/attention-io';
import { defaultFlashConfig } from '../../src/kernels/attention/flash-config';
import { visibleKeys } from '../../demos/causal-drill';
import { compulsoryIntensity, issuedIntensity } from '../../demos/roofline-math';

const demos = join(import.meta.dirname, '../../demos');
const html = (name: string) => readFileSync(join(demos, `${name}.html`), 'utf8');
/** `x` rounded to the number of decimals `written` shows. */
const asWritten = (x: number, written: string) => x.toFixed((written.split('.')[1] ?? '').length);

describe('numbers the pages quote', () => {
  it('softmax: the f32 exp thresholds (overflow 88.72, smallest normal −87.34, zero below −103.97)', () => {
    const f = (x: number) => Math.fround(Math.exp(x));
    expect(f(88.72)).toBeLessThan(Infinity);
    expect(f(88.73)).toBe(Infinity);
    expect(Math.exp(-87.33)).toBeGreaterThanOrEqual(2 ** -126);
    expect(Math.exp(-87.35)).toBeLessThan(2 ** -126);
    expect(f(-103.96)).toBeGreaterThan(0);
    expect(f(-103.98)).toBe(0);
    expect(Math.log(2 ** -126).toFixed(2)).toBe('-87.34');
    expect(Math.log(2 ** -150).toFixed(2)).toBe('-103.97');
    const page = html('softmax');
    for (const n of ['88.72', '-87.34', '-103.97']) expect(page).toContain(n);
    // One number per meaning: the old −103 / −104 variants are gone.
    expect(page).not.toMatch(/-10[34](?![.\d])|−10[34](?![.\d])/);
    // e^{−95} is a subnormal f32 (the "subnormal" preset).
    expect(Math.exp(-95)).toBeLessThan(2 ** -126);
    expect(Math.fround(Math.exp(-95))).toBeGreaterThan(0);
  });

  it('diffusion: the schedule counts and log-SNR drops in the text', () => {
    const facts = { linear: scheduleFacts(makeSchedule('linear')), cosine: scheduleFacts(makeSchedule('cosine')) };
    const quoted = [...html('diffusion').matchAll(/data-fact="(linear|cosine)\.(\w+)">([\d.]+)</g)];
    expect(quoted.length).toBe(7);
    for (const [, kind, key, text] of quoted) {
      const value = facts[kind as 'linear' | 'cosine'][key as keyof (typeof facts)['linear']];
      expect(asWritten(value, text!), `${kind}.${key}`).toBe(text);
    }
    // "Cosine spends its steps evenly in log-SNR" would be false: its drops differ by three orders of magnitude.
    expect(facts.cosine.lastDrop / facts.cosine.midDrop).toBeGreaterThan(100);
    // The forward-process bullet at t = 600.
    const lin = makeSchedule('linear').alphaBar[600]!;
    const cos = makeSchedule('cosine').alphaBar[600]!;
    expect([lin.toFixed(3), Math.sqrt(lin).toFixed(2), Math.sqrt(1 - lin).toFixed(2), cos.toFixed(2)]).toEqual([
      '0.026',
      '0.16',
      '0.99',
      '0.34',
    ]);
  });

  it('diffusion: DDIM with η = 1 is the DDPM posterior step (β̃ and mean), full and respaced', () => {
    for (const kind of ['linear', 'cosine'] as const)
      for (const steps of [1000, 50, 10]) expect(ddimEtaOneCheck(makeSchedule(kind), steps).maxRel, `${kind} ${steps}`).toBeLessThan(1e-8);
  });

  it("diffusion: Tweedie's formula holds for the exact denoiser", () => {
    const train = DATASETS['two-moons'].make(512, 1);
    const s = makeSchedule('cosine');
    for (const t of [50, 200, 500, 800]) {
      const ab = s.alphaBar[t]!;
      const x = [Math.sqrt(ab) * train[20]! + 0.4 * Math.sqrt(1 - ab), Math.sqrt(ab) * train[21]! - 0.9 * Math.sqrt(1 - ab)];
      expect(tweedieCheck(train, 2, x, ab).relDiff, `t = ${t}`).toBeLessThan(1e-6);
    }
  });

  it("optimizers: the rates' recurrences are the implemented momentum and Nesterov rules", () => {
    for (const kind of ['sgd', 'momentum', 'nesterov'] as const) {
      const o = resolveOptimizer('test', { kind: kind as OptimizerKind, lr: 0.02, beta1: 0.9 });
      for (const lambda of [50, 1, -2]) {
        // The resolved (f32-rounded) lr and β.
        const [a, b] = [o.lr * lambda, o.beta1];
        const [tr, det] = kind === 'sgd' ? [1 - a, 0] : kind === 'momentum' ? [1 + b - a, b] : [(1 + b) * (1 - a), b * (1 - a)];
        const st = initialState(1);
        const x = Float64Array.of(1);
        const xs = [1];
        for (let t = 0; t < 30; t++) {
          optimizerStep(o, st, x, Float64Array.of(lambda * x[0]!));
          xs.push(x[0]!);
        }
        for (let t = 1; t < 30; t++) {
          const want = tr * xs[t]! - det * xs[t - 1]!;
          expect(Math.abs(xs[t + 1]! - want), `${kind}, λ = ${lambda}, t = ${t}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
        }
      }
    }
  });

  it('optimizers: the preset figures (κ = 50, lr = 0.02, β = 0.9) and the √κ speed-up', () => {
    const eig = [1, 50];
    expect(rate('gd', 0.02, eig, 0).toFixed(2)).toBe('0.98');
    expect(rate('momentum', 0.02, eig, 0.9).toFixed(3)).toBe('0.949');
    expect(rate('nesterov', 0.02, eig, 0.9).toFixed(3)).toBe('0.939');
    expect(directionRate('nesterov', 0.02, 50, 0.9)).toBe(0);
    expect(stabilityLimit('gd', 50, 0.9)).toBeCloseTo(0.04, 12);
    expect(stabilityLimit('momentum', 50, 0.9)).toBeCloseTo(0.076, 12);
    expect(stabilityLimit('nesterov', 50, 0.9).toFixed(4)).toBe('0.0271');
    // At lr 0.03 Nesterov diverges, SGD zig-zags (root −0.5) and momentum still converges.
    expect(rate('nesterov', 0.03, eig, 0.9)).toBeGreaterThan(1);
    expect(1 - 0.03 * 50).toBeCloseTo(-0.5, 12);
    expect(rate('momentum', 0.03, eig, 0.9)).toBeLessThan(1);
    expect(stepsToShrink(gdOptimum(1, 50).rate)).toBe(346);
    expect(stepsToShrink(heavyBallOptimum(1, 50).rate)).toBe(49);
    // The saddle: momentum's escape beats SGD's 1 + 2η at the same η.
    expect(directionRate('gd', 0.02, -2, 0)).toBeCloseTo(1.04, 12);
    expect(directionRate('momentum', 0.02, -2, 0.9)).toBeGreaterThan(1.04);
  });

  it("optimizers: Adam's uncorrected first steps and AMSGrad's nearly level step (the presets)", () => {
    expect(uncorrectedAdamRatio(1, 0.9, 0.9999)).toBeCloseTo(10, 9);
    expect(Math.round(uncorrectedAdamRatio(12, 0.9, 0.9999))).toBe(21);
    expect(Math.sqrt(1 - 0.99 ** 150).toFixed(2)).toBe('0.88');
    expect(Math.sqrt(1 - 0.99 ** 300).toFixed(2)).toBe('0.98');
    const stepLengths = (optimizers: object[], surface: object, start: number[], steps: number) => {
      const r = raceReference({ surface, optimizers, starts: start, steps } as Parameters<typeof raceReference>[0]);
      return optimizers.map((_, o) =>
        Array.from({ length: steps }, (_, t) => {
          const b = (o * (steps + 1) + t + 1) * 3;
          return Math.hypot(r.data[b]! - r.data[b - 3]!, r.data[b + 1]! - r.data[b - 2]!);
        }),
      );
    };
    const [adam, ams] = stepLengths(
      [
        { kind: 'adam', lr: 0.05, beta2: 0.99 },
        { kind: 'amsgrad', lr: 0.05, beta2: 0.99 },
      ],
      { kind: 'rosenbrock' },
      [-1.8, -0.5],
      400,
    );
    const tail = (a: number[]) => a.slice(150);
    expect(adam![399]! / Math.min(...tail(adam!))).toBeGreaterThan(2);
    expect(Math.max(...tail(ams!)) / Math.min(...tail(ams!))).toBeLessThan(1.15);
    const [corrected, uncorrected] = stepLengths(
      [
        { kind: 'adam', lr: 0.02, beta2: 0.9999 },
        { kind: 'adam', lr: 0.02, beta2: 0.9999, biasCorrection: false },
      ],
      { kind: 'quadratic', condition: 5, rotation: -20 },
      [-1.8, 1.2],
      80,
    );
    expect(uncorrected![0]! / corrected![0]!).toBeCloseTo(10, 1);
  });

  it('bench: the bootstrap interval of the median is exactly [min, max] up to 5 repeats, narrower from 6', () => {
    const rng = mulberry32(7);
    for (let n = 1; n <= 9; n++)
      for (let trial = 0; trial < 5; trial++) {
        const xs = Array.from({ length: n }, () => 10 + rng());
        const [lo, hi] = bootstrapMedianCI(xs, { seed: trial + 1 });
        if (n <= 5) expect([lo, hi], `n = ${n}`).toEqual([Math.min(...xs), Math.max(...xs)]);
        else {
          expect(lo, `n = ${n}`).toBeGreaterThan(Math.min(...xs));
          expect(hi, `n = ${n}`).toBeLessThan(Math.max(...xs));
        }
      }
    expect(7 / 27).toBeCloseTo(3 * (1 / 3) ** 2 * (2 / 3) + (1 / 3) ** 3, 15);
    expect((181 / 3125).toFixed(3)).toBe('0.058');
  });

  it('attention: flash FLOPs, tiles and the causal alignment the pages describe', () => {
    for (const d of [16, 32, 64]) expect(attentionCounts(256, 256, d, d, flashTile(d, d)).flashFlops).toBe(4 * 256 * 256 * d);
    const c128 = attentionCounts(256, 256, 128, 128, flashTile(128, 128));
    expect(flashTile(128, 128).blockDv).toBe(64);
    expect(c128.flashFlops / c128.naiveFlops).toBe(1.5);
    expect(visitedTiles(128, 128, 32, 32, true)).toEqual({ visited: 10, total: 16 });
    expect(visibleKeys(0, 1, 8, 'bottom-right')).toBe(8);
    expect(visibleKeys(0, 1, 8, 'top-left')).toBe(1);
    expect(visibleKeys(0, 4, 8, 'bottom-right')).toBe(5); // row 0 sees Nk − Nq + 1 keys
    expect(visibleKeys(0, 8, 8, 'bottom-right')).toBe(1);
    const n = 4096;
    expect((n * n * 4) / 2 ** 20).toBe(64);
    expect((3 * n * 64 * 4) / 2 ** 20).toBe(3);
  });

  it('matmul: the two intensities', () => {
    expect(issuedIntensity('naive', null)).toBe(0.25);
    expect(issuedIntensity('tiled', { rows: 16, cols: 16 })).toBe(4);
    expect(issuedIntensity('register', { rows: 64, cols: 64 })).toBe(16);
    expect(issuedIntensity('direct', { rows: 64, cols: 128 })).toBeCloseTo(128 / 48, 12);
    expect(compulsoryIntensity(128, 128, 128).toFixed(1)).toBe('21.3');
    expect(compulsoryIntensity(1, 4096, 4096)).toBeLessThan(0.5);
  });
});

/** Opens a demo page and waits for its initial work. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const tracked = await openPage(path, { waitFor: "customElements.get('ks-page') !== undefined", timeoutMs: 170_000 });
  await tracked.page.waitForFunction(() => !document.body.hasAttribute('data-ready') || document.body.dataset.ready !== 'pending', {
    timeout: 170_000,
  });
  expect(await tracked.page.evaluate(() => document.body.dataset.ready ?? 'n/a')).not.toMatch(/^error/);
  return tracked;
}

/** Every "Check yourself" block: 2–4 of them, closed with the answer hidden, then open with it shown. */
async function expectCheckBlocks(page: Page): Promise<void> {
  const before = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLDetailsElement>('section.check-yourself details.check')].map((d) => ({
      open: d.open,
      summary: d.querySelector('summary')?.textContent?.trim() ?? '',
      answerVisible: d.querySelector('.answer')?.checkVisibility() ?? null,
      answerLength: d.querySelector('.answer')?.textContent?.trim().length ?? 0,
    })),
  );
  expect(before.length).toBeGreaterThanOrEqual(2);
  expect(before.length).toBeLessThanOrEqual(4);
  for (const b of before) {
    expect(b.open, b.summary).toBe(false);
    expect(b.answerVisible, b.summary).toBe(false);
    expect(b.summary.length).toBeGreaterThan(10);
    expect(b.answerLength).toBeGreaterThan(100);
  }
  const after = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLDetailsElement>('section.check-yourself details.check')].map((d) => {
      d.querySelector('summary')!.click();
      return { open: d.open, answerVisible: d.querySelector('.answer')!.checkVisibility() };
    }),
  );
  expect(after).toEqual(before.map(() => ({ open: true, answerVisible: true })));
}

const cellTexts = (page: Page, selector: string) =>
  page.evaluate(
    (sel) => [...document.querySelectorAll(`${sel} tr`)].map((tr) => [...tr.children].map((c) => c.textContent ?? '')),
    selector,
  );

describe('teaching pages', () => {
  it('softmax: NaN only where e^s overflows; zeros elsewhere; subnormals reported', async () => {
    const { page, errors } = await open('/demos/softmax.html');
    try {
      await expectCheckBlocks(page);
      const run = async (preset: string) => {
        await page.evaluate((name) => {
          document.getElementById('status')!.textContent = '';
          [...document.querySelectorAll<HTMLButtonElement>('#presets button')].find((b) => b.textContent === name)!.click();
        }, preset);
        await page.waitForFunction(() => /^Done/.test(document.getElementById('status')!.textContent ?? ''), { timeout: 60_000 });
        const rows = await cellTexts(page, '#results tbody');
        const status = await page.evaluate(() => document.getElementById('status')!.textContent ?? '');
        return { naive: rows.map((r) => r[2]), status };
      };
      expect((await run('±1e4')).naive).toEqual(['NaN', '0', '0', 'NaN']);
      expect((await run('large logits')).naive).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
      expect((await run('very negative')).naive).toEqual(['NaN', 'NaN', 'NaN']);
      const sub = await run('subnormal');
      expect(sub.naive[0]).toBe('1.00000');
      expect(sub.status).toMatch(/Subnormal results \(entry 1, exact 5\.\d\de-42\): your GPU (kept|flushed)/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('attention: the printed causal ratio is the measured one; FLOPs and ratios as stated', async () => {
    const { page, errors } = await open('/demos/attention.html');
    try {
      await expectCheckBlocks(page);
      const causal = await page.evaluate(() => {
        const el = document.getElementById('causal-ratio')!;
        const d = el.dataset;
        return {
          text: el.textContent ?? '',
          on: d.on ?? '',
          off: d.off ?? '',
          ratio: d.ratio ?? '',
          visited: d.visited ?? '',
          layout: d.layout ?? '',
          blocks: d.blocks ?? '',
        };
      });
      const [on, off, ratio, visited] = [causal.on, causal.off, causal.ratio, causal.visited].map(Number);
      expect(ratio).toBeCloseTo(on! / off!, 12);
      expect(causal.text).toContain(`${ratio!.toFixed(2)} (${on!.toFixed(2)} ms ÷ ${off!.toFixed(2)} ms`);
      // The fraction is of the layout that ran: tiles (workgroup) or a workgroup's rows × a key group (rows),
      // with the shipped default's blocks (this page runs untuned).
      expect(['workgroup', 'rows']).toContain(causal.layout);
      const t = flashTile(32, 32);
      const rows = causal.layout === 'rows';
      const cpuDefault = defaultFlashConfig('swiftshader');
      if (cpuDefault.layout !== 'rows') throw new Error('the CPU-style default is expected to be rows');
      const blocks = { rows: cpuDefault.R, keys: cpuDefault.KB, workgroup: cpuDefault.WG, registers: cpuDefault.acc === 'registers' };
      if (rows) expect(JSON.parse(causal.blocks)).toEqual(blocks);
      const v = rows
        ? visitedTiles(128, 128, blocks.rows * blocks.workgroup, blocks.keys, true)
        : visitedTiles(128, 128, t.blockQ, t.blockK, true);
      expect(visited).toBeCloseTo(v.visited / v.total, 12);
      expect(causal.text).toContain(`(${causal.layout} layout)`);
      const unit = `${blocks.rows * blocks.workgroup}×${blocks.keys} blocks (a workgroup's rows × a key group)`;
      expect(causal.text).toContain(`visits ${v.visited} of ${v.total} ${rows ? unit : 'tiles'}`);
      expect(await page.evaluate(() => document.getElementById('flops-note')!.dataset.ratio)).toBe('1.0000');
      const head = await page.evaluate(() => [...document.querySelectorAll('#results thead th')].map((th) => th.textContent));
      expect(head).toContain('time ÷ naive (below 1 = faster)');
      const table = await cellTexts(page, '#results tbody');
      expect(table.find((r) => r[0] === 'naive')![2]).toBe('1.00');
      const io = await page.evaluate(() => {
        const el = document.getElementById('io-live')!;
        return { layout: el.dataset.layout ?? '', kvBytes: el.dataset.kvBytes ?? '', text: el.textContent ?? '' };
      });
      expect(io.layout).toBe(causal.layout);
      // The running output's traffic follows where it lived: registers (written once) or the buffer (once per key group).
      if (rows && blocks.registers) expect(io.text).toContain(`stays in registers and is written once: ${formatBinaryBytes(4 * 128 * 32)}`);
      expect(Number(io.kvBytes)).toBe(
        rows ? rowsTraffic(128, 128, 32, 32, blocks).kvBytes : attentionCounts(128, 128, 32, 32, t).flashKvBytes,
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('attention at d = 128: the FLOP line gives the layout that ran (workgroup: 1.5× naive; rows: 1×)', async () => {
    const { page, errors } = await open('/demos/attention.html#n=64&d=128');
    try {
      const note = await page.evaluate(() => ({ ...document.getElementById('flops-note')!.dataset }));
      expect(note.ratio).toBe(note.layout === 'workgroup' ? '1.5000' : '1.0000');
      expect(['workgroup', 'rows']).toContain(note.layout);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('attention-maps: the causal drill shows both alignments', async () => {
    const { page, errors } = await open('/demos/attention-maps.html');
    try {
      await expectCheckBlocks(page);
      const grids = () =>
        page.evaluate(() => ({
          rows: [...document.querySelectorAll<HTMLElement>('#drill-grids figure')].map((f) => [
            f.dataset.align,
            f.dataset.row0,
            f.dataset.lastRow,
          ]),
          verdict: document.getElementById('drill-verdict')!.textContent ?? '',
        }));
      expect((await grids()).rows).toEqual([
        ['bottom-right', '8', '8'],
        ['top-left', '1', '1'],
      ]);
      await page.select('#drill-nq', '8');
      const same = await grids();
      expect(same.rows).toEqual([
        ['bottom-right', '1', '8'],
        ['top-left', '1', '8'],
      ]);
      expect(same.verdict).toMatch(/same mask/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('matmul: time ratios and the roofline verdicts agree with the measured ceilings', async () => {
    const { page, errors } = await open('/demos/matmul.html');
    try {
      await expectCheckBlocks(page);
      const head = await page.evaluate(() => [...document.querySelectorAll('#results thead th')].map((th) => th.textContent));
      expect(head).toContain('time ÷ naive (below 1 = faster)');
      expect((await cellTexts(page, '#results tbody')).find((r) => r[0] === 'naive')![3]).toBe('1.00');
      const v = await page.evaluate(() => ({
        gflops: document.getElementById('roofline-verdict')!.dataset.gflops ?? '',
        gbps: document.getElementById('roofline-verdict')!.dataset.gbps ?? '',
        text: document.getElementById('roofline-verdict')!.textContent ?? '',
      }));
      const ridge = Number(v.gflops) / Number(v.gbps);
      expect(ridge).toBeGreaterThan(0);
      const rows = await cellTexts(page, '#roofline-table tbody');
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const r of rows) {
        const [variant, measured, issued, issuedBound, comp, compBound] = r as string[];
        const ic = Number(comp!.split(' → ')[0]);
        expect(ic.toPrecision(3)).toBe(compulsoryIntensity(128, 128, 128).toPrecision(3));
        expect(compBound, variant).toBe(ic >= ridge ? 'compute-bound' : 'bandwidth-bound');
        if (issued !== '–')
          expect(issuedBound, variant).toBe(Number(issued!.split(' → ')[0]) >= ridge ? 'compute-bound' : 'bandwidth-bound');
        if (variant === 'naive') {
          const cap = Math.min(Number(v.gflops), 0.25 * Number(v.gbps));
          expect(v.text).toMatch(Number(measured) > cap ? /caches served/ : /within the/);
        }
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('diffusion: the counts table matches the text; DDIM η = 1 and Tweedie checks pass live', async () => {
    const { page, errors } = await open('/demos/diffusion.html');
    try {
      await expectCheckBlocks(page);
      const facts = await page.evaluate(() =>
        Object.fromEntries([...document.querySelectorAll<HTMLElement>('[data-fact]')].map((e) => [e.dataset.fact, e.textContent])),
      );
      const counts = await cellTexts(page, '#schedule-counts tbody');
      expect(counts[0]!.slice(1)).toEqual([facts['linear.nearNoise'], facts['cosine.nearNoise']]);
      expect(counts[1]!.slice(1)).toEqual([facts['linear.middle'], facts['cosine.middle']]);
      expect(asWritten(Number(counts[2]![2]), facts['cosine.firstDrop']!)).toBe(facts['cosine.firstDrop']);
      expect(asWritten(Number(counts[3]![2]), facts['cosine.midDrop']!)).toBe(facts['cosine.midDrop']);
      expect(asWritten(Number(counts[4]![2]), facts['cosine.lastDrop']!)).toBe(facts['cosine.lastDrop']);
      const maxRel = () => page.evaluate(() => Number(document.getElementById('ddim-out')!.dataset.maxRel));
      expect(await maxRel()).toBeLessThan(1e-8);
      await page.select('#ddim-schedule', 'linear');
      await page.select('#ddim-steps', '10');
      expect(await maxRel()).toBeLessThan(1e-8);
      expect(await page.evaluate(() => Number(document.getElementById('tweedie-out')!.dataset.relDiff))).toBeLessThan(1e-6);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('optimizers: rates and the bias table as stated; the seven-rule preset says why AdamW is absent', async () => {
    const { page, errors } = await open('/demos/optimizers.html');
    try {
      await expectCheckBlocks(page);
      const rows = await cellTexts(page, '#rate-table tbody');
      expect(rows.slice(0, 3).map((r) => [r[1], r[3]])).toEqual([
        ['0.9800', '0.04000'],
        ['0.9487', '0.07600'],
        ['0.9391', '0.02714'],
      ]);
      expect((await cellTexts(page, '#bias-table tbody'))[0]).toEqual(['1', '10.00']);
      await page.evaluate(() => document.querySelector<HTMLButtonElement>('#presets button[data-preset="all"]')!.click());
      const preset = await page.evaluate(() => ({
        title: document.querySelector('#presets button[data-preset="all"]')!.textContent,
        note: document.getElementById('preset-note')!.textContent ?? '',
        optimizers: JSON.parse(document.getElementById('race')!.getAttribute('optimizers')!) as { kind: string }[],
      }));
      expect(preset.title).toMatch(/^Seven/);
      expect(preset.optimizers.length).toBe(7);
      expect(preset.optimizers.map((o) => o.kind)).not.toContain('adamw');
      expect(preset.note).toMatch(/AdamW is left out/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('landscape: the saddle escape rates', async () => {
    const { page, errors } = await open('/demos/landscape.html');
    try {
      await expectCheckBlocks(page);
      const rows = await cellTexts(page, '#saddle-table tbody');
      expect(rows.map((r) => (r[2]!.startsWith('×') ? r[2] : 'adaptive'))).toEqual(['× 1.0400', '× 1.0546', 'adaptive', 'adaptive']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('bench: honest spread and time-ratio headers', async () => {
    const { page, errors } = await open('/demos/bench.html');
    try {
      await expectCheckBlocks(page);
      const head = await page.evaluate(() => [...document.querySelectorAll('#results thead th')].map((th) => th.textContent ?? ''));
      // The spread column says when it is just the range; every ratio is a time ratio, named as such.
      expect(head.some((h) => /spread/.test(h) && /min–max/.test(h) && /95% (bootstrap )?CI/.test(h))).toBe(true);
      expect(head).toContain('time ÷ naive (below 1 = faster)');
      expect(head.filter((h) => /÷/.test(h)).every((h) => /^time ÷ .+ \(below 1 = faster\)$/.test(h))).toBe(true);
      expect(head.some((h) => /×/.test(h))).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
