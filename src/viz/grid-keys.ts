/**
 * Keyboard equivalents of pointing at a grid of cells (a heatmap, a tile grid, a plot seen as a
 * grid of positions): the arrow keys move one cell, Page Up / Page Down `page` rows, Home / End to
 * the first / last column (with Ctrl: the first / last cell), Enter or Space selects, Escape leaves.
 */

/** A cell of a grid. */
export interface Cell {
  row: number;
  col: number;
}

/** What `key` does at `at` on a `rows`×`cols` grid: a new cell, `select`, `leave`, or null (not a grid key). */
export function gridKey(
  key: string,
  at: Cell,
  rows: number,
  cols: number,
  opts: { page?: number; ctrl?: boolean } = {},
): Cell | 'select' | 'leave' | null {
  const page = Math.max(1, opts.page ?? 8);
  const clamp = (row: number, col: number): Cell => ({
    row: Math.max(0, Math.min(rows - 1, row)),
    col: Math.max(0, Math.min(cols - 1, col)),
  });
  switch (key) {
    case 'ArrowUp':
      return clamp(at.row - 1, at.col);
    case 'ArrowDown':
      return clamp(at.row + 1, at.col);
    case 'ArrowLeft':
      return clamp(at.row, at.col - 1);
    case 'ArrowRight':
      return clamp(at.row, at.col + 1);
    case 'PageUp':
      return clamp(at.row - page, at.col);
    case 'PageDown':
      return clamp(at.row + page, at.col);
    case 'Home':
      return opts.ctrl ? clamp(0, 0) : clamp(at.row, 0);
    case 'End':
      return opts.ctrl ? clamp(rows - 1, cols - 1) : clamp(at.row, cols - 1);
    case 'Enter':
    case ' ':
      return 'select';
    case 'Escape':
      return 'leave';
    default:
      return null;
  }
}
