/**
 * The shared keyboard of the grid elements (`src/viz/grid-keys.ts`): what each key does on a grid
 * (`gridKey`), and the keydown handler both `<attention-map>` and `<flash-tiles>` use
 * (`onGridKeydown`): grid keys are taken (default prevented) and move, select the starting cell or
 * leave; other keys pass untouched. Pure functions, no browser.
 */
import { describe, expect, it } from 'vitest';
import { gridKey, onGridKeydown, type Cell } from '../../src/viz/grid-keys';

/** A keydown stand-in that records whether its default was prevented. */
function keydown(key: string, ctrlKey = false) {
  const e = { key, ctrlKey, prevented: false, preventDefault: () => void (e.prevented = true) };
  return e;
}

/** A 5×7 grid that records what its keys did. */
function grid(at: Cell, page?: number) {
  const done: string[] = [];
  return {
    done,
    grid: {
      at,
      rows: 5,
      cols: 7,
      page,
      move: (c: Cell) => done.push(`move ${c.row},${c.col}`),
      select: (c: Cell) => done.push(`select ${c.row},${c.col}`),
      leave: () => done.push('leave'),
    },
  };
}

describe('gridKey', () => {
  it('moves one cell with the arrows, clamped to the grid', () => {
    expect(gridKey('ArrowDown', { row: 1, col: 1 }, 5, 7)).toEqual({ row: 2, col: 1 });
    expect(gridKey('ArrowRight', { row: 1, col: 6 }, 5, 7)).toEqual({ row: 1, col: 6 });
    expect(gridKey('ArrowUp', { row: 0, col: 3 }, 5, 7)).toEqual({ row: 0, col: 3 });
    expect(gridKey('ArrowLeft', { row: 2, col: 3 }, 5, 7)).toEqual({ row: 2, col: 2 });
  });

  it('pages rows, and Home / End go to the row ends (with Ctrl: the grid corners)', () => {
    expect(gridKey('PageDown', { row: 0, col: 2 }, 20, 7)).toEqual({ row: 8, col: 2 });
    expect(gridKey('PageUp', { row: 9, col: 2 }, 20, 7, { page: 5 })).toEqual({ row: 4, col: 2 });
    expect(gridKey('Home', { row: 3, col: 4 }, 5, 7)).toEqual({ row: 3, col: 0 });
    expect(gridKey('End', { row: 3, col: 4 }, 5, 7)).toEqual({ row: 3, col: 6 });
    expect(gridKey('Home', { row: 3, col: 4 }, 5, 7, { ctrl: true })).toEqual({ row: 0, col: 0 });
    expect(gridKey('End', { row: 3, col: 4 }, 5, 7, { ctrl: true })).toEqual({ row: 4, col: 6 });
  });

  it('Enter and Space select, Escape leaves, other keys are not grid keys', () => {
    expect(gridKey('Enter', { row: 0, col: 0 }, 5, 7)).toBe('select');
    expect(gridKey(' ', { row: 0, col: 0 }, 5, 7)).toBe('select');
    expect(gridKey('Escape', { row: 0, col: 0 }, 5, 7)).toBe('leave');
    expect(gridKey('a', { row: 0, col: 0 }, 5, 7)).toBeNull();
    expect(gridKey('Tab', { row: 0, col: 0 }, 5, 7)).toBeNull();
  });
});

describe('onGridKeydown', () => {
  it('moves from the starting cell and prevents the default', () => {
    const { done, grid: g } = grid({ row: 2, col: 3 });
    const e = keydown('ArrowDown');
    expect(onGridKeydown(e, g)).toBe(true);
    expect(e.prevented).toBe(true);
    expect(done).toEqual(['move 3,3']);
  });

  it('selects the cell the keys start from (not a moved one), and leaves on Escape', () => {
    const { done, grid: g } = grid({ row: 4, col: 1 });
    onGridKeydown(keydown('Enter'), g);
    onGridKeydown(keydown(' '), g);
    onGridKeydown(keydown('Escape'), g);
    expect(done).toEqual(['select 4,1', 'select 4,1', 'leave']);
  });

  it('passes Ctrl and the page size on', () => {
    const { done, grid: g } = grid({ row: 4, col: 1 }, 2);
    onGridKeydown(keydown('End', true), g);
    onGridKeydown(keydown('PageUp'), g);
    expect(done).toEqual(['move 4,6', 'move 2,1']);
  });

  it('lets other keys pass: nothing done, the default kept', () => {
    const { done, grid: g } = grid({ row: 0, col: 0 });
    for (const key of ['Tab', 'a', 'Shift']) {
      const e = keydown(key);
      expect(onGridKeydown(e, g)).toBe(false);
      expect(e.prevented).toBe(false);
    }
    expect(done).toEqual([]);
  });
});
