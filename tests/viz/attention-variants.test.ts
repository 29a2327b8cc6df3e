/**
 * The attention variants in the elements (issue 13): `<attention-map>` draws the masks
 * of a sliding window and the head grouping of grouped-query attention, its weights
 * equal to the float64 reference (GPU and CPU); `<flash-tiles>` skips the tiles left of
 * a window (the GPU trace agreeing with the CPU rule) and shows split-K's partials,
 * whose merge equals the exact row statistics; bad kv-heads is an inline error.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import { attentionReference } from '../../src/reference/attention';
import { checkTolerance } from '../../src/reference/compare';

const harness = useHarness();

async function mount(tag: string, props: Record<string, unknown>) {
  await harness().page.evaluate(
    async (tag: string, p: Record<string, unknown>) => {
      await window.ksImport(`/src/viz/${tag}/index.ts`);
      document.getElementById('el')?.remove();
      const el = document.createElement(tag) as any;
      el.id = 'el';
      el.gpu = window.gpu;
      Object.assign(el, p);
      document.body.append(el);
      await el.settled();
    },
    tag,
    props,
  );
}

describe('<attention-map> with a sliding window and grouped-query heads', () => {
  for (const backend of ['cpu', 'auto'] as const) {
    it(`hatches the keys outside the window, names each head's key head, and its weights equal the reference (${backend})`, async () => {
      await mount('attention-map', {
        pattern: 'random',
        n: 20,
        heads: 4,
        kvHeads: 2,
        slidingWindow: 3,
        causal: true,
        head: -1,
        backend,
        noControls: true,
      });
      const r = await harness().page.evaluate(async () => {
        const el = document.getElementById('el') as any;
        const m = el.model;
        const { generatePattern } = await window.ksImport('/src/viz/attention-map/patterns.ts');
        const p = generatePattern({ pattern: 'random', seed: 1, n: 20, heads: 4, dim: 32 });
        return {
          source: m.source,
          kvHeads: m.kvHeads,
          mask: Array.from(m.mask as Uint8Array),
          weights: Array.from(m.weights as Float32Array),
          scale: m.scale,
          q: Array.from(p.q.data as Float32Array),
          k: Array.from(p.k.data as Float32Array),
          captions: [...el.shadowRoot.querySelectorAll('figcaption')].map((f: Element) => f.textContent),
          status: el.shadowRoot.querySelector('.status').textContent,
          windowHatch: el.shadowRoot.querySelectorAll('rect.cell[fill="url(#am-hatch-window)"]').length,
        };
      });
      expect(r.source).toBe(backend === 'cpu' ? 'cpu' : 'gpu');
      expect(r.kvHeads).toBe(2);
      expect(r.status).toMatch(/grouped-query: 2 key heads, each shared by 2/);
      expect(r.captions.map((c: string) => /key head (\d)/.exec(c)?.[1])).toEqual(['0', '0', '1', '1']);
      // Query i sees keys i − 3 … i: the rest of the lower triangle is the window's.
      const n = 20;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(r.mask[i * n + j]).toBe(j > i ? 1 : j < i - 3 ? 4 : 0);
      expect(r.windowHatch).toBe((4 * ((n - 4) * (n - 3))) / 2);
      // The weights are attention with V = the identity: the reference with K shared per group.
      const d = 32;
      const k = Float32Array.from({ length: 2 * n * d }, (_, x) => r.k[Math.floor(x / (n * d)) * 2 * n * d + (x % (n * d))]!);
      const eye = Float32Array.from({ length: 2 * n * n }, (_, x) => (Math.floor(x / n) % n === x % n ? 1 : 0));
      const args = [
        { data: Float32Array.from(r.q), shape: [1, 4, n, d] },
        { data: k, shape: [1, 2, n, d] },
        { data: eye, shape: [1, 2, n, n] },
        { causal: true, window: 3, scale: r.scale },
      ] as const;
      const v = checkTolerance(r.weights, attentionReference(...args).data, attentionReference(...args, 'f32').data);
      expect(v.ok, JSON.stringify(v)).toBe(true);
    });
  }

  it('reports kv-heads that do not divide heads inline and keeps the last good map', async () => {
    await mount('attention-map', { pattern: 'local', n: 8, heads: 4, kvHeads: 2, backend: 'cpu', noControls: true });
    const r = await harness().page.evaluate(async () => {
      const el = document.getElementById('el') as any;
      const errors: string[] = [];
      el.addEventListener('ks-error', (e: CustomEvent) => errors.push(e.detail.message));
      el.setAttribute('kv-heads', '3');
      await el.settled();
      return { errors, alert: el.shadowRoot.querySelector('.error')?.textContent ?? '', kvHeads: el.model.kvHeads };
    });
    expect(r.errors.join(' ')).toMatch(/kv-heads 3 must divide heads 4/);
    expect(r.alert).toMatch(/showing the last good state/);
    expect(r.kvHeads).toBe(2);
  });
});

describe('<flash-tiles> with a sliding window and split-K', () => {
  it('skips the tiles left of the window (GPU trace = CPU rule) and merges split-K partials to the exact statistics', async () => {
    await mount('flash-tiles', { n: 160, dim: 32, causal: true, window: 20, keysPerSplit: 24, queryBlock: 2, noControls: true });
    const r = await harness().page.evaluate(async () => {
      const el = document.getElementById('el') as any;
      const m = el.model;
      const row = m.queryBlock * m.kBlocks;
      return {
        source: m.source,
        traceSkipped: m.trace.steps.map((s: { skipped: boolean }) => s.skipped),
        gridSkipped: Array.from(m.skipped.slice(row, row + m.kBlocks) as Uint8Array).map((x) => x === 1),
        blocks: [m.blockQ, m.blockK, m.kBlocks],
        exact: { max: Array.from(m.exact.max as Float64Array), sum: Array.from(m.exact.sum as Float64Array) },
        merged: { m: Array.from(m.splitK.merged.m as Float64Array), l: Array.from(m.splitK.merged.l as Float64Array) },
        splits: m.splitK.splits.length,
        cells: el.shadowRoot.querySelectorAll('svg.splitk rect.split').length,
        plotted: el.shadowRoot.querySelectorAll('svg.splitk g[data-row]').length,
        caption: el.shadowRoot.querySelector('figure.grid figcaption').textContent,
      };
    });
    expect(r.source).toBe('gpu');
    expect(r.traceSkipped).toEqual(r.gridSkipped);
    // Block 2 holds rows 2·blockQ …; every row's window starts at i − 20: the first tiles are skipped.
    const [blockQ, blockK] = r.blocks as [number, number, number];
    const firstTile = Math.floor(Math.max(0, 2 * blockQ - 20) / blockK);
    expect(r.traceSkipped.slice(0, firstTile).every(Boolean)).toBe(true);
    expect(r.traceSkipped[firstTile]).toBe(false);
    expect(r.caption).toMatch(/left of the 20-key window/);
    expect(r.splits).toBe(Math.ceil(160 / 24));
    expect(r.cells).toBe(r.splits * r.plotted);
    r.merged.m.forEach((x: number, i: number) => expect(Math.abs(x - r.exact.max[i]!)).toBeLessThan(1e-9));
    r.merged.l.forEach((x: number, i: number) => expect(Math.abs(x - r.exact.sum[i]!)).toBeLessThan(1e-9 * r.exact.sum[i]!));
  });
});
