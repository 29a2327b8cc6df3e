/**
 * Every demo page loads with no console error and no unhandled rejection, shows
 * the shared shell, and leaves a screenshot in tests/.artifacts/screens/ to look at.
 * A page that does initial GPU work sets `document.body.dataset.ready = 'true'`
 * when done (or 'error: …'); pages without GPU work are checked after load.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPage } from '../support/browser';

const demosDir = join(import.meta.dirname, '../../demos');
const pages = readdirSync(demosDir).filter((f) => f.endsWith('.html'));
const screens = join(import.meta.dirname, '../.artifacts/screens');
mkdirSync(screens, { recursive: true });

describe('demo pages', () => {
  it.each(pages)('%s loads cleanly', async (file) => {
    const { page, errors } = await openPage(`/demos/${file}`, { waitFor: "customElements.get('ks-page') !== undefined" });
    try {
      await page.setViewport({ width: 1200, height: 900 });
      await page.waitForFunction(() => !document.body.hasAttribute('data-ready') || document.body.dataset.ready !== 'pending', {
        timeout: 170_000,
      });
      const ready = await page.evaluate(() => document.body.dataset.ready ?? 'n/a');
      const shell = await page.evaluate(() => document.querySelector('ks-page')?.shadowRoot?.querySelector('nav a') !== null);
      await page.screenshot({ path: join(screens, file.replace('.html', '.png')) as `${string}.png`, fullPage: true });
      expect(errors).toEqual([]);
      expect(ready).not.toMatch(/^error/);
      expect(shell).toBe(true);
    } finally {
      await page.close();
    }
  });
});
