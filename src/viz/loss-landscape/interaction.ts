/**
 * Choosing a start point on `<loss-landscape>`'s plot: a click reads the surface point under
 * the pointer; on the focused plot the keys of `grid-keys.ts` move a marker over a 41 × 41 grid
 * of the view (an arrow: 1/40 of it; Page Up / Down: five rows), Enter or Space starts there and
 * Escape hides the marker.
 * These functions only read the event and the view; the element applies what they return.
 */
import { gridKey } from '../grid-keys';
import type { LandscapeConfig } from './config';
import { landscapeScales } from './draw';

/** The keyboard marker's grid: this many positions across and down the view. */
const CURSOR_GRID = 41;

/** The surface point under a click on the plot `plot`, or null when it falls outside the view window. */
export function clickedPoint(e: MouseEvent, plot: SVGSVGElement, config: LandscapeConfig): [number, number] | null {
  const ctm = plot.getScreenCTM();
  if (!ctm) return null;
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
  const { sx, sy } = landscapeScales(config);
  const x = sx.invert(p.x);
  const y = sy.invert(p.y);
  const [x0, x1, y0, y1] = config.domain;
  if (x < x0 || x > x1 || y < y0 || y > y1) return null;
  return [x, y];
}

/** What a key on the plot asks for: hide the marker, start at it, or move it. */
export type CursorAction = { kind: 'leave' } | { kind: 'start'; at: [number, number] } | { kind: 'move'; to: [number, number] };

/**
 * What key event `e` does to the marker at `cursor` (null: not shown yet, so it starts at the
 * first start point, or the view's centre); null for a key the plot does not use.
 */
export function cursorKey(e: KeyboardEvent, config: LandscapeConfig, cursor: [number, number] | null): CursorAction | null {
  const N = CURSOR_GRID;
  const [x0, x1, y0, y1] = config.domain;
  const first = config.starts[0] ?? [(x0 + x1) / 2, (y0 + y1) / 2];
  const [cx, cy] = cursor ?? [first[0]!, first[1]!];
  const at = { col: Math.round(((cx - x0) / (x1 - x0)) * (N - 1)), row: Math.round(((y1 - cy) / (y1 - y0)) * (N - 1)) };
  const k = gridKey(e.key, at, N, N, { page: 5, ctrl: e.ctrlKey });
  if (k === null) return null;
  if (k === 'leave') return { kind: 'leave' };
  if (k === 'select') return { kind: 'start', at: [cx, cy] };
  return { kind: 'move', to: [x0 + (k.col / (N - 1)) * (x1 - x0), y1 - (k.row / (N - 1)) * (y1 - y0)] };
}
