/**
 * Attributes read through the attribute module, in the page: the hostile sizes of
 * issue 10 (`size="1e9"`, `size="abc"`), the `ks-error` event and its detail, the last
 * good picture kept while any attribute is bad, recovery when the attribute is fixed or
 * removed, rules across attributes, and `<diffusion-steps mode>` (which showed an
 * inline error without firing `ks-error`).
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

describe('element attributes', () => {
  it('<attention-map size>: 1e9 and abc are refused with ks-error, the plot keeps its size, removing the attribute restores it', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/attention-map/index.ts');
      const el = document.createElement('attention-map') as any;
      el.gpu = window.gpu;
      for (const [k, v] of Object.entries({ pattern: 'local', n: '8', heads: '1', dim: '16', size: '240', 'no-controls': '' }))
        el.setAttribute(k, v);
      document.body.append(el);
      await el.settled();
      const width = () => el.shadowRoot.querySelector('svg.map').getAttribute('width');
      const alert = () => el.shadowRoot.querySelector('[role=alert]')?.textContent ?? null;
      const events: any[] = [];
      el.addEventListener('ks-error', (e: CustomEvent) => events.push({ ...e.detail, bubbles: e.bubbles, composed: e.composed }));
      const before = width();
      const seen: { alert: string | null; width: string; size: number }[] = [];
      for (const v of ['1e9', 'abc', '', '-1', '1e308']) {
        el.setAttribute('size', v);
        await el.settled();
        seen.push({ alert: alert(), width: width(), size: el.size });
      }
      el.removeAttribute('size');
      await el.settled();
      const cleared = { alert: alert(), width: width(), size: el.size };
      el.remove();
      return { before, seen, events, cleared };
    });
    expect(r.seen.map((s) => s.width)).toEqual(Array(5).fill(r.before));
    expect(r.seen.map((s) => s.size)).toEqual(Array(5).fill(240));
    expect(r.seen[0]!.alert).toMatch(/^attention-map: size must be an integer in \[64, 2048\], got "1e9" \(showing the last good state\)/);
    expect(r.seen[1]!.alert).toMatch(/size must be an integer in \[64, 2048\], got "abc"/);
    expect(r.events).toHaveLength(5);
    expect(r.events[0]).toEqual({
      attribute: 'size',
      value: '1e9',
      message: 'attention-map: size must be an integer in [64, 2048], got "1e9"',
      bubbles: true,
      composed: true,
    });
    // Removed: the default size (400) is drawn, and the error is gone.
    expect(r.cleared.alert).toBeNull();
    expect(r.cleared.size).toBe(400);
    expect(Number(r.cleared.width)).toBeGreaterThan(Number(r.before));
  });

  it('while any attribute is bad nothing new is computed; fixing the last one computes with every good change', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/flash-tiles/index.ts');
      const el = document.createElement('flash-tiles') as any;
      el.gpu = window.gpu;
      for (const [k, v] of Object.entries({ n: '32', dim: '16', backend: 'cpu', 'no-controls': '' })) el.setAttribute(k, v);
      document.body.append(el);
      await el.settled();
      const alert = () => el.shadowRoot.querySelector('[role=alert]')?.textContent ?? null;
      const nq = () => el.model.Nq;
      const out: [string | null, number][] = [[alert(), nq()]];
      el.setAttribute('dim', 'Infinity');
      el.setAttribute('block-q', '0');
      await el.settled();
      out.push([alert(), nq()]);
      el.setAttribute('n', '64'); // good, but held back: two attributes are still bad
      el.setAttribute('dim', '16');
      await el.settled();
      out.push([alert(), nq()]);
      el.removeAttribute('block-q'); // the last bad one: now n = 64 is computed
      await el.settled();
      out.push([alert(), nq()]);
      // A property set again to its (last good) value reads it again: the error clears.
      el.pattern = 'constructor';
      await el.settled();
      out.push([alert(), nq()]);
      el.pattern = 'random';
      await el.settled();
      out.push([alert(), nq()]);
      el.remove();
      return out;
    });
    expect(r[0]).toEqual([null, 32]);
    expect(r[1]![0]).toMatch(/block-q must be an integer in \[1, 256\], got "0"/);
    expect(r[1]![1]).toBe(32);
    expect(r[2]![0]).toMatch(/block-q/);
    expect(r[2]![1]).toBe(32);
    expect(r[3]).toEqual([null, 64]);
    expect(r[4]![0]).toMatch(/pattern must be one of random, local, sink, previous, got "constructor"/);
    expect(r[5]).toEqual([null, 64]);
  });

  it('<diffusion-steps>: a bad mode fires ks-error; a rule across attributes (steps ≤ timesteps) names its attribute', async () => {
    const r = await harness().page.evaluate(async () => {
      await window.ksImport('/src/viz/diffusion-steps/index.ts');
      const el = document.createElement('diffusion-steps') as any;
      el.gpu = window.gpu;
      for (const [k, v] of Object.entries({ dataset: 'rings', samples: '32', steps: '4' })) el.setAttribute(k, v);
      document.body.append(el);
      await el.settled();
      const events: any[] = [];
      el.addEventListener('ks-error', (e: CustomEvent) => events.push(e.detail));
      const alert = () => el.shadowRoot.querySelector('[role=alert]')?.textContent ?? null;
      el.setAttribute('mode', 'sideways');
      await el.settled();
      const mode = { alert: alert(), state: el.state.mode };
      el.removeAttribute('mode');
      el.setAttribute('timesteps', '3');
      await el.settled();
      const rule = alert();
      el.setAttribute('steps', '2');
      await el.settled();
      const fixed = { alert: alert(), steps: el.result.config.steps, T: el.result.config.timesteps };
      el.remove();
      return { events, mode, rule, fixed };
    });
    expect(r.mode.alert).toMatch(/^diffusion-steps: mode must be one of reverse, forward, got "sideways"/);
    expect(r.mode.state).toBe('reverse');
    expect(r.events[0]).toEqual({ attribute: 'mode', value: 'sideways', message: expect.stringMatching(/mode must be one of/) });
    expect(r.rule).toMatch(/steps must be an integer in \[1, 3\] \(at most timesteps\), got 4/);
    expect(r.events[1]).toMatchObject({ attribute: 'steps', value: 4 });
    expect(r.fixed).toEqual({ alert: null, steps: 2, T: 3 });
  });
});
