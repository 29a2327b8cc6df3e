/**
 * `<flash-tiles>`: the trace's m and l after the last tile equal naive attention's
 * row max and sum (CPU trace always; GPU trace when the flash kernel's trace mode is
 * in the build), causally skipped tiles are shaded, the step control and play, the
 * memory meter, exports, bad input, and a real screenshot checked for its colours.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import { colorDistance, screenshotColors, type Rgb } from '../support/pixels';

const harness = useHarness();

const MASK: Rgb = [154, 160, 166];
const ACCENT: Rgb = [0, 114, 178]; // #0072B2

async function mount(props: Record<string, unknown>) {
  await harness().page.evaluate(async (p: Record<string, unknown>) => {
    await window.ksImport('/src/viz/flash-tiles/index.ts');
    document.getElementById('tiles')?.remove();
    const el = document.createElement('flash-tiles') as any;
    el.id = 'tiles';
    el.gpu = window.gpu;
    Object.assign(el, p);
    document.body.append(el);
    await el.settled();
  }, props);
}

/** The last step's m, l against the float64 (and f32) naive statistics of the same rows. */
async function lastStepVsNaive() {
  return harness().page.evaluate(async () => {
    const { attentionRowStats } = await window.ksImport('/src/reference/flash-trace.ts');
    const el = document.getElementById('tiles') as any;
    const m = el.model;
    const { q, k } = el.inputs;
    const opts = { causal: m.causal, keyLengths: [m.keyLength], rows: m.trace.rows };
    const f64 = attentionRowStats(q, k, opts);
    const f32 = attentionRowStats(q, k, opts, 'f32');
    const last = m.trace.steps.at(-1);
    const mv = window.ks.checkTolerance(last.m, f64.max, f32.max);
    const lv = window.ks.checkTolerance(last.l, f64.sum, f32.sum);
    return {
      source: m.source,
      rows: m.trace.rows.length,
      steps: m.trace.steps.length,
      mv,
      lv,
      blocks: [m.blockQ, m.blockK],
      err: m.outputMaxAbsErr,
      status: el.shadowRoot.querySelector('.status').textContent,
    };
  });
}

