/**
 * Every element's `exportSvg()` stands alone and matches what the page shows: the exported SVG,
 * loaded as an `<img>` (no script, no stylesheet, no shadow root), is screenshotted over the
 * live element and compared with a screenshot of the element itself. The non-background pixels
 * of each must be found in the other, about the same colour within one pixel, bar a small tolerance for
 * anti-aliasing.
 * Controls are left out of exports, so both images are compared with the controls' boxes blanked.
 * Also: the parts the issue saw lost (the loss-landscape legend, the diffusion schedule curves,
 * the flash-tiles labels) are in the SVG text, and nothing drawn lies outside the viewBox.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { useHarness } from '../support/browser';

const harness = useHarness();
const screens = join(import.meta.dirname, '../.artifacts/screens');

interface Placed {
  text: string;
  box: { x: number; y: number; width: number; height: number };
  blanks: { x: number; y: number; width: number; height: number }[];
  background: string;
}

/** Mounts `tag` at the page's top left with `attrs`, waits for it, and exports it. */
async function mountAndExport(page: Page, tag: string, attrs: Record<string, string>): Promise<Placed> {
  return page.evaluate(
    async (t: string, a: Record<string, string>) => {
      await window.ksImport('/src/viz/index.ts');
      const { SNAPSHOT_SKIP, snapshotBackground } = await window.ksImport('/src/viz/svg-snapshot.ts');
      document.getElementById('fidelity')?.remove();
      const host = document.createElement('div');
      host.id = 'fidelity';
      host.style.cssText = 'position:absolute;left:0;top:0;width:1100px;background:#fff;z-index:10;padding:8px';
      const el = document.createElement(t) as any;
      el.gpu = window.gpu;
      for (const [k, v] of Object.entries(a)) el.setAttribute(k, v);
      host.append(el);
      document.body.append(host);
      await el.settled();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const text: string = el.exportSvg();
      const [x, y, width, height] = /viewBox="([^"]+)"/.exec(text)![1]!.split(' ').map(Number);
      const blanks = [...el.shadowRoot.querySelectorAll(SNAPSHOT_SKIP)].map((n: Element) => {
        const r = n.getBoundingClientRect();
        return { x: r.left, y: r.top, width: r.width, height: r.height };
      });
      return { text, box: { x: x!, y: y!, width: width!, height: height! }, blanks, background: snapshotBackground(el) };
    },
    tag,
    attrs,
  );
}

/** Screenshots the box live, then with the exported SVG as an <img> on top; compares the two in the page. */
async function compare(page: Page, name: string, placed: Placed) {
  const clip = placed.box;
  const live = (await page.screenshot({ encoding: 'base64', clip, captureBeyondViewport: true })) as string;
  await page.evaluate(
    async (text: string, box: Placed['box']) => {
      const img = document.createElement('img');
      img.id = 'fidelity-img';
      img.style.cssText = `position:absolute;left:${box.x}px;top:${box.y}px;width:${box.width}px;height:${box.height}px;z-index:20`;
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
      document.body.append(img);
      await img.decode();
    },
    placed.text,
    clip,
  );
  const exported = (await page.screenshot({ encoding: 'base64', clip, captureBeyondViewport: true })) as string;
  await page.evaluate(() => document.getElementById('fidelity-img')?.remove());
  mkdirSync(screens, { recursive: true });
  writeFileSync(join(screens, `export-${name}-live.png`), Buffer.from(live, 'base64'));
  writeFileSync(join(screens, `export-${name}-svg.png`), Buffer.from(exported, 'base64'));
  writeFileSync(join(screens, `export-${name}.svg`), placed.text);
  return page.evaluate(
    async (a: string, b: string, box: Placed['box'], blanks: Placed['blanks'], bg: string) => {
      const decode = async (data: string) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const c = document.createElement('canvas');
        c.width = bitmap.width;
        c.height = bitmap.height;
        const ctx = c.getContext('2d', { willReadFrequently: true })!;
        ctx.drawImage(bitmap, 0, 0);
        return { w: c.width, h: c.height, px: ctx.getImageData(0, 0, c.width, c.height).data };
      };
      const A = await decode(a);
      const B = await decode(b);
      const probe = document.createElement('canvas').getContext('2d')!;
      probe.fillStyle = bg;
      probe.fillRect(0, 0, 1, 1);
      const [br, bg2, bb] = probe.getImageData(0, 0, 1, 1).data;
      const ratio = A.w / box.width;
      const blank = (x: number, y: number) =>
        blanks.some(
          (r) =>
            x >= (r.x - box.x - 1) * ratio &&
            x <= (r.x - box.x + r.width + 1) * ratio &&
            y >= (r.y - box.y - 1) * ratio &&
            y <= (r.y - box.y + r.height + 1) * ratio,
        );
      const ink = (img: typeof A) => {
        const m = new Uint8Array(img.w * img.h);
        for (let y = 0; y < img.h; y++)
          for (let x = 0; x < img.w; x++) {
            const o = (y * img.w + x) * 4;
            const d = Math.hypot(img.px[o]! - br!, img.px[o + 1]! - bg2!, img.px[o + 2]! - bb!);
            m[y * img.w + x] = d > 60 && !blank(x, y) ? 1 : 0;
          }
        return m;
      };
      const ia = ink(A);
      const ib = ink(B);
      // A pixel is matched when the other image has a pixel of about its colour within one pixel.
      const near = (img: typeof A, x: number, y: number, r: number, g: number, b: number) => {
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= img.w || yy >= img.h) continue;
            const o = (yy * img.w + xx) * 4;
            if (Math.hypot(img.px[o]! - r, img.px[o + 1]! - g, img.px[o + 2]! - b) < 80) return true;
          }
        return false;
      };
      let inkA = 0;
      let inkB = 0;
      let missing = 0;
      let extra = 0;
      for (let y = 0; y < A.h; y++)
        for (let x = 0; x < A.w; x++) {
          const i = y * A.w + x;
          const o = i * 4;
          if (ia[i]) {
            inkA++;
            if (!near(B, x, y, A.px[o]!, A.px[o + 1]!, A.px[o + 2]!)) missing++;
          }
          if (ib[i]) {
            inkB++;
            if (!near(A, x, y, B.px[o]!, B.px[o + 1]!, B.px[o + 2]!)) extra++;
          }
        }
      return { size: [A.w, A.h, B.w, B.h], inkA, inkB, missing: missing / Math.max(1, inkA), extra: extra / Math.max(1, inkB) };
    },
    live,
    exported,
    clip,
    placed.blanks,
    placed.background,
  );
}

