/**
 * `<attention-map>`: drawn values equal the kernel's weights (and the kernel equals
 * the float64 reference under the tolerance rule), masks are drawn as masks, the
 * canvas path at 512×512, hover and click, exports, bad and hostile data, and real
 * screenshots checked for their colours in known cells.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import { colorDistance, parseColor, screenshotColors, type Rgb } from '../support/pixels';

const harness = useHarness();

const VIRIDIS_TOP: Rgb = [253, 231, 37]; // viridis(1)
const VIRIDIS_BOTTOM: Rgb = [68, 1, 84]; // viridis(0)
const MASK: Rgb = [154, 160, 166]; // --ks-mask default (light)

/** Mounts an <attention-map> with `props` (on the harness GPU) and waits for it to draw. */
async function mount(props: Record<string, unknown>, id = 'map') {
  await harness().page.evaluate(
    async (p: Record<string, unknown>, elId: string) => {
      await window.ksImport('/src/viz/attention-map/index.ts');
      document.getElementById(elId)?.remove();
      const el = document.createElement('attention-map') as any;
      el.id = elId;
      el.gpu = window.gpu;
      Object.assign(el, p);
      document.body.append(el);
      await el.settled();
    },
    props,
    id,
  );
}

describe('<attention-map> values and masks', () => {
  it('draws exactly the kernel weights, and the kernel matches the float64 reference', async () => {
    await mount({ pattern: 'previous', n: 24, heads: 2, dim: 32, seed: 3, causal: true, temperature: 1.5, noControls: true });
    const r = await harness().page.evaluate(async () => {
      const { generatePattern } = await window.ksImport('/src/viz/attention-map/patterns.ts');
      const { attentionMapWeights } = await window.ksImport('/src/kernels/attention-weights.ts');
      const { attentionWeightsReference } = await window.ksImport('/src/reference/flash-trace.ts');
      const el = document.getElementById('map') as any;
      const p = generatePattern({ pattern: 'previous', seed: 3, n: 24, heads: 2, dim: 32 });
      const scale = 1 / (Math.sqrt(32) * 1.5);
      const q3 = { data: p.q.data, shape: [2, 24, 32] };
      const k3 = { data: p.k.data, shape: [2, 24, 32] };
      const { logits, weights } = await attentionMapWeights(window.gpu, q3, k3, { scale, causal: true });
      const kernel = await weights.read();
      logits.destroy();
      weights.destroy();
      const oracle = attentionWeightsReference(p.q, p.k, { scale, causal: true }).data;
      const f32 = attentionWeightsReference(p.q, p.k, { scale, causal: true }, 'f32').data;
      const verdict = window.ks.checkTolerance(kernel, oracle, f32);
      const rects = [...el.shadowRoot.querySelectorAll('svg.map[data-head="0"] rect.cell')] as SVGRectElement[];
      let mismatches = 0;
      for (const r of rects) {
        const i = Number(r.dataset.i);
        const j = Number(r.dataset.j);
        const v = r.dataset.v;
        const expected = kernel[i * 24 + j]!;
        if (v === 'masked') {
          if (j <= i) mismatches++;
        } else if (Number(v) !== expected) mismatches++;
      }
      return {
        cells: rects.length,
        mismatches,
        verdict,
        source: el.model.source,
        canvases: el.shadowRoot.querySelectorAll('canvas').length,
      };
    });
    expect(r.source).toBe('gpu');
    expect(r.canvases).toBe(0);
    expect(r.cells).toBe(24 * 24);
    expect(r.mismatches).toBe(0);
    expect(r.verdict.ok, `kernel vs float64: ${JSON.stringify(r.verdict)}`).toBe(true);
  });

  it('draws causal and padding cells as hatched masks, never as a weight of 0', async () => {
    // Nq = 6 queries against Nk = 10 keys, bottom-right causal, keys 8, 9 padding.
    const r = await harness().page.evaluate(async () => {
      const { mulberry32, normalArray } = window.ks;
      const rng = mulberry32(11);
      const el = document.createElement('attention-map') as any;
      el.gpu = window.gpu;
      el.noControls = true;
      el.causal = true;
      el.keyLength = 8;
      el.data = {
        q: { data: Array.from(normalArray(rng, 6 * 8)), shape: [1, 6, 8] },
        k: { data: Array.from(normalArray(rng, 10 * 8)), shape: [1, 10, 8] },
      };
      document.body.append(el);
      await el.settled();
      const cells = [...el.shadowRoot.querySelectorAll('svg.map rect.cell')] as SVGRectElement[];
      const out = cells.map((c) => ({
        i: Number(c.dataset.i),
        j: Number(c.dataset.j),
        masked: c.classList.contains('mask'),
        fill: c.getAttribute('fill'),
        v: c.dataset.v,
      }));
      el.selectQuery(1);
      await el.updateComplete;
      const bars = [...el.shadowRoot.querySelectorAll('svg.bars rect[data-j]')].map((b: any) => ({
        j: Number(b.dataset.j),
        cls: b.getAttribute('class'),
      }));
      const hatch = el.shadowRoot.querySelector('#am-hatch-causal .hatch-bg');
      const hatchFill = hatch ? getComputedStyle(hatch).fill : null;
      el.remove();
      return { out, bars, hatchFill };
    });
    for (const c of r.out) {
      const causal = c.j > c.i + 4;
      const padding = c.j >= 8;
      expect(c.masked, `cell ${c.i},${c.j}`).toBe(causal || padding);
      if (padding) expect(c.fill).toBe('url(#am-hatch-padding)');
      else if (causal) expect(c.fill).toBe('url(#am-hatch-causal)');
      else expect(c.fill).toMatch(/^(#|rgb)/);
    }
    expect(r.hatchFill).toBe('rgb(154, 160, 166)');
    // Query 1 sees keys 0..5; 6, 7 are causal, 8, 9 padding.
    expect(r.bars.filter((b) => b.cls === 'bar-mask').map((b) => b.j)).toEqual([6, 7, 8, 9]);
    expect(r.bars.filter((b) => b.cls === 'bar').length).toBe(6);
  });

  it('switches to a canvas past the threshold and draws 512×512 with the kernel weights', async () => {
    await mount({ pattern: 'local', n: 512, heads: 1, dim: 16, seed: 5, causal: true, noControls: true, size: 512 });
    const r = await harness().page.evaluate(async () => {
      const { attentionColor, valueDomain } = await window.ksImport('/src/viz/attention-map/index.ts');
      const el = document.getElementById('map') as any;
      const canvas = el.shadowRoot.querySelector('canvas.heat') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      const px = ctx.getImageData(0, 0, 512, 512).data;
      const m = el.model;
      const values = m.weights.slice(0, 512 * 512);
      for (let c = 0; c < values.length; c++) if (m.mask[c]) values[c] = NaN;
      const [lo, hi] = valueDomain(values, 'weights');
      let worst = 0;
      let maskedWrong = 0;
      for (let i = 0; i < 512; i += 7)
        for (let j = 0; j < 512; j += 5) {
          const c = i * 512 + j;
          const got = [px[c * 4]!, px[c * 4 + 1]!, px[c * 4 + 2]!];
          if (m.mask[c]) {
            // The mask colour, or its faint hatch line (35% towards the background).
            const plain = Math.hypot(got[0]! - 154, got[1]! - 160, got[2]! - 166);
            const line = Math.hypot(got[0]! - 189, got[1]! - 193, got[2]! - 197);
            if (Math.min(plain, line) > 12) maskedWrong++;
            continue;
          }
          const hex = attentionColor(values[c], lo, hi);
          const want = hex.startsWith('#') ? [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16)) : hex.match(/\d+/g)!.map(Number);
          worst = Math.max(worst, Math.hypot(got[0]! - want[0]!, got[1]! - want[1]!, got[2]! - want[2]!));
        }
      return {
        size: [canvas.width, canvas.height],
        worst,
        maskedWrong,
        source: m.source,
        rects: el.shadowRoot.querySelectorAll('rect.cell').length,
      };
    });
    expect(r.source).toBe('gpu');
    expect(r.size).toEqual([512, 512]);
    expect(r.rects).toBe(0);
    expect(r.worst).toBeLessThanOrEqual(2);
    expect(r.maskedWrong).toBe(0);
  });

  it('the CPU fallback says so and agrees with the GPU', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/attention-map/index.ts');
      const make = async (backend: string) => {
        const el = document.createElement('attention-map') as any;
        el.gpu = window.gpu;
        Object.assign(el, { pattern: 'sink', n: 20, heads: 1, seed: 9, backend, noControls: true });
        document.body.append(el);
        await el.settled();
        return el;
      };
      const cpu = await make('cpu');
      const gpu = await make('auto');
      let worst = 0;
      for (let c = 0; c < 400; c++) worst = Math.max(worst, Math.abs(cpu.model.weights[c] - gpu.model.weights[c]));
      const status = cpu.shadowRoot.querySelector('.status').textContent;
      cpu.remove();
      gpu.remove();
      return { worst, status, sources: [cpu.model.source, gpu.model.source] };
    });
    expect(r.sources).toEqual(['cpu', 'gpu']);
    expect(r.status).toMatch(/float64 CPU reference: the CPU reference was requested/);
    expect(r.worst).toBeLessThan(1e-5);
  });
});