describe('<flash-tiles> trace', () => {
  it('CPU trace: m and l after the last tile equal the naive row max and sum, and it says CPU', async () => {
    await mount({
      n: 70,
      nk: 90,
      dim: 16,
      causal: true,
      keyLength: 85,
      backend: 'cpu',
      queryBlock: 2,
      blockQ: 16,
      blockK: 16,
      noControls: true,
    });
    const r = await lastStepVsNaive();
    expect(r.source).toBe('cpu');
    expect(r.status).toMatch(/^CPU trace: the CPU trace reference .* because the CPU reference was requested/);
    expect(r.rows).toBe(16);
    expect(r.steps).toBe(6);
    expect(r.mv.ok, JSON.stringify(r.mv)).toBe(true);
    expect(r.lv.ok, JSON.stringify(r.lv)).toBe(true);
  });

  it('GPU trace (when the flash kernel has its trace mode): last m and l equal the naive statistics', async () => {
    const has = await harness().page.evaluate(
      async () => (await window.ksImport('/src/viz/flash-tiles/gpu.ts')).defaultFlashTraceSource !== null,
    );
    if (!has) {
      console.warn('flash-tiles: no GPU trace source in this build; the GPU trace check is skipped');
      return;
    }
    for (const causal of [false, true]) {
      await mount({ n: 96, nk: 80, dim: 32, causal, queryBlock: 2, noControls: true, pattern: 'local', seed: 4 });
      const r = await lastStepVsNaive();
      expect(r.source).toBe('gpu');
      expect(r.status).toMatch(/^GPU trace from /);
      expect(r.mv.ok, JSON.stringify(r.mv)).toBe(true);
      expect(r.lv.ok, JSON.stringify(r.lv)).toBe(true);
      expect(r.err).toBeLessThan(1e-4);
      // The CPU fallback runs the kernel's schedule: same tiles, same skips, same m, l, rescale at every step.
      const cmp = await harness().page.evaluate(async () => {
        const { flashTraceReference } = await window.ksImport('/src/reference/flash-trace.ts');
        const el = document.getElementById('tiles') as any;
        const m = el.model;
        const { q, k, v } = el.inputs;
        const ref = flashTraceReference(q, k, v, {
          causal: m.causal,
          keyLengths: [m.keyLength],
          queryBlock: m.queryBlock,
          blockQ: m.blockQ,
          blockK: m.blockK,
        }).trace;
        let worst = 0;
        const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(1, Math.abs(b)));
        m.trace.steps.forEach((s: any, t: number) => {
          for (let r = 0; r < s.m.length; r++) {
            worst = Math.max(
              worst,
              rel(s.m[r], ref.steps[t].m[r]),
              rel(s.l[r], ref.steps[t].l[r]),
              Math.abs(s.rescale[r] - ref.steps[t].rescale[r]),
            );
          }
        });
        return {
          gpuSkips: m.trace.steps.map((s: any) => s.skipped),
          refSkips: ref.steps.map((s: any) => s.skipped),
          rows: [m.trace.rows, ref.rows],
          worst,
        };
      });
      expect(cmp.gpuSkips).toEqual(cmp.refSkips);
      expect(cmp.rows[0]).toEqual(cmp.rows[1]);
      expect(cmp.worst).toBeLessThan(1e-4);
    }
  });

  it('without WebGPU: the CPU trace, saying so', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/flash-tiles/index.ts');
      Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
      try {
        const el = document.createElement('flash-tiles') as any;
        Object.assign(el, { n: 40, dim: 16, causal: true, noControls: true });
        document.body.append(el);
        await el.settled();
        const out = { source: el.model.source, status: el.shadowRoot.querySelector('.status').textContent };
        el.remove();
        return out;
      } finally {
        delete (navigator as unknown as Record<string, unknown>).gpu;
      }
    });
    expect(r.source).toBe('cpu');
    expect(r.status).toMatch(/^CPU trace: .* because no WebGPU here \(navigator\.gpu is missing/);
  });

  it('shades exactly the causally skipped tiles and steps through the rest', async () => {
    await mount({ n: 64, dim: 16, causal: true, backend: 'cpu', queryBlock: 1, blockQ: 16, blockK: 16, noControls: false });
    const r = await harness().page.evaluate(async () => {
      const el = document.getElementById('tiles') as any;
      const root = el.shadowRoot as ShadowRoot;
      const states = () => [...root.querySelectorAll('rect.tile')].map((t: any) => `${t.dataset.q}${t.dataset.k}:${t.dataset.state}`);
      const events: any[] = [];
      el.addEventListener('ks-step', (e: CustomEvent) => events.push(e.detail));
      const final = states();
      el.setStep(1);
      await el.updateComplete;
      const afterOne = states().filter((s) => s.startsWith('1'));
      (root.querySelector('button[name="next"]') as HTMLButtonElement).click();
      await el.updateComplete;
      const afterTwo = states().filter((s) => s.startsWith('1'));
      const table = [...root.querySelectorAll('table.stats tbody tr')].map((tr) => tr.textContent);
      el.interval = 50;
      el.setStep(0);
      el.playing = true;
      await new Promise((res) => setTimeout(res, 600));
      const played = { step: el.step, playing: el.playing };
      const meter = [...root.querySelectorAll('svg.meter rect')].map((b: any) => Number(b.dataset.bytes));
      const hatch = getComputedStyle(root.querySelector('#ft-hatch .hatch-bg')!).fill;
      const skippedFill = root.querySelector('rect.tile.skipped')!.getAttribute('class');
      return { final, afterOne, afterTwo, events: events.slice(0, 2), played, meter, table, hatch, skippedFill };
    });
    // 4×4 tiles, block q sees tiles 0..q.
    for (const s of r.final) {
      const [qb, kb] = [Number(s[0]), Number(s[1])];
      expect(s.endsWith(':skipped')).toBe(kb > qb);
    }
    expect(r.afterOne).toEqual(['10:current', '11:pending', '12:skipped', '13:skipped']);
    expect(r.afterTwo).toEqual(['10:visited', '11:current', '12:skipped', '13:skipped']);
    expect(r.events[0]).toMatchObject({ step: 1, kBlock: 0, skipped: false });
    expect(r.events[1]).toMatchObject({ step: 2, kBlock: 1, skipped: false });
    expect(r.played).toEqual({ step: 4, playing: false });
    expect(r.meter).toEqual([4 * 64 * 64, 4 * (16 * 16 + 2 * 16 * 16 + 16 * 16 + 2 * 16), 4 * 64 * 16]);
    expect(r.hatch).toBe('rgb(154, 160, 166)');
    expect(r.table.length).toBe(3);
  });

  it('keeps the last good trace and shows an inline error for bad input', async () => {
    await mount({ n: 32, dim: 16, backend: 'cpu', noControls: true });
    const r = await harness().page.evaluate(async () => {
      const el = document.getElementById('tiles') as any;
      const before = el.model.trace.steps.length;
      const out: string[] = [];
      const tries: Record<string, unknown>[] = [
        { n: 0 },
        { n: 32, dim: 3 },
        { dim: 16, pattern: '<img src=x onerror=alert(1)>' },
        {
          pattern: 'random',
          data: {
            q: { data: new Float32Array(32).fill(NaN), shape: [1, 1, 2, 16] },
            k: { data: new Float32Array(32), shape: [1, 1, 2, 16] },
            v: { data: new Float32Array(32), shape: [1, 1, 2, 16] },
          },
        },
        {
          data: {
            q: { data: new Float32Array(32), shape: [1, 1, 2, 16] },
            k: { data: new Float32Array(8), shape: [1, 1, 1, 8] },
            v: { data: new Float32Array(8), shape: [1, 1, 1, 8] },
          },
        },
      ];
      for (const t of tries) {
        Object.assign(el, t);
        await el.settled();
        out.push(el.shadowRoot.querySelector('.error')?.textContent ?? 'NO ERROR');
      }
      const injected = el.shadowRoot.querySelectorAll('img').length;
      return { out, before, after: el.model.trace.steps.length, injected };
    });
    expect(r.out[0]).toMatch(/n must be an integer in \[1, 2048\], got 0/);
    expect(r.out[1]).toMatch(/dim must be an integer in \[8, 256\], got 3/);
    expect(r.out[2]).toMatch(/pattern must be one of .* got "<img src=x onerror=alert\(1\)>"/);
    expect(r.out[3]).toMatch(/q\.data\[0\] is NaN/);
    expect(r.out[4]).toMatch(/k must match q in batch, heads and head dim/);
    for (const m of r.out) expect(m).toMatch(/showing the last good state/);
    expect(r.after).toBe(r.before);
    expect(r.injected).toBe(0);
  });

  it('exports SVG, PNG and the trace as JSON', async () => {
    await mount({ n: 48, dim: 16, causal: true, backend: 'cpu', noControls: true });
    const r = await harness().page.evaluate(async () => {
      const el = document.getElementById('tiles') as any;
      const text = el.exportSvg();
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const png = await createImageBitmap(await el.exportPng(1));
      const json = JSON.parse(el.exportJson());
      return {
        svgs: doc.querySelectorAll('svg svg').length,
        parseError: !!doc.querySelector('parsererror'),
        png: [png.width, png.height],
        steps: json.steps.length,
        last: json.steps.at(-1),
        exact: json.exact,
      };
    });
    expect(r.parseError).toBe(false);
    expect(r.svgs).toBe(4);
    expect(r.png[0]).toBeGreaterThan(300);
    expect(r.steps).toBe(3);
    expect(r.last.m[0]).toBeCloseTo(r.exact.max[0], 5);
  });
});

