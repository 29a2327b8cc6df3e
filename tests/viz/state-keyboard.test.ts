/**
 * State that changes the picture survives a reload, and every pointer interaction has a keyboard
 * equivalent. On demos/elements.html (the page shell keeps element state in the URL hash):
 * - keys only: a query selected on <attention-map> (arrows, Enter), a tile stepped to on
 *   <flash-tiles>, a start point set on <loss-landscape>; plus its typed learning rate and
 *   <diffusion-steps>' forward mode and frame from its controls;
 * - each lands in an attribute and in the hash; after a reload every element shows the same state;
 * - the page's skip link is the first stop of Tab, and Enter on it moves focus to the content.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { openPage } from '../support/browser';

const READY = "document.body.dataset.ready === 'true'";

/** Waits for every element of the page to settle. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const els = [...document.querySelectorAll('attention-map, flash-tiles, loss-landscape, diffusion-steps')] as unknown as {
      settled(): Promise<void>;
    }[];
    await Promise.all(els.map((e) => e.settled()));
  });
}

/** Focuses the first element matching `selector` in the shadow root of the first `tag`. */
async function focusIn(page: Page, tag: string, selector: string): Promise<void> {
  await page.evaluate(
    (t: string, s: string) => (document.querySelector(t)!.shadowRoot!.querySelector(s) as HTMLElement | SVGElement).focus(),
    tag,
    selector,
  );
}

async function press(page: Page, keys: string[]): Promise<void> {
  for (const k of keys) await page.keyboard.press(k as Parameters<Page['keyboard']['press']>[0]);
}

/** The state each element shows (not only its attributes). */
function shown(page: Page) {
  return page.evaluate(() => {
    const q = (t: string) => document.querySelector(t) as any;
    const am = q('attention-map');
    const ft = q('flash-tiles');
    const ll = q('loss-landscape');
    const ds = q('diffusion-steps');
    return {
      attrs: {
        selectedQuery: am.getAttribute('selected-query'),
        step: ft.getAttribute('step'),
        start: ll.getAttribute('start'),
        lrAll: ll.getAttribute('lr-all'),
        mode: ds.getAttribute('mode'),
        frame: ds.getAttribute('frame'),
      },
      bars: am.shadowRoot.querySelectorAll('svg.bars rect.bar, svg.bars rect.bar-mask').length,
      outlined: am.shadowRoot.querySelectorAll('rect.outline').length,
      current: ft.shadowRoot.querySelector('rect[data-state="current"]')?.getAttribute('data-k') ?? null,
      firstStart: ll.result?.config.starts[0] ?? null,
      lr: ll.result?.config.optimizers.map((o: { lr: number }) => o.lr) ?? [],
      dsState: { mode: ds.state.mode, frame: ds.state.frame },
      hash: location.hash,
    };
  });
}

describe('state in attributes and the URL hash, and the keyboard', () => {
  it('keys set a query, a tile and a start; controls set lr, mode and frame; a reload keeps them all', async () => {
    const { page, errors } = await openPage('/demos/elements.html', { waitFor: READY, timeoutMs: 170_000 });
    try {
      await page.setViewport({ width: 1200, height: 900 });
      await settle(page);
      // <attention-map>: focus the map, move down three rows, Enter selects query 3.
      await focusIn(page, 'attention-map', 'svg.map');
      await press(page, ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'Enter']);
      // <flash-tiles>: focus the grid; the cursor starts on the traced row's current tile; Home, then Enter steps to tile 0.
      await focusIn(page, 'flash-tiles', 'svg.grid');
      await press(page, ['Home', 'Enter']);
      // <loss-landscape>: move the start marker up two places and start there.
      await focusIn(page, 'loss-landscape', 'svg.main');
      await press(page, ['ArrowUp', 'ArrowUp', 'Enter']);
      // Its learning-rate input, and <diffusion-steps>' forward button and step slider.
      await page.evaluate(() => {
        const ll = document.querySelector('loss-landscape')!.shadowRoot!;
        const lr = ll.querySelector('input[placeholder]') as HTMLInputElement;
        lr.value = '0.02';
        lr.dispatchEvent(new Event('change', { bubbles: true }));
        const ds = document.querySelector('diffusion-steps')!.shadowRoot!;
        const forward = [...ds.querySelectorAll('button')].find((b) => /forward/.test(b.textContent ?? ''))!;
        forward.click();
      });
      await settle(page);
      await page.evaluate(() => {
        const slider = document.querySelector('diffusion-steps')!.shadowRoot!.querySelector('input[type="range"]') as HTMLInputElement;
        slider.value = '2';
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await settle(page);
      const before = await shown(page);
      expect(before.attrs).toEqual({
        selectedQuery: '3',
        step: '1',
        start: expect.stringMatching(/^-?\d/),
        lrAll: '0.02',
        mode: 'forward',
        frame: '2',
      });
      expect(before.bars).toBeGreaterThan(0);
      expect(before.current).toBe('0');
      expect(before.lr.every((v: number) => v === 0.02)).toBe(true);
      expect(before.dsState).toEqual({ mode: 'forward', frame: 2 });
      for (const key of [
        'attention-map-0.selected-query=3',
        'flash-tiles-0.step=1',
        'loss-landscape-0.start=',
        'loss-landscape-0.lr-all=0.02',
        'diffusion-steps-0.mode=forward',
        'diffusion-steps-0.frame=2',
      ])
        expect(before.hash).toContain(key);

      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction(READY, { timeout: 170_000 });
      await settle(page);
      // Restored attributes start a new run: wait for it too.
      await new Promise((r) => setTimeout(r, 300));
      await settle(page);
      const after = await shown(page);
      expect(after.attrs).toEqual(before.attrs);
      expect(after.bars).toBe(before.bars);
      expect(after.outlined).toBe(before.outlined);
      expect(after.current).toBe('0');
      expect(after.firstStart).toEqual(before.firstStart);
      expect(after.lr).toEqual(before.lr);
      expect(after.dsState).toEqual(before.dsState);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the skip link is the first Tab stop, and Enter on it moves focus to the content', async () => {
    const { page, errors } = await openPage('/demos/elements.html', { waitFor: "customElements.get('ks-page') !== undefined" });
    try {
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent ?? null);
      expect(first).toBe('Skip to content');
      await page.keyboard.press('Enter');
      const focused = await page.evaluate(() => document.activeElement?.localName);
      expect(focused).toBe('h1');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