const CASES: [string, Record<string, string>][] = [
  ['attention-map', { pattern: 'local', n: '12', heads: '2', dim: '16', causal: '', 'no-controls': '' }],
  ['attention-map-all', { pattern: 'mixed', n: '10', heads: '3', dim: '16', head: 'all', 'no-controls': '' }],
  ['flash-tiles', { n: '64', dim: '16', causal: '', backend: 'cpu', 'no-controls': '' }],
  ['loss-landscape', { surface: 'himmelblau', optimizers: 'sgd,adam', steps: '40', resolution: '48' }],
  ['diffusion-steps', { dataset: 'rings', samples: '256', steps: '10', 'no-controls': '' }],
];

describe('exported SVG against the live element', () => {
  it.each(CASES)('%s: the export, shown as an <img>, matches a screenshot of the element', async (name, attrs) => {
    const page = harness().page;
    await page.setViewport({ width: 1200, height: 1000 });
    const tag = name.replace(/-all$/, '');
    const placed = await mountAndExport(page, tag, attrs);
    const r = await compare(page, name, placed);
    expect(r.size[0]).toBe(r.size[2]);
    expect(r.inkA).toBeGreaterThan(2000);
    // Ink of the live element not found in the export, and the reverse (fractions of each one's ink).
    expect(r.missing, `${name}: live ink missing from the export`).toBeLessThan(0.02);
    expect(r.extra, `${name}: export ink not in the live element`).toBeLessThan(0.02);
    await page.evaluate(() => document.getElementById('fidelity')?.remove());
  });

  it('keeps what earlier exports lost: legends, schedule curves, tile labels; colours inlined', async () => {
    const page = harness().page;
    const texts: Record<string, string> = {};
    for (const [name, attrs] of CASES) texts[name] = (await mountAndExport(page, name.replace(/-all$/, ''), attrs)).text;
    await page.evaluate(() => document.getElementById('fidelity')?.remove());
    // Legend names of the optimizers, drawn in HTML by the element.
    expect(texts['loss-landscape']).toMatch(/>SGD</);
    expect(texts['loss-landscape']).toMatch(/>Adam</);
    // ᾱ_t and log-SNR curves: stroked paths, with a real colour, in the schedule plot.
    expect(texts['diffusion-steps']!.match(/<path[^>]*stroke="rgb\(/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(texts['diffusion-steps']).toMatch(/linear/);
    expect(texts['flash-tiles']).toMatch(/K\/V tiles/);
    expect(texts['flash-tiles']).toMatch(/naive: S, 64×64 f32/);
    for (const [name, text] of Object.entries(texts)) {
      expect(text, name).not.toMatch(/var\(--/);
      expect(text, name).not.toMatch(/class="[^"]*"[^>]*\/>\s*$/);
      expect(text.startsWith('<svg'), name).toBe(true);
    }
  });
});
