/**
 * Keyboard equivalents of pointing at a grid of cells (a heatmap, a tile grid, a plot seen as a
 * grid of positions): the arrow keys move one cell, Page Up / Page Down `page` rows, Home / End to
 * the first / last column (with Ctrl: the first / last cell), Enter or Space selects, Escape leaves.
 * `gridKey` says what a key does; `onGridKeydown` is the keydown handler built on it that the grid
 * elements share (the heatmap of `<attention-map>`, the tile grid of `<flash-tiles>`).
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

/** A grid that takes keys: where the keys start, its size, and what each outcome does. */
export interface KeyGrid {
  /** The cell the keys move from: the cursor, or a starting cell when there is none. */
  at: Cell;
  rows: number;
  cols: number;
  /** Rows that Page Up / Page Down move (default 8). */
  page?: number;
  /** An arrow, Page or Home/End key moved to `cell`. */
  move(cell: Cell): void;
  /** Enter or Space on `cell` (the cell the keys started from). */
  select(cell: Cell): void;
  /** Escape. */
  leave(): void;
}

/**
 * The keydown handler of a keyboard grid: a grid key (see `gridKey`) has its default prevented
 * and moves, selects or leaves; any other key passes untouched. Returns whether the key was taken.
 */
export function onGridKeydown(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'preventDefault'>, grid: KeyGrid): boolean {
  const r = gridKey(e.key, grid.at, grid.rows, grid.cols, { page: grid.page, ctrl: e.ctrlKey });
  if (r === null) return false;
  e.preventDefault();
  if (r === 'leave') grid.leave();
  else if (r === 'select') grid.select(grid.at);
  else grid.move(r);
  return true;
}