describe('attentionMapWeights (the map kernel)', () => {
  it('rejects bad shapes and scales with typed errors before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const { attentionMapWeights } = await window.ksImport('/src/kernels/attention-weights.ts');
      const created = window.gpu.memory.created;
      const t = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape });
      const out: string[] = [];
      for (const [q, k, o] of [
        [t([2, 4, 8]), t([2, 5, 4]), {}],
        [t([2, 4, 8]), t([3, 5, 8]), {}],
        [t([4, 8]), t([5, 8]), {}],
        [t([1, 4, 8]), t([1, 5, 8]), { scale: NaN }],
        [t([1, 4, 8]), t([1, 5, 8]), { keyLength: 6 }],
      ] as const) {
        try {
          await attentionMapWeights(window.gpu, q, k, o);
          out.push('no error');
        } catch (e) {
          out.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      }
      return { out, created: window.gpu.memory.created - created };
    });
    expect(r.out[0]).toMatch(/^ShapeError: attentionMapWeights: k must match q in heads and head dim \(q=\[2, 4, 8\], k=\[2, 5, 4\]\)/);
    expect(r.out[1]).toMatch(/^ShapeError/);
    expect(r.out[2]).toMatch(/^ShapeError: .*rank 3/);
    expect(r.out[3]).toMatch(/^InvalidArgumentError: .*scale must be a finite positive number, got NaN/);
    expect(r.out[4]).toMatch(/^InvalidArgumentError: .*keyLength must be an integer in \[0, 5\], got 6/);
    expect(r.created).toBe(0);
  });

  it('is deterministic: repeated runs are bit-identical', async () => {
    const same = await harness().page.evaluate(async () => {
      const { attentionMapWeights } = await window.ksImport('/src/kernels/attention-weights.ts');
      const { generatePattern } = await window.ksImport('/src/viz/attention-map/patterns.ts');
      const p = generatePattern({ pattern: 'random', seed: 12, n: 97, heads: 2, dim: 40 });
      const runs: Uint32Array[] = [];
      for (let r = 0; r < 3; r++) {
        const { weights, logits } = await attentionMapWeights(
          window.gpu,
          { data: p.q.data, shape: [2, 97, 40] },
          { data: p.k.data, shape: [2, 97, 40] },
          { causal: true },
        );
        runs.push(new Uint32Array((await weights.read()).buffer));
        weights.destroy();
        logits.destroy();
      }
      return runs.every((x) => x.every((v, i) => v === runs[0]![i]));
    });
    expect(same).toBe(true);
  });

  it('folds the dispatch past 65,535 rows and normalizes every row', async () => {
    const r = await harness().page.evaluate(async () => {
      const { attentionMapWeights } = await window.ksImport('/src/kernels/attention-weights.ts');
      const rows = 65_600;
      const q = { data: Float32Array.from({ length: rows * 4 }, (_, i) => (i % 7) - 3), shape: [1, rows, 4] };
      const k = { data: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]), shape: [1, 2, 4] };
      const { weights, logits } = await attentionMapWeights(window.gpu, q, k, {});
      const w = await weights.read();
      weights.destroy();
      logits.destroy();
      let bad = 0;
      for (let i = 0; i < rows; i++) if (Math.abs(w[2 * i]! + w[2 * i + 1]! - 1) > 1e-6) bad++;
      return { bad, last: [w[2 * rows - 2], w[2 * rows - 1]] };
    });
    expect(r.bad).toBe(0);
    expect(r.last[0]! + r.last[1]!).toBeCloseTo(1, 6);
  });
});

