/**
 * The styles every element shares. Elements never read a page's `--ks-*` custom property
 * directly: this sheet turns each one into a private token on the host (`--_fg`, `--_bg`,
 * `--_series-0`, …) with the palette's value as the fallback, light by default and dark under
 * `prefers-color-scheme: dark`. A page that sets `--ks-*` restyles every element; a page that
 * sets nothing still gets readable, colour-blind-safe elements, on light and dark pages alike.
 */
import { css, unsafeCSS } from 'lit';
import { DARK_COLORS, LIGHT_COLORS, SERIES_COLORS } from './palette';

/** `--_<name>: var(--ks-<name>, <fallback>);` for each colour (palette constants, not data). */
function tokens(colors: Readonly<Record<string, string>>, series: boolean): string {
  const named = Object.entries(colors).map(([k, v]) => `--_${k}: var(--ks-${k}, ${v});`);
  const rows = series ? SERIES_COLORS.map((c, i) => `--_series-${i}: var(--ks-series-${i}, ${c});`) : [];
  return [...named, ...rows].join('\n    ');
}

/** The tokens, the host's base typography and the keyboard cursor; the first sheet of every element's `styles`. */
export const KS_STYLES = css`
  :host {
    ${unsafeCSS(tokens(LIGHT_COLORS, true))}
    color: var(--_fg);
    font:
      13px/1.4 system-ui,
      sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      ${unsafeCSS(tokens(DARK_COLORS, false))}
    }
  }
  :host([hidden]) {
    display: none;
  }
  /* The keyboard cursor of a grid or plot (flash-tiles, loss-landscape). */
  .cursor {
    fill: none;
    stroke: var(--_fg);
    stroke-width: 2;
    stroke-dasharray: 3 2;
    pointer-events: none;
  }
`;

/** The token a `--ks-*` custom property becomes inside an element (`--ks-fg` → `--_fg`). */
export function token(name: string): string {
  return name.replace(/^--ks-/, '--_');
}
