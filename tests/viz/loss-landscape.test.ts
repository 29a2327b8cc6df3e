/**
 * `<loss-landscape>` in a page of its own: it renders contours, one path per
 * optimizer and a legend; responds to attributes and clicks; survives bad
 * attributes (keeping the last good picture, with an inline error and no markup
 * injected); exports SVG, PNG and JSON; releases its GPU buffers; falls back to
 * the CPU reference without WebGPU; and draws the MLP slice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { openPage, type TrackedPage } from '../support/browser';

let tracked: TrackedPage;
let page: Page;

beforeAll(async () => {
  tracked = await openPage('/tests/support/loss-landscape.html', { waitFor: 'window.llReady === true' });
  page = tracked.page;
});
afterAll(async () => {
  expect(tracked.errors, 'console errors').toEqual([]);
  await page.close();
});

/** Creates an element with `attrs`, waits for its computation, and returns a DOM summary. */
async function mount(attrs: Record<string, string>) {
  return page.evaluate(async (attrs: Record<string, string>) => {
    const host = document.getElementById('host')!;
    host.replaceChildren();
    const el = document.createElement('loss-landscape') as any;
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    host.append(el);
    await el.computed;
    return null;
  }, attrs);
}

function summary() {
  return page.evaluate(() => {
    const el = document.querySelector('loss-landscape') as any;
    const root = el.shadowRoot as ShadowRoot;
    return {
      contours: root.querySelectorAll('g.contours path').length,
      paths: [...root.querySelectorAll('g.trails polyline')].map((p) => (p.getAttribute('points') ?? '').split(' ').filter(Boolean).length),
      legend: [...root.querySelectorAll('ul.legend li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim()),
      error: root.querySelector('.error')?.textContent ?? null,
      backend: el.result?.backend ?? null,
      status: root.querySelector('.backend')?.textContent ?? '',
      surface: el.result?.config.surface.kind ?? null,
      steps: el.result ? el.result.shape[2] - 1 : null,
      frame: el.frame,
    };
  });
}

describe('<loss-landscape>', () => {
  it('renders filled contours, one path per optimizer, and a legend with the current loss', async () => {
    await mount({ surface: 'rosenbrock', optimizers: 'sgd,momentum,adam', steps: '40', resolution: '48', lr: '0.001' });
    // (the next test reuses this element)
    const s = await summary();
    expect(s.backend).toBe('gpu');
    expect(s.contours).toBeGreaterThan(8);
    expect(s.paths).toEqual([41, 41, 41]);
    expect(s.legend).toHaveLength(3);
    expect(s.legend[0]).toMatch(/^SGD \d/);
    expect(s.error).toBeNull();
  });

  it('responds to attributes, to clicks (a new start) and to play / step', async () => {
    const r = await page.evaluate(async () => {
      const el = document.querySelector('loss-landscape') as any;
      el.setAttribute('surface', 'himmelblau');
      el.setAttribute('steps', '25');
      el.setAttribute('resolution', '32');
      el.removeAttribute('lr');
      await el.computed;
      const after = { surface: el.result.config.surface.kind, steps: el.result.shape[2] - 1 };
      let started: any = null;
      el.addEventListener('ks-start', (e: CustomEvent) => (started = e.detail));
      const svg = el.shadowRoot.querySelector('svg.main') as SVGSVGElement;
      const box = svg.getBoundingClientRect();
      svg.dispatchEvent(
        new MouseEvent('click', { clientX: box.left + box.width * 0.6, clientY: box.top + box.height * 0.4, bubbles: true }),
      );
      await el.computed;
      // The element's own lr input overrides every optimizer's learning rate.
      const lrInput = el.shadowRoot.querySelector('input') as HTMLInputElement;
      lrInput.value = '0.005';
      lrInput.dispatchEvent(new Event('change'));
      await el.computed;
      const lrs = el.result.config.optimizers.map((o: any) => o.lr);
      el.rewind();
      el.step();
      el.step();
      await el.updateComplete;
      const frame = el.frame;
      const drawn = [...el.shadowRoot.querySelectorAll('g.trails polyline')].map(
        (p: Element) => p.getAttribute('points')!.split(' ').length,
      );
      return { after, started, start: el.result.config.starts[0], frame, drawn, lrs };
    });
    expect(r.after).toEqual({ surface: 'himmelblau', steps: 25 });
    expect(r.started).not.toBeNull();
    expect(r.start[0]).toBeCloseTo(r.started.x, 2);
    expect(r.frame).toBe(2);
    expect(r.lrs).toEqual([0.005, 0.005, 0.005]);
    expect(r.drawn.every((n: number) => n === 3)).toBe(true);
  });

  it('survives bad attributes: inline error, last good picture kept, no markup injected', async () => {
    await mount({ surface: 'quadratic', optimizers: 'sgd,adam', steps: '5', resolution: '16' });
    const r = await page.evaluate(async () => {
      const el = document.querySelector('loss-landscape') as any;
      const good = el.result;
      const errors: string[] = [];
      // Each bad attribute is parsed before the previous ones, so its message wins while the
      // earlier ones stay bad: no valid configuration (and no recomputation) in between.
      const tries: [string, string][] = [
        ['resolution', '100000'],
        ['steps', '1e9'],
        ['start', '[1, "x"]'],
        ['optimizers', 'sgd,lion'],
        ['optimizers', '[{"kind": "adam", '],
        ['lr', 'fast'],
        ['surface', 'ackley'],
        ['mode', 'three-d'],
      ];
      const before = Object.fromEntries(tries.map(([k]) => [k, el.getAttribute(k)]));
      for (const [k, v] of tries) {
        el.setAttribute(k, v);
        await el.updateComplete;
        errors.push(el.shadowRoot.querySelector('.error')?.textContent ?? 'no error shown');
      }
      const kept = el.result === good && el.shadowRoot.querySelectorAll('g.trails polyline').length === 2;
      for (const [k, v] of Object.entries(before)) {
        if (v === null) el.removeAttribute(k);
        else el.setAttribute(k, v as string);
      }
      await el.computed;
      const cleared = el.shadowRoot.querySelector('.error') === null;
      // markup in a label renders as text
      el.setAttribute('optimizers', JSON.stringify([{ kind: 'adam', label: '<img src=x onerror="window.pwned=1"><b>bold</b>' }]));
      await el.computed;
      await new Promise((r) => setTimeout(r, 50));
      const legend = el.shadowRoot.querySelector('ul.legend li .label')?.textContent;
      const injected = el.shadowRoot.querySelectorAll('img, b').length;
      return {
        errors,
        kept,
        cleared,
        legend,
        injected,
        pwned: (window as any).pwned ?? null,
        contours: el.shadowRoot.querySelectorAll('g.contours path').length,
      };
    });
    expect(r.errors[0]).toMatch(/^loss-landscape: resolution must be an integer in \[8, 512\], got "100000"/);
    expect(r.errors[1]).toMatch(/^loss-landscape: steps must be an integer in \[0, 5000\], got "1e9"/);
    expect(r.errors[2]).toMatch(/^start:/);
    expect(r.errors[3]).toMatch(/unknown optimizer "lion"/);
    expect(r.errors[4]).toMatch(/^optimizers: bad JSON/);
    expect(r.errors[5]).toMatch(/^loss-landscape: lr must be a number in \[0, 1000\], got "fast"/);
    expect(r.errors[6]).toMatch(/^loss-landscape: surface must be one of .*, got "ackley"/);
    expect(r.errors[7]).toMatch(/^loss-landscape: mode must be one of analytic, mlp, got "three-d"/);
    expect(r.kept).toBe(true);
    expect(r.cleared).toBe(true);
    expect(r.contours).toBeGreaterThan(8);
    expect(r.legend).toBe('<img src=x onerror="window.pwned=1"><b>bold</b>');
    expect(r.injected).toBe(0);
    expect(r.pwned).toBeNull();
  });

  it('exports SVG, PNG and trajectories JSON, and leaves no GPU buffer behind', async () => {
    await mount({ surface: 'beale', optimizers: 'adam,amsgrad', steps: '20', resolution: '32', start: '[[1,1],[-1,2]]' });
    const r = await page.evaluate(async () => {
      const el = document.querySelector('loss-landscape') as any;
      const svgText: string = el.exportSvg();
      const png: Blob = await el.exportPng();
      const json = el.exportJson();
      const { acquireGpu, releaseGpu } = await window.ksImport('/src/viz/shared-gpu.ts');
      const gpu = await acquireGpu();
      const live = gpu.memory.liveBuffers;
      releaseGpu();
      return {
        svgOk: svgText.startsWith('<svg') && svgText.includes('polyline') && svgText.includes('xmlns'),
        stroke: /stroke="(#|rgb)/.test(svgText),
        pngType: png.type,
        pngBytes: png.size,
        trajectories: json.trajectories.length,
        points: json.trajectories[3].points.length,
        label: json.trajectories[0].optimizer.label,
        live,
      };
    });
    expect(r.svgOk).toBe(true);
    expect(r.stroke).toBe(true);
    expect(r.pngType).toBe('image/png');
    expect(r.pngBytes).toBeGreaterThan(1000);
    expect(r.trajectories).toBe(4);
    expect(r.points).toBe(21);
    expect(r.label).toBe('Adam');
    expect(r.live).toBe(0);
  });

  it('exports a diverging run at the size of the figure: clipped trajectories do not stretch the SVG', async () => {
    // SGD and momentum at lr 0.01 on Rosenbrock leave the plot within a few steps (their points reach ±1e20).
    await mount({ surface: 'rosenbrock', optimizers: 'sgd,momentum,adam', steps: '40', resolution: '24', lr: '0.01' });
    const r = await page.evaluate(async () => {
      const el = document.querySelector('loss-landscape') as any;
      const { svgSize } = await window.ksImport('/src/viz/svg-snapshot.ts');
      const box = el.getBoundingClientRect();
      const xs: number[] = el.exportJson().trajectories[0].points.map((p: number[]) => Math.abs(p[0]!));
      return { svg: svgSize(el.exportSvg()), width: box.width, height: box.height, farthest: Math.max(...xs.filter(Number.isFinite)) };
    });
    expect(r.farthest, 'the SGD path leaves the plot [-2, 2]').toBeGreaterThan(10);
    expect(r.svg.width).toBeLessThanOrEqual(r.width + 40);
    expect(r.svg.height).toBeLessThanOrEqual(r.height + 40);
  });

  it('draws the MLP slice; at the origin it equals the trained loss', async () => {
    await mount({ mode: 'mlp', resolution: '9', steps: '5', optimizers: 'sgd,adam', seed: '1' });
    const r = await page.evaluate(() => {
      const el = document.querySelector('loss-landscape') as any;
      const res = el.result;
      return {
        origin: res.grid[4 * 9 + 4],
        trained: res.mlp.loss,
        backend: res.backend,
        paths: el.shadowRoot.querySelectorAll('g.trails polyline').length,
        contours: el.shadowRoot.querySelectorAll('g.contours path').length,
      };
    });
    expect(r.backend).toBe('gpu');
    expect(Math.abs(r.origin - r.trained)).toBeLessThan(1e-5);
    expect(r.paths).toBe(2);
    expect(r.contours).toBeGreaterThan(5);
  });
});

describe('<loss-landscape> without WebGPU', () => {
  it('falls back to the CPU reference and says so', async () => {
    const t = await openPage('/tests/support/loss-landscape.html?nogpu', { waitFor: 'window.llReady === true' });
    try {
      await t.page.evaluate(async () => {
        const el = document.createElement('loss-landscape') as any;
        el.setAttribute('surface', 'saddle');
        el.setAttribute('steps', '10');
        el.setAttribute('resolution', '24');
        document.getElementById('host')!.append(el);
        await el.computed;
      });
      const s = await t.page.evaluate(() => {
        const el = document.querySelector('loss-landscape') as any;
        return {
          backend: el.result.backend,
          status: el.shadowRoot.querySelector('.backend').textContent,
          paths: el.shadowRoot.querySelectorAll('g.trails polyline').length,
        };
      });
      expect(s.backend).toBe('cpu');
      expect(s.status).toMatch(/CPU reference \(no WebGPU: navigator\.gpu is missing/);
      expect(s.paths).toBe(3);
      expect(t.errors).toEqual([]);
    } finally {
      await t.page.close();
    }
  });
});