describe('<attention-map> without WebGPU', () => {
  it('falls back to the float64 CPU reference and says why', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/attention-map/index.ts');
      Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
      try {
        const el = document.createElement('attention-map') as any;
        Object.assign(el, { pattern: 'previous', n: 16, heads: 1, causal: true, noControls: true });
        document.body.append(el);
        await el.settled();
        const out = {
          source: el.model.source,
          status: el.shadowRoot.querySelector('.status').textContent,
          cells: el.shadowRoot.querySelectorAll('rect.cell').length,
        };
        el.remove();
        return out;
      } finally {
        delete (navigator as unknown as Record<string, unknown>).gpu;
      }
    });
    expect(r.source).toBe('cpu');
    expect(r.status).toMatch(/float64 CPU reference: no WebGPU here \(navigator\.gpu is missing/);
    expect(r.cells).toBe(256);
  });
});

describe('<attention-map> interaction and export', () => {
  it('hover shows query, key and weight; click shows the row as bars', async () => {
    await mount({ pattern: 'previous', n: 12, heads: 1, seed: 2, causal: true, size: 240 });
    const r = await harness().page.evaluate(async () => {
      const el = document.getElementById('map') as any;
      const hit = el.shadowRoot.querySelector('svg.map rect.hit') as SVGRectElement;
      const box = hit.getBoundingClientRect();
      const cell = box.width / 12;
      const at = (i: number, j: number) => ({ clientX: box.left + (j + 0.5) * cell, clientY: box.top + (i + 0.5) * cell, bubbles: true });
      const events: any[] = [];
      el.addEventListener('ks-hover', (e: CustomEvent) => events.push(['hover', e.detail]));
      el.addEventListener('ks-query-select', (e: CustomEvent) => events.push(['select', e.detail]));
      hit.dispatchEvent(new PointerEvent('pointermove', at(5, 4)));
      await el.updateComplete;
      const tip = el.shadowRoot.querySelector('.tooltip').textContent;
      hit.dispatchEvent(new MouseEvent('click', at(5, 4)));
      await el.updateComplete;
      const bars = el.shadowRoot.querySelectorAll('svg.bars rect.bar').length;
      const masked = el.shadowRoot.querySelectorAll('svg.bars rect.bar-mask').length;
      const caption = el.shadowRoot.querySelector('figure.bars figcaption').textContent;
      return { tip, bars, masked, caption, events, w: el.cellValue(0, 5, 4) };
    });
    expect(r.tip).toMatch(/query 5 “.*” → key 4 “.*”: weight 0\.\d+/);
    expect(r.events[0][0]).toBe('hover');
    expect(r.events[0][1]).toMatchObject({ head: 0, query: 5, key: 4, masked: false });
    expect(r.events[0][1].value).toBe(r.w);
    expect(r.events[1][1]).toMatchObject({ head: 0, query: 5 });
    expect(r.events[1][1].weights[4]).toBe(r.w);
    expect(r.bars).toBe(6);
    expect(r.masked).toBe(6);
    expect(r.caption).toMatch(/weights of query 5/);
  });

  it('small multiples draw every head; exports give SVG, PNG and the weights JSON', async () => {
    await mount({ pattern: 'mixed', n: 16, heads: 4, seed: 4, causal: true, head: -1 });
    const r = await harness().page.evaluate(async () => {
      const el = document.getElementById('map') as any;
      const maps = el.shadowRoot.querySelectorAll('svg.map').length;
      const svgText = el.exportSvg(2);
      const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
      const png = await el.exportPng(2, 1);
      const bitmap = await createImageBitmap(png);
      const json = JSON.parse(el.exportJson());
      let same = true;
      for (let c = 0; c < json.weights.length; c++) if (json.weights[c] !== el.model.weights[c]) same = false;
      return {
        maps,
        rects: doc.querySelectorAll('rect.cell').length,
        pattern: doc.querySelectorAll('pattern').length,
        parseError: doc.querySelector('parsererror') !== null,
        png: [bitmap.width, bitmap.height],
        shape: json.shape,
        same,
        headNames: json.headNames,
      };
    });
    expect(r.maps).toBe(4);
    expect(r.parseError).toBe(false);
    expect(r.rects).toBe(256);
    expect(r.pattern).toBe(3);
    expect(r.png[0]).toBeGreaterThan(100);
    expect(r.shape).toEqual([4, 16, 16]);
    expect(r.same).toBe(true);
    expect(r.headNames).toEqual(['head 0: local', 'head 1: previous', 'head 2: sink', 'head 3: random']);
  });
});

