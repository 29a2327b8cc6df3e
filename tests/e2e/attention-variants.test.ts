/**
 * The attention page's variants section (issue 13): the selector draws each variant's
 * picture (GQA's head grouping and the window's mask in `<attention-map>`, the skipped
 * tiles and split-K's partials in `<flash-tiles>`), and a run measures it with errors
 * against the float64 reference; no console error throughout.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPage } from '../support/browser';

const screens = join(import.meta.dirname, '../.artifacts/screens');

/** A screenshot of the variants section, from its heading to its table, for a reader to look at. */
async function shoot(page: import('puppeteer-core').Page, name: string) {
  mkdirSync(screens, { recursive: true });
  await page.setViewport({ width: 1200, height: 900 });
  const clip = await page.evaluate(() => {
    const a = document.getElementById('variants')!.getBoundingClientRect();
    const b = document.getElementById('variant-results')!.getBoundingClientRect();
    return { x: 0, y: a.top + window.scrollY, width: 1200, height: b.bottom - a.top + 8 };
  });
  await page.screenshot({ path: join(screens, name) as `${string}.png`, clip, captureBeyondViewport: true });
}

async function open(hash: string) {
  const tracked = await openPage(`/demos/attention.html#${hash}`, { waitFor: "customElements.get('ks-page') !== undefined" });
  await tracked.page.waitForFunction(() => document.body.dataset.ready !== 'pending', { timeout: 170_000 });
  return tracked;
}

/** Waits until every element in #variant-pictures has settled; returns what they drew. */
async function pictures(page: import('puppeteer-core').Page) {
  await page.waitForFunction(() => document.querySelectorAll('#variant-pictures > *').length > 0, { timeout: 60_000 });
  return page.evaluate(async () => {
    const els = [...document.querySelectorAll('#variant-pictures > *')] as (HTMLElement & { settled(): Promise<void>; model: any })[];
    for (const el of els) await el.settled();
    return els.map((el) => ({
      tag: el.tagName.toLowerCase(),
      kvHeads: el.model?.kvHeads,
      windowCells: el.model?.mask ? Array.from(el.model.mask as Uint8Array).filter((x) => x === 4).length : null,
      skipped: el.model?.skipped ? Array.from(el.model.skipped as Uint8Array).filter((x) => x === 1).length : null,
      splits: el.model?.splitK?.splits.length ?? null,
      captions: [...(el.shadowRoot?.querySelectorAll('figcaption') ?? [])].map((f) => f.textContent ?? ''),
    }));
  });
}

describe('attention page: variants', () => {
  it('draws GQA grouping, the window mask and skipped tiles, and split-K partials as the selector changes', async () => {
    const { page, errors } = await open('variant=gqa');
    try {
      const gqa = await pictures(page);
      expect(gqa[0]!.tag).toBe('attention-map');
      expect(gqa[0]!.kvHeads).toBe(2);
      expect(gqa[0]!.captions.filter((c) => /key head 1/.test(c))).toHaveLength(4);
      await page.select('#variant', 'window');
      const win = await pictures(page);
      expect(win.map((p) => p.tag)).toEqual(['attention-map', 'flash-tiles']);
      expect(win[0]!.windowCells).toBeGreaterThan(0);
      expect(win[1]!.skipped).toBeGreaterThan(0);
      await shoot(page, 'attention-variants-window.png');
      expect(await page.evaluate(() => location.hash)).toContain('variant=window');
      await page.select('#variant', 'decode');
      const dec = await pictures(page);
      expect(dec[0]!.tag).toBe('flash-tiles');
      expect(dec[0]!.splits).toBe(8);
      await shoot(page, 'attention-variants-decode.png');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('runs ALiBi on the GPU: four rows, each within f32 rounding of the float64 reference', async () => {
    const { page, errors } = await open('variant=alibi');
    try {
      await page.click('#run-variant');
      await page.waitForFunction(() => /^Done|^Error|^No WebGPU/.test(document.getElementById('variant-status')!.textContent ?? ''), {
        timeout: 170_000,
      });
      const r = await page.evaluate(() => ({
        status: document.getElementById('variant-status')!.textContent ?? '',
        rows: [...document.querySelectorAll('#variant-results tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent ?? '')),
      }));
      expect(r.status).toMatch(/^Done: alibi/);
      expect(r.rows.map((row) => row[0])).toEqual(['naive', 'naive, ALiBi', 'flash', 'flash, ALiBi']);
      for (const row of r.rows) expect(Number(row[4])).toBeLessThan(1e-5);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
