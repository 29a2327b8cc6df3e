/**
 * The styles of `<flash-tiles>` (after the shared `GRID_ELEMENT_STYLES`): the panels, the tiles
 * and their states, the causal diagonal, the plots of m and l, the memory
 * meter and the statistics table.
 */
import { css } from 'lit';

/** The element's own sheet. */
export const FLASH_TILES_STYLES = css`
  input[type='range'] {
    width: 14rem;
  }
  input.rows {
    width: 7em;
  }
  .status.cpu {
    color: var(--_fg);
    border-left: 3px solid var(--_series-1);
    padding-left: 0.5rem;
  }
  .panels {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
    align-items: flex-start;
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-size: 0.8rem;
    color: var(--_muted);
    max-width: 24rem;
  }
  .tile {
    fill: var(--_panel);
    stroke: var(--_grid);
    stroke-width: 1;
  }
  .tile.traced {
    fill: var(--_bg);
    stroke: var(--_muted);
  }
  .tile.visited {
    fill: var(--_series-5);
    fill-opacity: 0.45;
  }
  .tile.current {
    fill: var(--_accent);
    fill-opacity: 1;
    stroke: var(--_fg);
    stroke-width: 2;
  }
  .tile.skipped {
    fill: url(#ft-hatch);
  }
  svg.grid:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .sel {
    fill: var(--_accent);
  }
  .diag {
    stroke: var(--_error);
    stroke-width: 1.2;
    stroke-dasharray: 4 3;
    fill: none;
    pointer-events: none;
  }
  .axis-text {
    fill: var(--_muted);
    font-size: 10px;
  }
  .axis line,
  .gridline {
    stroke: var(--_grid);
  }
  .now {
    stroke: var(--_accent);
    stroke-width: 1.5;
  }
  .exact {
    stroke-dasharray: 5 4;
    stroke-width: 1.5;
    fill: none;
  }
  .run {
    stroke-width: 2;
    fill: none;
  }
  .meter-naive {
    fill: var(--_series-3);
  }
  .meter-flash {
    fill: var(--_series-2);
  }
  .meter-out {
    fill: var(--_muted);
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: 0.8rem;
    margin-top: 0.4rem;
  }
  th,
  td {
    border-bottom: 1px solid var(--_grid);
    padding: 0.15rem 0.5rem;
    text-align: right;
  }
  th {
    color: var(--_muted);
    font-weight: 600;
  }
  .swatch {
    display: inline-block;
    width: 0.7em;
    height: 0.7em;
    margin-right: 0.3em;
    vertical-align: baseline;
  }
`;