describe('<attention-map> exported PNG', () => {
  it('keeps the mask hatching and the cell colours outside the page', async () => {
    const r = await harness().page.evaluate(async () => {
      const { attentionColor } = await window.ksImport('/src/viz/attention-map/index.ts');
      const el = document.createElement('attention-map') as any;
      Object.assign(el, { pattern: 'previous', n: 16, heads: 1, causal: true, noControls: true, size: 160 });
      el.gpu = window.gpu;
      document.body.append(el);
      await el.settled();
      const bmp = await createImageBitmap(await el.exportPng(0, 1));
      const c = document.createElement('canvas');
      c.width = bmp.width;
      c.height = bmp.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      // The export's viewBox starts at the top left of what is drawn (page coordinates); cells are
      // 160 / 16 = 10 px, and the plot starts where the live map's first cell is.
      const [x0, y0] = /viewBox="([^"]+)"/.exec(el.exportSvg(0))![1]!.split(' ').map(Number);
      const svgRect = el.shadowRoot.querySelector('svg.map').getBoundingClientRect();
      const left = svgRect.left + 78 - x0!;
      const top = svgRect.top + 64 - y0!;
      const at = (i: number, j: number) =>
        Array.from(ctx.getImageData(Math.round(left + j * 10 + 5), Math.round(top + i * 10 + 5), 1, 1).data).slice(0, 3);
      const values = Float32Array.from({ length: 256 }, (_, k) => el.cellValue(0, Math.floor(k / 16), k % 16));
      let hi = 0;
      for (const v of values) if (!Number.isNaN(v)) hi = Math.max(hi, v);
      const want = attentionColor(el.cellValue(0, 5, 4), 0, hi);
      el.remove();
      return { masked: at(2, 12), visible: at(5, 4), want };
    });
    expect(Math.min(colorDistance(r.masked as Rgb, MASK), colorDistance(r.masked as Rgb, [200, 204, 208]))).toBeLessThan(45);
    expect(colorDistance(r.visible as Rgb, parseColor(r.want))).toBeLessThan(12);
  });
});

