/**
 * The Jupyter route: the built anywidget module of an element, loaded as a notebook loads it (from
 * its text, through a blob URL, on a page with nothing else), rendered with a fake anywidget model.
 * `attrs` syncs both ways (model → attributes, and an attribute the element changes → model), the
 * `error` trait gets `ks-error` messages, `export-svg` is answered, and cleanup removes it all.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { inject } from 'vitest';
import puppeteer from 'puppeteer-core';
import { attributeText } from '../../src/viz/anywidget';

const ROOT = join(import.meta.dirname, '../..');

describe('anywidget modules', () => {
  it('writes attribute values as Python sends them', () => {
    expect(attributeText(true)).toBe('');
    expect(attributeText(false)).toBeNull();
    expect(attributeText(null)).toBeNull();
    expect(attributeText(16)).toBe('16');
    expect(attributeText('local')).toBe('local');
  });

  it('renders <attention-map> from its built module with a fake model, synced both ways', async () => {
    const outDir = join(ROOT, 'tests/.artifacts/anywidget');
    await build({ configFile: join(ROOT, 'vite.lib.config.ts'), mode: 'anywidget:attention-map', logLevel: 'warn', build: { outDir } });
    const code = readFileSync(join(outDir, 'anywidget/attention-map.js'), 'utf8');
    expect(code).not.toMatch(/^import /m);

    const browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint') });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String((e as Error).message ?? e)));
    try {
      // A page of the test server that defines no element: the module must bring its own.
      await page.goto(`${inject('baseUrl')}/tests/support/harness.html`, { waitUntil: 'load' });
      await page.waitForFunction('window.ksImport !== undefined');
      const r = await page.evaluate(async (text: string) => {
        const before = customElements.get('attention-map') !== undefined;
        const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
        const mod = (await window.ksImport(url)).default;
        type Cb = (...a: unknown[]) => void;
        const fake = {
          state: { attrs: { pattern: 'previous', n: 8, heads: 1, causal: true, 'no-controls': true }, error: '' } as Record<string, any>,
          handlers: new Map<string, Set<Cb>>(),
          saves: 0,
          sent: [] as unknown[],
          get(name: string) {
            return this.state[name];
          },
          set(name: string, value: unknown) {
            this.state[name] = value;
          },
          save_changes() {
            this.saves++;
          },
          on(event: string, cb: Cb) {
            if (!this.handlers.has(event)) this.handlers.set(event, new Set());
            this.handlers.get(event)!.add(cb);
          },
          off(event: string, cb: Cb) {
            this.handlers.get(event)?.delete(cb);
          },
          send(content: unknown) {
            this.sent.push(content);
          },
          /** What the Python side does: set a trait and tell the front end. */
          pyset(name: string, value: unknown) {
            this.state[name] = value;
            for (const cb of this.handlers.get(`change:${name}`) ?? []) cb();
          },
          msg(content: unknown) {
            for (const cb of this.handlers.get('msg:custom') ?? []) cb(content);
          },
        };
        const host = document.createElement('div');
        document.body.append(host);
        const cleanup = mod.render({ model: fake, el: host });
        const el = host.querySelector('attention-map') as any;
        await el.settled();
        const first = { n: el.getAttribute('n'), causal: el.hasAttribute('causal'), rows: el.model.Nq };
        // Python → element.
        fake.pyset('attrs', { ...fake.state.attrs, n: 12, causal: false });
        await new Promise((r) => setTimeout(r, 0));
        await el.settled();
        const second = { n: el.getAttribute('n'), causal: el.hasAttribute('causal'), rows: el.model.Nq };
        // Element → Python: an attribute changed on the element (as a control or a click does).
        el.setAttribute('temperature', '2');
        await new Promise((r) => setTimeout(r, 0));
        const synced = { ...fake.state.attrs };
        await el.settled();
        await new Promise((r) => setTimeout(r, 50));
        // A bad value from Python: the error trait gets the element's message.
        fake.pyset('attrs', { ...fake.state.attrs, n: 'many' });
        await new Promise((r) => setTimeout(r, 0));
        await el.settled();
        const error = fake.state.error;
        fake.pyset('attrs', { ...fake.state.attrs, n: 6 });
        await new Promise((r) => setTimeout(r, 0));
        await el.settled();
        await new Promise((r) => setTimeout(r, 50));
        const cleared = fake.state.error;
        fake.msg({ type: 'export-svg' });
        const svg = (fake.sent[0] as { svg?: string })?.svg ?? '';
        cleanup();
        return {
          before,
          first,
          second,
          synced,
          error,
          cleared,
          svgStart: svg.slice(0, 4),
          removed: host.children.length,
          handlers: [...fake.handlers.values()].reduce((n, s) => n + s.size, 0),
        };
      }, code);
      expect(r.before).toBe(false);
      expect(r.first).toEqual({ n: '8', causal: true, rows: 8 });
      expect(r.second).toEqual({ n: '12', causal: false, rows: 12 });
      // Typed values stay typed; the element's change arrives as text.
      expect(r.synced).toEqual({ pattern: 'previous', n: 12, heads: 1, 'no-controls': true, temperature: '2' });
      expect(r.error).toMatch(/attention-map: n must be an integer/);
      expect(r.cleared).toBe('');
      expect(r.svgStart).toBe('<svg');
      expect(r.removed).toBe(0);
      expect(r.handlers).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      browser.disconnect();
    }
  });
});
