/**
 * The styles of `<attention-map>` (after the shared `GRID_ELEMENT_STYLES`): the maps and their
 * frames, cells, axis labels, the selected-row and hovered-cell outlines, the tooltip, the
 * legend and the query's bars.
 */
import { css } from 'lit';

/** The element's own sheet. */
export const ATTENTION_MAP_STYLES = css`
  input.seed {
    width: 5em;
  }
  .error {
    white-space: pre-wrap;
  }
  .maps {
    display: flex;
    flex-wrap: wrap;
    gap: 0.8rem;
  }
  figure {
    margin: 0;
    position: relative;
  }
  figcaption {
    font-size: 0.8rem;
    color: var(--_muted);
    text-align: center;
  }
  .frame {
    position: relative;
  }
  canvas.heat {
    position: absolute;
    image-rendering: pixelated;
  }
  rect.cell {
    shape-rendering: crispEdges;
  }
  svg.map:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  svg.map {
    position: relative;
  }
  .axis-label {
    fill: var(--_muted);
    font-size: 10px;
    font-family: ui-monospace, monospace;
  }
  .title {
    fill: var(--_fg);
    font-size: 11px;
  }
  .hit {
    fill: transparent;
    cursor: crosshair;
  }
  .outline {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 2;
    pointer-events: none;
  }
  .hover-outline {
    fill: none;
    stroke: var(--_fg);
    stroke-width: 1.5;
    pointer-events: none;
  }
  .tooltip {
    min-height: 1.4em;
    font-family: ui-monospace, monospace;
    font-size: 0.8rem;
    margin: 0.2rem 0;
  }
  .bar {
    fill: var(--_accent);
  }
  .bar-mask {
    fill: url(#am-hatch-causal);
    opacity: 0.5;
  }
  .legend-text {
    fill: var(--_muted);
    font-size: 10px;
  }
  .gridline {
    stroke: var(--_grid);
  }
`;