describe('<attention-map> bad and hostile data', () => {
  it('shows an inline error and keeps the last good state', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/attention-map/index.ts');
      const el = document.createElement('attention-map') as any;
      el.gpu = window.gpu;
      el.noControls = true;
      const good = { weights: { data: [0.5, 0.5, 1, 0], shape: [2, 2] }, tokens: ['a', 'b'] };
      el.data = good;
      document.body.append(el);
      await el.settled();
      const errors: string[] = [];
      el.addEventListener('ks-error', (e: CustomEvent) => errors.push(e.detail.message));
      const bad: unknown[] = [
        { weights: { data: [0.5, 0.5, 1], shape: [2, 2] } },
        { weights: { data: [0.5, NaN, 1, 0], shape: [2, 2] } },
        { weights: { data: [0.5, 0.5, 1, 0], shape: [2, 2] }, tokens: ['a'] },
        { q: { data: [1, 2, 3, 4], shape: [1, 2, 2] }, k: { data: [1, 2, 3], shape: [1, 1, 3] } },
        { q: { data: [1, 2], shape: [1, 2, 1] }, k: { data: [1, Infinity], shape: [1, 2, 1] } },
        { weights: { data: [], shape: [100000, 100000] } },
        { weights: { data: [2, 0, 0, 1], shape: [2, 2] } },
        '{"weights": [1, 2',
        '"just a string"',
      ];
      const messages: string[] = [];
      for (const b of bad) {
        el.data = b;
        await el.settled();
        messages.push(el.shadowRoot.querySelector('.error')?.textContent ?? 'NO ERROR');
      }
      // Hostile attributes for the seeded path: a huge size and an unknown pattern.
      el.data = null;
      el.setAttribute('n', '100000');
      el.setAttribute('pattern', 'local');
      await el.settled();
      messages.push(el.shadowRoot.querySelector('.error')?.textContent ?? 'NO ERROR');
      el.setAttribute('n', '8');
      el.setAttribute('pattern', '<b>x</b>');
      await el.settled();
      messages.push(el.shadowRoot.querySelector('.error')?.textContent ?? 'NO ERROR');
      const stillDrawn = el.shadowRoot.querySelectorAll('rect.cell').length;
      const weights = Array.from(el.model.weights);
      el.temperature = -1;
      await el.settled();
      const tempError = el.shadowRoot.querySelector('.error')?.textContent ?? 'NO ERROR';
      el.remove();
      return { messages, errors: errors.length, stillDrawn, weights, tempError, temperature: el.temperature };
    });
    const expected = [
      /weights has 3 values but shape \[2, 2\] holds 4/,
      /weights\.data\[1\] is NaN; every value must be a finite number/,
      /tokens has 1 labels but there are 2 positions/,
      /k \[1, 1, 3\] must match q \[1, 2, 2\]/,
      /k\.data\[1\] is Infinity/,
      /10000000000 values, more than this element accepts|larger than/,
      /weights\.data\[0\] is 2; attention weights lie in \[0, 1\]/,
      /not valid JSON/,
      /data must be an object/,
      /n must be an integer in \[1, 1024\], got "100000"/,
      /pattern must be one of local, sink, previous, random, mixed, got "<b>x<\/b>"/,
    ];
    r.messages.forEach((m, i) => {
      expect(m).toMatch(expected[i]!);
      expect(m).toMatch(/showing the last good state/);
    });
    expect(r.errors).toBeGreaterThanOrEqual(expected.length);
    expect(r.stillDrawn).toBe(4);
    expect(r.weights).toEqual([0.5, 0.5, 1, 0]);
    expect(r.tempError).toMatch(/temperature must be a number in \[0\.01, 100\], got -1/);
    expect(r.temperature).toBe(1);
  });

  it('renders markup in token labels and JSON attributes as text, never as elements', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/attention-map/index.ts');
      (window as any).__pwned = 0;
      const hostile = [
        '<img src=x onerror="window.__pwned=1">',
        '<script>window.__pwned=2</script>',
        '"><svg onload="window.__pwned=3">',
        '&amp;<b>bold</b>',
      ];
      const el = document.createElement('attention-map') as any;
      el.gpu = window.gpu;
      el.noControls = true;
      el.setAttribute(
        'data',
        JSON.stringify({
          weights: { data: Array.from({ length: 16 }, () => 0.25), shape: [4, 4] },
          tokens: hostile,
          headNames: ['<i onmouseover=alert(1)>h</i>'],
        }),
      );
      document.body.append(el);
      await el.settled();
      el.selectQuery(0);
      await el.updateComplete;
      const hit = el.shadowRoot.querySelector('rect.hit');
      const b = hit.getBoundingClientRect();
      hit.dispatchEvent(new PointerEvent('pointermove', { clientX: b.left + 1, clientY: b.top + 1, bubbles: true }));
      await el.updateComplete;
      await new Promise((res) => setTimeout(res, 200));
      const root = el.shadowRoot as ShadowRoot;
      const injected = root.querySelectorAll('img, script, b, i, svg svg, [onerror], [onload], [onmouseover]').length;
      const labels = [...root.querySelectorAll('text.q-label')].map((t) => t.textContent);
      const tooltip = root.querySelector('.tooltip')!.textContent;
      const caption = root.querySelector('figure.bars figcaption')!.textContent;
      const fig = root.querySelector('figure figcaption')!.textContent;
      const json = JSON.parse(el.exportJson());
      el.remove();
      return { pwned: (window as any).__pwned, injected, labels, tooltip, caption, fig, jsonTokens: json.queryLabels };
    });
    expect(r.pwned).toBe(0);
    expect(r.injected).toBe(0);
    expect(r.labels[0]).toBe('<img src=…');
    expect(r.tooltip).toContain('“<img src=x onerror="window.__pwned=1">”');
    expect(r.caption).toContain('<img src=x onerror="window.__pwned=1">');
    expect(r.fig).toContain('<i onmouseover=alert(1)>h</i>');
    expect(r.jsonTokens[1]).toBe('<script>window.__pwned=2</script>');
  });
});

