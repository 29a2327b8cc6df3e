/**
 * The styles of `<loss-landscape>`: the plot, paths and markers in the series colours, legend, chart and controls.
 */
import { css, unsafeCSS } from 'lit';
import { SERIES_COLORS } from '../palette';

/** One class per series colour (constants of the palette, not data). */
const SERIES_RULES = SERIES_COLORS.map(
  (_c, i) => `.s${i} { stroke: var(--_series-${i}); } .f${i} { fill: var(--_series-${i}); background: var(--_series-${i}); }`,
).join('\n');

/** The element's own sheet (after `KS_STYLES`, whose tokens it reads). */
export const LOSS_LANDSCAPE_STYLES = css`
  :host {
    display: block;
    color: var(--_fg);
    font:
      14px/1.4 system-ui,
      sans-serif;
  }
  .wrap {
    display: flex;
    flex-wrap: wrap;
    gap: 0.8rem 1.2rem;
    align-items: flex-start;
  }
  .plots {
    width: var(--ll-size, 30rem);
    max-width: 100%;
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
  }
  svg.main:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  svg.main {
    cursor: crosshair;
  }
  .axis text,
  .chart text {
    fill: var(--_muted);
    font-size: 11px;
    font-family: system-ui, sans-serif;
  }
  .axis line,
  .chart line.grid {
    stroke: var(--_grid);
    stroke-width: 1;
  }
  .frame {
    fill: none;
    stroke: var(--_grid);
  }
  .contour {
    stroke: rgba(0, 0, 0, 0.18);
    stroke-width: 0.5;
  }
  .path {
    fill: none;
    stroke-width: 2.2;
    stroke-linejoin: round;
    stroke-linecap: round;
  }
  .head {
    stroke: #fff;
    stroke-width: 1.5;
  }
  .startmark {
    fill: #fff;
    stroke: #000;
    stroke-width: 1.5;
  }
  .playhead {
    stroke: var(--_muted);
    stroke-dasharray: 3 3;
  }
  ${unsafeCSS(SERIES_RULES)}
  .side {
    flex: 1 1 14rem;
    min-width: 14rem;
  }
  ul.legend {
    list-style: none;
    margin: 0 0 0.6rem;
    padding: 0;
  }
  ul.legend li {
    display: flex;
    align-items: center;
    gap: 0.45rem;
    padding: 0.12rem 0;
    font-variant-numeric: tabular-nums;
  }
  .swatch {
    display: inline-block;
    width: 1.4rem;
    height: 0.3rem;
    border-radius: 2px;
  }
  .loss {
    margin-left: auto;
    color: var(--_muted);
    font-family: ui-monospace, monospace;
    font-size: 12px;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 0.7rem;
    align-items: end;
    margin: 0.4rem 0;
  }
  label {
    display: flex;
    flex-direction: column;
    font-size: 12px;
    color: var(--_muted);
  }
  input {
    width: 5.5rem;
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_grid);
    border-radius: 4px;
    padding: 0.15rem 0.3rem;
  }
  button {
    font: inherit;
    font-size: 13px;
    color: var(--_fg);
    background: var(--_panel);
    border: 1px solid var(--_grid);
    border-radius: 4px;
    padding: 0.2rem 0.6rem;
    cursor: pointer;
  }
  .status {
    color: var(--_muted);
    font-size: 12px;
    margin: 0.3rem 0;
  }
  .error {
    color: var(--_error);
    font-size: 13px;
    margin: 0.3rem 0;
    white-space: pre-wrap;
  }
`;