describe('<flash-tiles> screenshot', () => {
  it('shows skipped tiles in the mask colour and the current tile in the accent colour', async () => {
    await harness().page.setViewport({ width: 1200, height: 900 });
    await mount({
      n: 128,
      dim: 16,
      causal: true,
      backend: 'cpu',
      queryBlock: 5,
      blockQ: 16,
      blockK: 16,
      step: 3,
      pattern: 'local',
      seed: 2,
    });
    const pts = await harness().page.evaluate(() => {
      const el = document.getElementById('tiles') as any;
      const root = el.shadowRoot as ShadowRoot;
      const centre = (q: number, k: number) => {
        const r = root.querySelector(`rect.tile[data-q="${q}"][data-k="${k}"]`)!.getBoundingClientRect();
        return { x: r.left + scrollX + r.width / 2 + 0.5, y: r.top + scrollY + r.height / 2 + 0.5 };
      };
      const host = el.getBoundingClientRect();
      return {
        clip: { x: host.left + scrollX, y: host.top + scrollY, width: Math.ceil(host.width), height: Math.ceil(host.height) },
        points: [centre(5, 2), centre(5, 7), centre(0, 6), centre(5, 0), centre(3, 1)],
      };
    });
    const { colors, distinct } = await screenshotColors(harness().page, 'flash-tiles', pts.clip, pts.points);
    expect(distinct).toBeGreaterThan(8);
    // (5, 2): the current tile (step 3 processed tile 2).
    expect(colorDistance(colors[0]!, ACCENT)).toBeLessThan(40);
    // (5, 7), (0, 6): above the diagonal, skipped (hatched mask colour; the centre may hit a pale line).
    for (const c of [colors[1]!, colors[2]!]) expect(Math.min(colorDistance(c, MASK), colorDistance(c, [200, 204, 208]))).toBeLessThan(45);
    // (5, 0): visited, a light blue; (3, 1): an untraced row's tile, the panel colour.
    expect(colors[3]![2]).toBeGreaterThan(colors[3]![0]! + 40);
    expect(colorDistance(colors[4]!, [245, 246, 248])).toBeLessThan(20);
  });
});
