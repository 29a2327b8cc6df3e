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

/** CSS that defines the palette's custom properties, light and dark. Used by the site and by exports. */
export const PALETTE_CSS = `
:root {
  --ks-bg: #ffffff; --ks-fg: #1b1b1f; --ks-muted: #5c5f66; --ks-grid: #d9dbe0; --ks-panel: #f5f6f8;
  --ks-accent: #0072B2; --ks-error: #B4231A; --ks-mask: #9aa0a6;
  ${SERIES_COLORS.map((c, i) => `--ks-series-${i}: ${c};`).join(' ')}
}
@media (prefers-color-scheme: dark) {
  :root {
    --ks-bg: #16171a; --ks-fg: #e8e9ec; --ks-muted: #a4a8b0; --ks-grid: #34363c; --ks-panel: #1f2125;
    --ks-accent: #56B4E9; --ks-error: #FF7B72; --ks-mask: #5f6368;
  }
}`;
