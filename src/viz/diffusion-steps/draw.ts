/**
 * Drawing helpers of `<diffusion-steps>`: the schedule curves (ᾱ_t and log-SNR for
 * both schedules), the particle scale, and the glyph grid raster. Pure functions of
 * their inputs, so the same state always draws the same picture.
 */
import { line, scaleLinear } from 'd3';
import { makeSchedule, type ScheduleKind } from '../../problem/ddpm-schedule';
import { GLYPH_SIZE } from '../../data/glyphs';

/** Half-width of the particle plot's square domain. */
export const PARTICLE_EXTENT = 3;

export interface ScheduleCurves {
  kind: ScheduleKind;
  alphaBar: string;
  logSnr: string;
}

/** Log-SNR is clipped to this range for drawing. */
export const LOG_SNR_RANGE: readonly [number, number] = [-12, 10];

const curveCache = new Map<string, ScheduleCurves[]>();

/** SVG path data of ᾱ_t and log-SNR over t/T for both schedules, in a w×h panel. */
export function scheduleCurves(T: number, w: number, h: number): ScheduleCurves[] {
  const key = `${T}|${w}|${h}`;
  const hit = curveCache.get(key);
  if (hit) return hit;
  const x = scaleLinear()
    .domain([0, T - 1])
    .range([0, w]);
  const yA = scaleLinear().domain([0, 1]).range([h, 0]);
  const yS = scaleLinear().domain(LOG_SNR_RANGE).range([h, 0]).clamp(true);
  const stride = Math.max(1, Math.floor(T / 200));
  const out = (['linear', 'cosine'] as const).map((kind) => {
    const s = makeSchedule(kind, T);
    const ts: number[] = [];
    for (let t = 0; t < T; t += stride) ts.push(t);
    if (ts[ts.length - 1] !== T - 1) ts.push(T - 1);
    return {
      kind,
      alphaBar:
        line<number>()
          .x((t) => x(t))
          .y((t) => yA(s.alphaBar[t]!))(ts) ?? '',
      logSnr:
        line<number>()
          .x((t) => x(t))
          .y((t) => yS(Math.log(s.snr[t]!)))(ts) ?? '',
    };
  });
  curveCache.set(key, out);
  return out;
}

/** Maps particle coordinates to pixels in a square plot of side `size`. */
export function particleScale(size: number, pad = 8) {
  return scaleLinear()
    .domain([-PARTICLE_EXTENT, PARTICLE_EXTENT])
    .range([pad, size - pad])
    .clamp(true);
}

/**
 * Rasterizes the first `count` images of x ([n, 256], values in about [−1, 1]) into a
 * grid, as a PNG data URL (1 px per pixel; the SVG scales it with crisp edges).
 * Returns null where no 2-D canvas exists.
 */
export function glyphGridUrl(
  x: Float32Array,
  count: number,
  cols: number,
  ink: [number, number, number],
  paper: [number, number, number],
): string | null {
  const rows = Math.ceil(count / cols);
  const gap = 1;
  const cell = GLYPH_SIZE + gap;
  const canvas = document.createElement('canvas');
  canvas.width = cols * cell + gap;
  canvas.height = rows * cell + gap;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(canvas.width, canvas.height);
  img.data.fill(0);
  const d = GLYPH_SIZE * GLYPH_SIZE;
  for (let k = 0; k < count; k++) {
    const ox = gap + (k % cols) * cell;
    const oy = gap + Math.floor(k / cols) * cell;
    for (let py = 0; py < GLYPH_SIZE; py++) {
      for (let px = 0; px < GLYPH_SIZE; px++) {
        const v = Math.max(0, Math.min(1, (x[k * d + py * GLYPH_SIZE + px]! + 1) / 2));
        const o = ((oy + py) * canvas.width + ox + px) * 4;
        for (let c = 0; c < 3; c++) img.data[o + c] = Math.round(paper[c]! + (ink[c]! - paper[c]!) * v);
        img.data[o + 3] = 255;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

/** Parses `#rrggbb` (falls back to black). */
export function hexRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return [0, 0, 0];
  const v = parseInt(m[1]!, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
