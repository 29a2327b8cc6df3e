/**
 * A small image data set: 16×16 glyphs drawn procedurally from signed distance
 * functions (ring, disk, square, plus, cross, triangle, bars, diamond), each with a
 * seeded jitter of position, size and stroke. Pixels are in [−1, 1] (−1 background,
 * +1 ink), anti-aliased over one pixel. Row-major Float32Array [n, 256].
 */
import { mulberry32 } from '../reference/random';

export const GLYPH_SIZE = 16;
export const GLYPH_CLASSES = ['ring', 'disk', 'square', 'plus', 'cross', 'triangle', 'bars', 'diamond'] as const;
export type GlyphClass = (typeof GLYPH_CLASSES)[number];

type Sdf = (x: number, y: number) => number;

function segment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const h = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - h * dx, py - ay - h * dy);
}

/** The signed distance (in pixels, negative inside the ink) of a glyph class. */
function glyphSdf(kind: GlyphClass, r: number, w: number): Sdf {
  switch (kind) {
    case 'ring':
      return (x, y) => Math.abs(Math.hypot(x, y) - r) - w;
    case 'disk':
      return (x, y) => Math.hypot(x, y) - r;
    case 'square':
      return (x, y) => Math.abs(Math.max(Math.abs(x), Math.abs(y)) - r) - w;
    case 'plus':
      return (x, y) => Math.min(segment(x, y, -r, 0, r, 0), segment(x, y, 0, -r, 0, r)) - w;
    case 'cross':
      return (x, y) => Math.min(segment(x, y, -r, -r, r, r), segment(x, y, -r, r, r, -r)) - w;
    case 'triangle': {
      const a = [0, -r] as const;
      const b = [r * 0.95, r * 0.7] as const;
      const c = [-r * 0.95, r * 0.7] as const;
      return (x, y) =>
        Math.min(segment(x, y, a[0], a[1], b[0], b[1]), segment(x, y, b[0], b[1], c[0], c[1]), segment(x, y, c[0], c[1], a[0], a[1])) - w;
    }
    case 'bars':
      return (x, y) =>
        Math.min(segment(x, y, -r, -r * 0.6, r, -r * 0.6), segment(x, y, -r, 0, r, 0), segment(x, y, -r, r * 0.6, r, r * 0.6)) - w * 0.8;
    case 'diamond':
      return (x, y) => Math.abs(Math.abs(x) + Math.abs(y) - r) - w;
  }
}

/** One glyph of class `kind`, jittered by `rng`, into `out` at `offset`. */
function drawGlyph(kind: GlyphClass, rng: () => number, out: Float32Array, offset: number): void {
  const c = (GLYPH_SIZE - 1) / 2;
  const cx = c + (rng() - 0.5) * 2;
  const cy = c + (rng() - 0.5) * 2;
  const r = 4.2 + rng() * 1.8;
  const w = 0.7 + rng() * 0.5;
  const sdf = glyphSdf(kind, r, w);
  for (let y = 0; y < GLYPH_SIZE; y++) {
    for (let x = 0; x < GLYPH_SIZE; x++) {
      const d = sdf(x - cx, y - cy);
      const ink = Math.max(0, Math.min(1, 0.5 - d)); // one-pixel anti-aliasing ramp
      out[offset + y * GLYPH_SIZE + x] = 2 * ink - 1;
    }
  }
}

/** `n` glyphs cycling through the classes; returns pixels [n, 256] and class labels. */
export function glyphs(n: number, seed = 0): Float32Array {
  const rng = mulberry32(seed ^ 0x61f0);
  const out = new Float32Array(n * GLYPH_SIZE * GLYPH_SIZE);
  for (let i = 0; i < n; i++) drawGlyph(GLYPH_CLASSES[i % GLYPH_CLASSES.length]!, rng, out, i * GLYPH_SIZE * GLYPH_SIZE);
  return out;
}
