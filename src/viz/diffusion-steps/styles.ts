/**
 * The styles of `<diffusion-steps>`: controls, the plot frame, the schedule curves, the status lines.
 */
import { css } from 'lit';

/** The element's own sheet (after `KS_STYLES`, whose tokens it reads). */
export const DIFFUSION_STEPS_STYLES = css`
  :host {
    display: block;
    color: var(--_fg);
    font-size: 0.92rem;
  }
  .wrap {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
    align-items: flex-start;
  }
  .main {
    border: 1px solid var(--_grid);
    border-radius: 6px;
    background: var(--_bg);
  }
  .main svg {
    display: block;
  }
  .side {
    display: flex;
    flex-direction: column;
    gap: 0.6rem;
    min-width: 16rem;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 0.8rem;
    align-items: center;
    margin: 0.4rem 0;
  }
  .controls label {
    display: flex;
    gap: 0.3rem;
    align-items: center;
    color: var(--_muted);
  }
  input[type='range'] {
    width: 16rem;
  }
  button {
    font: inherit;
    color: var(--_bg);
    background: var(--_accent);
    border: 0;
    border-radius: 4px;
    padding: 0.2rem 0.7rem;
    cursor: pointer;
  }
  button.secondary {
    color: var(--_fg);
    background: var(--_panel);
    border: 1px solid var(--_grid);
  }
  button[aria-pressed='true'] {
    outline: 2px solid var(--_accent);
  }
  .status {
    color: var(--_muted);
    min-height: 1.3em;
  }
  .error {
    color: var(--_error);
  }
  .note {
    background: var(--_panel);
    border-left: 3px solid var(--_series-1);
    padding: 0.3rem 0.6rem;
  }
  .train {
    fill: var(--_muted);
    opacity: 0.35;
  }
  .particle {
    fill: var(--_series-0);
    opacity: 0.7;
  }
  .axis {
    stroke: var(--_grid);
    stroke-width: 1;
    fill: none;
  }
  .label {
    fill: var(--_muted);
    font-size: 11px;
    font-family: system-ui, sans-serif;
  }
  .curve {
    fill: none;
    stroke-width: 1.3;
    opacity: 0.55;
  }
  .curve.active {
    stroke-width: 2.4;
    opacity: 1;
  }
  .linear {
    stroke: var(--_series-1);
  }
  .cosine {
    stroke: var(--_series-0);
  }
  .marker {
    stroke: var(--_error);
    stroke-width: 1;
    stroke-dasharray: 3 2;
  }
  .path {
    fill: none;
    stroke-width: 1.4;
    opacity: 0.95;
  }
  progress {
    width: 12rem;
  }
`;
