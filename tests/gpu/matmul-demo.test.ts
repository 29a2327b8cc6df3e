/**
 * The matmul demo page without WebGPU: it must say so plainly (the shell's
 * banner) and show the CPU reference's result instead, with no console error.
 */
import { describe, expect, inject, it } from 'vitest';
import puppeteer from 'puppeteer-core';

describe('demos/matmul.html without WebGPU', () => {
  it('shows the banner and the CPU reference result', async () => {
    const browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 300_000 });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String((e as Error).message ?? e)));
    try {
      await page.evaluateOnNewDocument(() => {
        Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
      });
      await page.goto(`${inject('baseUrl')}/demos/matmul.html#n=64`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.ready && document.body.dataset.ready !== 'pending', { timeout: 120_000 });
      const r = await page.evaluate(() => ({
        ready: document.body.dataset.ready,
        banner: document.querySelector('ks-page')?.shadowRoot?.querySelector('.banner')?.textContent ?? '',
        rows: [...document.querySelectorAll('#results tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
        status: document.getElementById('status')?.textContent ?? '',
        bars: document.querySelectorAll('#chart rect').length,
      }));
      expect(r.ready).toBe('true');
      expect(r.banner).toMatch(/No WebGPU here: showing the CPU reference/);
      expect(r.status).toMatch(/No WebGPU .*CPU reference at 64³/);
      expect(r.rows.map((row) => row[0])).toEqual(['CPU reference (float64)', 'CPU reference (f32 steps)']);
      expect(Number(r.rows[1]![4])).toBeGreaterThan(0);
      expect(r.bars).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await browser.disconnect();
    }
  });
});
