/**
 * The canvas renderer of `<attention-map>`, for maps with more cells than `canvas-threshold`:
 * one pixel per cell (CSS scales the canvas), masked cells in the mask colour with a faint hatch.
 */
import { MASK_PADDING, displayValues, type AttentionMapModel } from './data';
import { attentionColor, valueDomain } from './draw';

type Rgb = [number, number, number];

/** Draws one head's cells into a canvas of Nk×Nq pixels (one pixel per cell; CSS scales it). */
export function drawHeatCanvas(
  canvas: HTMLCanvasElement,
  model: AttentionMapModel,
  head: number,
  mode: 'weights' | 'logits',
  colorScale: 'linear' | 'sqrt',
  maskColor: string,
  lineColor: string,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { Nq, Nk } = model;
  const values = displayValues(model, head, mode);
  const [lo, hi] = valueDomain(values, mode);
  const image = ctx.createImageData(Nk, Nq);
  const mask = parseRgb(maskColor);
  const line = parseRgb(lineColor);
  for (let i = 0; i < Nq; i++)
    for (let j = 0; j < Nk; j++) {
      const c = i * Nk + j;
      const m = model.mask[c]!;
      // Masked cells: the mask colour, with a faint diagonal hatch every 4 cells.
      const rgb = m
        ? (i + (m === MASK_PADDING ? -j : j)) % 4 === 0
          ? mix(mask, line, 0.35)
          : mask
        : parseRgb(attentionColor(values[c]!, lo, hi, colorScale));
      image.data.set([rgb[0], rgb[1], rgb[2], 255], c * 4);
    }
  ctx.putImageData(image, 0, 0);
}

const rgbCache = new Map<string, Rgb>();

/** A CSS colour (`#rrggbb` or `rgb(…)`) as bytes; the mask grey for anything else. */
function parseRgb(color: string): Rgb {
  let rgb = rgbCache.get(color);
  if (rgb) return rgb;
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  const fn = /^rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/i.exec(color);
  if (hex) {
    const v = parseInt(hex[1]!, 16);
    rgb = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  } else if (fn) rgb = [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  else rgb = [154, 160, 166];
  if (rgbCache.size < 4096) rgbCache.set(color, rgb);
  return rgb;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}
