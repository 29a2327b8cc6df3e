/**
 * The styles the two grid elements share, `<attention-map>` (a heatmap of cells) and
 * `<flash-tiles>` (a grid of tiles): the host's type, the controls bar and its inputs, the
 * inline error and the status line, and the hatching of masked cells and skipped tiles.
 */
import { css } from 'lit';

/** The shared sheet: after `KS_STYLES` (whose tokens it reads), before the element's own. */
export const GRID_ELEMENT_STYLES = css`
  :host {
    display: block; /* colour and type: KS_STYLES */
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 1rem;
    align-items: end;
    margin-bottom: 0.5rem;
  }
  .controls label {
    display: flex;
    flex-direction: column;
    font-size: 0.8rem;
    color: var(--_muted);
    gap: 0.1rem;
  }
  .controls label.inline {
    flex-direction: row;
    align-items: center;
    gap: 0.3rem;
  }
  input,
  select,
  button {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_grid);
    border-radius: 4px;
    padding: 0.15rem 0.35rem;
  }
  button {
    cursor: pointer;
    background: var(--_panel);
  }
  .error {
    color: var(--_error);
    border-left: 3px solid var(--_error);
    padding: 0.2rem 0.6rem;
    margin: 0.3rem 0;
  }
  .status {
    color: var(--_muted);
    font-size: 0.8rem;
    margin: 0.2rem 0;
  }
  svg {
    display: block;
    overflow: visible;
  }
  .hatch-bg {
    fill: var(--_mask);
  }
  .hatch-line {
    stroke: var(--_bg);
    stroke-width: 1.2;
    stroke-opacity: 0.55;
  }
`;
