/** The attention page's results table: one row per variant, with time relative to naive. */
import { fmt, bytes, sci } from './attention-format';
import type { Row } from './attention-measure';

export function renderTable(rows: Row[]): void {
  const naive = rows.find((r) => r.variant === 'naive')?.ms ?? null;
  document.querySelector('#results tbody')!.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      const cells = [
        r.variant,
        fmt(r.ms, 1),
        naive !== null && naive > 0 && r.ms !== null ? (r.ms / naive).toFixed(2) : '–',
        bytes(r.peak),
        bytes(r.largest),
        sci(r.err),
        r.variant === 'linear' ? sci(r.errExact) : r.errExact === null ? '–' : '(is exact)',
      ];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}
