/**
 * The training and numerical-checking pages (issue 15) load with no console error,
 * are in the site's navigation, and do what they say: the training page trains the
 * denoiser (tiny sizes from the hash), samples with both denoisers and shows the
 * learned one farther from the training points than the exact one, and trains the
 * classifier; the gradcheck page passes every layer's GPU backward kernel, catches
 * every planted bug in the tensor it touches, puts the step sweep's optima near the
 * cube roots of the unit roundoffs, and passes each forward kernel's tolerance rule.
 */
import { describe, expect, it } from 'vitest';
import { openPage } from '../support/browser';

describe('training page', () => {
  it('trains the denoiser and the classifier live, and shows learned vs exact', async () => {
    const { page, errors } = await openPage(
      '/demos/training.html#steps=40&batch=64&samples=128&lr=0.003&csteps=60&autostart=1&classifier=1',
      {
        waitFor: "customElements.get('ks-page') !== undefined",
      },
    );
    try {
      await page.waitForFunction(() => document.body.dataset.ready !== 'pending', { timeout: 170_000 });
      await page.waitForFunction(() => document.body.dataset.trained !== undefined && document.body.dataset.ctrained !== undefined, {
        timeout: 170_000,
      });
      const r = await page.evaluate(() => {
        const m = document.getElementById('medians')!;
        return {
          ready: document.body.dataset.ready,
          trained: document.body.dataset.trained,
          ctrained: document.body.dataset.ctrained,
          learned: Number(m.dataset.learned),
          exact: Number(m.dataset.exact),
          lossPath: document.querySelector('#loss-plot g[data-series] path')?.getAttribute('d')?.length ?? 0,
          samples: document.querySelectorAll('#learned-plot .samples circle').length,
          bars: document.querySelectorAll('#hist-plot rect').length,
          accuracy: Number(document.getElementById('cstatus')!.dataset.accuracy),
          nav: [...(document.querySelector('ks-page')!.shadowRoot!.querySelectorAll('nav a') as NodeListOf<HTMLAnchorElement>)].map((a) =>
            a.getAttribute('href'),
          ),
        };
      });
      expect(errors).toEqual([]);
      expect(r.ready).toBe('true');
      expect(r.trained).toBe('true');
      expect(r.ctrained).toBe('true');
      expect(r.lossPath).toBeGreaterThan(20);
      expect(r.samples).toBe(128);
      expect(r.bars).toBeGreaterThan(4);
      // The exact denoiser lands on training points; even a 40-step network does not.
      expect(r.learned).toBeGreaterThan(10 * r.exact);
      expect(r.accuracy).toBeGreaterThan(0.5);
      expect(r.nav).toContain('./training.html');
      expect(r.nav).toContain('./gradcheck.html');
    } finally {
      await page.close();
    }
  });
});

describe('numerical checking page', () => {
  it('passes every layer’s kernel, catches every planted bug, and places the sweep’s optima', async () => {
    const { page, errors } = await openPage('/demos/gradcheck.html', { waitFor: "customElements.get('ks-page') !== undefined" });
    try {
      await page.waitForFunction(() => document.body.dataset.ready !== 'pending', { timeout: 170_000 });
      expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
      const results = await page.evaluate(async () => {
        const layer = document.getElementById('layer') as HTMLSelectElement;
        const bug = document.getElementById('bug') as HTMLSelectElement;
        const status = document.getElementById('status')!;
        const settle = async (change: () => void) => {
          status.textContent = '';
          change();
          while (!/^(Pass|FAIL|Error)/.test(status.textContent ?? '')) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, 50));
        };
        const out: { layer: string; bug: string; ok: string; failing: string[]; forward: string; best64: number; best32: number }[] = [];
        for (const l of [...layer.options].map((o) => o.value)) {
          await settle(() => {
            layer.value = l;
            layer.dispatchEvent(new Event('change'));
          });
          for (const b of [...bug.options].map((o) => o.value)) {
            await settle(() => {
              bug.value = b;
              bug.dispatchEvent(new Event('change'));
            });
            const rows = [...document.querySelectorAll('#report tbody tr')] as HTMLElement[];
            const sweep = document.getElementById('sweep-status')!;
            out.push({
              layer: l,
              bug: b,
              ok: status.dataset.ok ?? '',
              failing: rows.filter((r) => r.querySelector('td.fail')).map((r) => r.dataset.tensor ?? ''),
              forward: (document.querySelector('#forward tbody tr') as HTMLElement | null)?.dataset.ok ?? '',
              best64: Number(sweep.dataset.best64),
              best32: Number(sweep.dataset.best32),
            });
          }
        }
        return out;
      });
      expect(errors).toEqual([]);
      const expectedFailing: Record<string, string[]> = {
        'transpose-dx': ['x'],
        'transpose-dw': ['w'],
        'no-variance-term': ['x'],
      };
      for (const r of results) {
        const what = `${r.layer} / ${r.bug}`;
        expect(r.forward, what).toBe('true');
        if (r.bug === 'none') {
          expect(r.ok, what).toBe('true');
          expect(r.failing, what).toEqual([]);
          expect(r.best32, what).toBeGreaterThan(1e-5);
          // Linear, MSE and ReLU are polynomials of degree ≤ 2 along one coordinate (away from kinks):
          // no truncation error, so the float64 curve only rises as h shrinks. The others turn near ∛u.
          if (!['linear', 'mse', 'relu'].includes(r.layer)) {
            expect(r.best64, what).toBeGreaterThan(1e-8);
            expect(r.best64, what).toBeLessThan(1e-3);
          }
        } else {
          expect(r.ok, what).toBe('false');
          expect(r.failing, what).toEqual(expectedFailing[r.bug] ?? [r.layer === 'time' ? 't' : 'z']);
        }
      }
      expect(results.filter((r) => r.bug !== 'none').length).toBeGreaterThanOrEqual(10);
    } finally {
      await page.close();
    }
  });
});
