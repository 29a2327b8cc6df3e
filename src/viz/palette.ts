/**
 * The one palette: Okabe–Ito's colour-blind-safe qualitative colours, plus
 * viridis for sequential data. Elements read the CSS custom properties
 * (`--ks-series-0` … `--ks-series-6`, `--ks-fg`, `--ks-bg`, …) so a page can restyle
 * them; these constants are the defaults and what exports fall back to.
 */
import { interpolateViridis } from 'd3';

/** Qualitative series colours (Okabe & Ito, 2008), in the order they are assigned. */
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'] as const;

/** Sequential colour map for magnitudes (viridis: perceptually uniform, colour-blind safe): t in [0, 1] → `#rrggbb`. */
export const sequential: (t: number) => string = interpolateViridis;

/** The colour for series `i` (wraps). */
export function seriesColor(i: number): string {
  return SERIES_COLORS[((i % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length]!;
}

/** The palette's named colours, light: the defaults of `--ks-fg`, `--ks-bg`, … */
export const LIGHT_COLORS = {
  bg: '#ffffff',
  fg: '#1b1b1f',
  muted: '#5c5f66',
  grid: '#d9dbe0',
  panel: '#f5f6f8',
  accent: '#0072B2',
  error: '#B4231A',
  mask: '#9aa0a6',
} as const;

/** The same names under `prefers-color-scheme: dark`. */
export const DARK_COLORS: Record<keyof typeof LIGHT_COLORS, string> = {
  bg: '#16171a',
  fg: '#e8e9ec',
  muted: '#a4a8b0',
  grid: '#34363c',
  panel: '#1f2125',
  accent: '#56B4E9',
  error: '#FF7B72',
  mask: '#5f6368',
};

/** `--ks-<name>: value;` for each colour. */
function declarations(colors: Readonly<Record<string, string>>): string {
  return Object.entries(colors)
    .map(([k, v]) => `--ks-${k}: ${v};`)
    .join(' ');
}

/** CSS that defines the palette's custom properties, light and dark. Used by the site and by exports. */
export const PALETTE_CSS = `
:root {
  ${declarations(LIGHT_COLORS)}
  ${SERIES_COLORS.map((c, i) => `--ks-series-${i}: ${c};`).join(' ')}
}
@media (prefers-color-scheme: dark) {
  :root {
    ${declarations(DARK_COLORS)}
  }
}`;
