/**
 * The bench page at a tiny size: the Tune button tunes what the plan consults and
 * saves it to IndexedDB; a reload loads it back and says so; Run then shows the
 * configuration column ("(tuned)") and the "% of roof" column, which says the
 * roofline suite did not run instead of guessing. No timing is asserted; the
 * IndexedDB database is deleted at the end.
 */
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { openPage } from '../support/browser';

const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '');

async function setPlan(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const i of document.querySelectorAll<HTMLInputElement>('input[name=suite]')) i.checked = i.value === 'matmul';
    (document.getElementById('sizes') as HTMLInputElement).value = '64';
    (document.getElementById('peer') as HTMLSelectElement).value = '';
  });
}

describe('bench page', () => {
  it('Tune saves to IndexedDB, a reload loads it, Run shows the configuration and % of roof columns', { timeout: 600_000 }, async () => {
    const level = inject('featureLevel') === 'compatibility' ? '?featureLevel=compatibility' : '';
    const { page, errors } = await openPage(`/demos/bench.html${level}`, { waitFor: "document.getElementById('env').children.length > 0" });
    try {
      const head = await page.$$eval('#results thead th', (ths) => ths.map((th) => th.textContent));
      expect(head).toContain('% of roof (FMA|copy)');
      expect(head).toContain('spread ms: 95% CI of the median (n ≥ 10) or min–max');
      await setPlan(page);
      await page.click('#tune');
      await page.waitForFunction("document.getElementById('status').textContent.startsWith('tuned ')", { timeout: 540_000 });
      expect(await text(page, '#status')).toMatch(/tuned 1 kernel and shape class pair; saved to IndexedDB/);
      expect(await text(page, '#tuning')).toMatch(/^matmul large: .* ms against the default's .* candidates correct\)$/);

      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction("document.getElementById('status').textContent.startsWith('Loaded ')", { timeout: 120_000 });
      expect(await text(page, '#status')).toMatch(/Loaded 1 tuned configuration from IndexedDB/);
      expect(await text(page, '#env')).toMatch(/tuning.*on: 1 tuned configuration for this adapter, loaded from IndexedDB/);

      await setPlan(page);
      await page.click('#run');
      await page.waitForFunction("document.getElementById('status').textContent.startsWith('done')", { timeout: 300_000 });
      const cols = await page.$$eval('#results thead th', (ths) => ths.map((th) => th.textContent ?? ''));
      const rows = await page.$$eval('#results tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
      const auto = rows.find((r) => r[0] === 'matmul/auto/M64 K64 N64')!;
      expect(auto, JSON.stringify(rows)).toBeDefined();
      expect(auto[cols.indexOf('configuration')]).toMatch(/^auto → .*\(tuned\)$/);
      expect(auto[cols.indexOf('% of roof (FMA|copy)')]).toBe('n/a: roofline suite not run');
      expect(errors).toEqual([]);
    } finally {
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const r = indexedDB.deleteDatabase('kernelscope-tuning');
            r.onsuccess = r.onerror = r.onblocked = () => resolve();
          }),
      );
      await page.close();
    }
  });
});
