/**
 * Honest pixel checks for elements: a real `page.screenshot` of a region, decoded
 * in the page (PNG → ImageBitmap → 2-D canvas) and sampled at given points. Also
 * writes the screenshot to tests/.artifacts/screens/ so a person can look at it.
 */
import type { Page } from 'puppeteer-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Rgb = [number, number, number];

const screens = join(import.meta.dirname, '../.artifacts/screens');

/**
 * Screenshots `clip` (page CSS pixels), saves it as `name`.png, and returns the colours
 * at `points` (page CSS pixels), plus how many distinct colours the image has (a blank
 * screenshot has one).
 */
export async function screenshotColors(
  page: Page,
  name: string,
  clip: { x: number; y: number; width: number; height: number },
  points: { x: number; y: number }[],
): Promise<{ colors: Rgb[]; distinct: number }> {
  const b64 = (await page.screenshot({ encoding: 'base64', clip, captureBeyondViewport: true })) as string;
  mkdirSync(screens, { recursive: true });
  writeFileSync(join(screens, `${name}.png`), Buffer.from(b64, 'base64'));
  return page.evaluate(
    async (data: string, pts: { x: number; y: number }[], origin: { x: number; y: number }) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(bitmap, 0, 0);
      const img = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < img.length; i += 4 * 7) seen.add((img[i]! << 16) | (img[i + 1]! << 8) | img[i + 2]!);
      // Screenshots are taken at the device pixel ratio.
      const ratio = window.devicePixelRatio || 1;
      const colors = pts.map((p) => {
        const x = Math.round((p.x - origin.x) * ratio);
        const y = Math.round((p.y - origin.y) * ratio);
        const o = (y * bitmap.width + x) * 4;
        return [img[o]!, img[o + 1]!, img[o + 2]!] as [number, number, number];
      });
      return { colors, distinct: seen.size };
    },
    b64,
    points,
    { x: clip.x, y: clip.y },
  );
}

/** Euclidean distance between two colours. */
export function colorDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** `#rrggbb` or `rgb(r, g, b)` to a triple. */
export function parseColor(c: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(c.trim());
  if (hex) {
    const v = parseInt(hex[1]!, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const m = /rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/.exec(c);
  if (!m) throw new Error(`parseColor: ${c}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