describe('<attention-map> screenshots', () => {
  /** Page coordinates of cell centres of head 0's map, and the colours the model says they must have. */
  async function cellPoints(cells: [number, number][]) {
    return harness().page.evaluate(async (cs: [number, number][]) => {
      const { attentionColor, valueDomain } = await window.ksImport('/src/viz/attention-map/index.ts');
      const el = document.getElementById('map') as any;
      const hit = el.shadowRoot.querySelector('svg.map rect.hit') as SVGRectElement;
      const box = hit.getBoundingClientRect();
      const m = el.model;
      const cell = box.width / m.Nk;
      const host = el.getBoundingClientRect();
      const values = Float32Array.from({ length: m.Nq * m.Nk }, (_, c) => el.cellValue(0, Math.floor(c / m.Nk), c % m.Nk));
      const [lo, hi] = valueDomain(values, 'weights');
      return {
        clip: { x: host.left + scrollX, y: host.top + scrollY, width: Math.ceil(host.width), height: Math.ceil(host.height) },
        points: cs.map(([i, j]) => ({ x: box.left + scrollX + (j + 0.5) * cell, y: box.top + scrollY + (i + 0.5) * cell })),
        expected: cs.map(([i, j]) => (m.mask[i * m.Nk + j] ? null : (attentionColor(values[i * m.Nk + j], lo, hi) as string))),
        cell,
      };
    }, cells);
  }

  it.each([
    ['svg', 32, 4096],
    ['canvas', 96, 1000],
  ] as const)('a %s map (previous-token, causal) has the expected colours in known cells', async (kind, n, threshold) => {
    await harness().page.setViewport({ width: 1000, height: 900 });
    await mount({ pattern: 'previous', n, heads: 1, seed: 1, causal: true, size: 480, canvasThreshold: threshold, selectedQuery: -1 });
    const renderer = await harness().page.evaluate(() =>
      (document.getElementById('map') as any).shadowRoot.querySelector('canvas.heat') ? 'canvas' : 'svg',
    );
    expect(renderer).toBe(kind);
    // (i, i−1): the previous token, the row's top weight; (2, 20): above the diagonal, causal mask;
    // (20, 3): visible, nearly 0.
    const { clip, points, cell, expected } = await cellPoints([
      [10, 9],
      [n - 1, n - 2],
      [2, 20],
      [5, n - 1],
      [20, 3],
    ]);
    expect(cell).toBeGreaterThan(4);
    const { colors, distinct } = await screenshotColors(harness().page, `attention-map-${kind}`, clip, points);
    expect(distinct).toBeGreaterThan(8);
    // Every visible sampled cell has the colour of its kernel weight on the map's scale.
    expected.forEach((hex, p) => {
      if (hex) expect(colorDistance(colors[p]!, parseColor(hex)), `cell ${p}: ${colors[p]} vs ${hex}`).toBeLessThan(12);
    });
    // The previous token carries most of its row: the yellow-green end of viridis (weight ≈ 0.86 of the top).
    for (const c of [colors[0]!, colors[1]!]) {
      expect(colorDistance(c, VIRIDIS_TOP)).toBeLessThan(110);
      expect(c[1]).toBeGreaterThan(180);
      expect(c[2]).toBeLessThan(110);
    }
    // The hatch lines are thin and pale: the cell centre may fall on one, so allow for it.
    expect(Math.min(colorDistance(colors[2]!, MASK), colorDistance(colors[2]!, [200, 204, 208]))).toBeLessThan(45);
    expect(Math.min(colorDistance(colors[3]!, MASK), colorDistance(colors[3]!, [200, 204, 208]))).toBeLessThan(45);
    expect(colorDistance(colors[4]!, VIRIDIS_BOTTOM)).toBeLessThan(40);
    await harness().page.evaluate(() => document.getElementById('map')?.remove());
  });
});
