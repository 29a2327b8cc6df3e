/**
 * Embedding the elements as notes do: every element under a strict CSP
 * (`script-src 'self'`, no eval, no inline script), and the one-script-tag IIFE
 * build opened from file:// (where module scripts are blocked by CORS).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { openPage } from '../support/browser';

const ELEMENTS = ['attention-map', 'flash-tiles', 'loss-landscape', 'diffusion-steps'];
const allDrawn = `(${JSON.stringify(ELEMENTS)}).every((t) => window.drawn && window.drawn[t])`;

describe('embedding', () => {
  it('shows every element under a strict CSP with no violation', async () => {
    const { page, errors } = await openPage('/tests/support/csp.html', { waitFor: allDrawn, timeoutMs: 170_000 });
    try {
      const r = await page.evaluate(() => ({ drawn: window.drawn, violations: window.cspViolations }));
      expect(r.violations).toEqual([]);
      expect(r.drawn).toEqual(Object.fromEntries(ELEMENTS.map((t) => [t, 'ok'])));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('loads from one classic script tag on a file:// page', async () => {
    const root = join(import.meta.dirname, '../..');
    const outDir = join(root, 'tests/.artifacts/lib');
    await build({ configFile: join(root, 'vite.lib.config.ts'), mode: 'iife', logLevel: 'warn', build: { outDir } });
    const note = join(outDir, 'note.html');
    writeFileSync(
      note,
      `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="./kernelscope.iife.js"></script>
<loss-landscape surface="saddle" optimizers="sgd,momentum" steps="30" resolution="40" backend="cpu"></loss-landscape>
<attention-map pattern="previous" n="10" heads="1" dim="16"></attention-map>`,
    );
    mkdirSync(outDir, { recursive: true });
    const { page, errors } = await openPage(pathToFileURL(note).href, {
      waitFor: `['loss-landscape','attention-map'].every((t) => customElements.get(t)) && !!document.querySelector('attention-map').shadowRoot?.querySelector('svg, canvas') && !!document.querySelector('loss-landscape').shadowRoot?.querySelector('svg')`,
      timeoutMs: 170_000,
    });
    try {
      const api = await page.evaluate(
        () => typeof (window as unknown as { kernelscope?: { LossLandscape?: unknown } }).kernelscope?.LossLandscape,
      );
      expect(api).toBe('function');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
