/**
 * The bench page's results table as plain text cells (the page only makes DOM nodes
 * of them): the same columns and wording as report.md, rebuilt from every record so
 * far, so a ratio or a roofline share fills in once the case it needs has run.
 */
import { fmtBytes, fmtMs, fmtSpread, peerIds, sibling, SPREAD_COLUMN, timeRatio, timeRatioColumn } from './report';
import { ceilings, fmtRoofShare, missingCeiling, roofShare, ROOF_COLUMN } from './roof';
import type { BenchRecord } from './types';

/** One row: its cells, or for a failed case the text that spans the measured columns. */
export interface PageRow {
  id: string;
  cells: string[];
  failed: string | null;
}

/** Header and rows of the page's table. */
export interface PageTable {
  head: string[];
  /** Columns a failed row's message spans (after the case and configuration). */
  measuredColumns: number;
  rows: PageRow[];
}

function num(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toPrecision(3);
}

/** The table of `records`, in their order; `peers` get a column even before their first record. */
export function pageTable(records: readonly BenchRecord[], peers: readonly string[] = []): PageTable {
  peers = [...new Set([...peers, ...peerIds(records)])];
  const head = ['case', 'configuration', 'median ms', SPREAD_COLUMN, 'GFLOP/s', 'GB/s', ROOF_COLUMN, 'peak bytes', 'max err'];
  head.push(timeRatioColumn('naive'), ...peers.map((p) => timeRatioColumn(p)));
  const ceil = ceilings(records);
  const missing = missingCeiling(records, ceil);
  const rows = records.map((r): PageRow => {
    const config = r.config?.label ?? (r.provider === 'kernelscope' ? '—' : `${r.provider} (peer)`);
    if (r.status !== 'ok' || !r.wall)
      return { id: r.id, cells: [r.id, config], failed: `failed: ${r.errorName ? `${r.errorName}: ` : ''}${r.reason ?? ''}` };
    const ratio = (x: BenchRecord | undefined) => (r === x ? '1' : num(timeRatio(r, x)));
    return {
      id: r.id,
      failed: null,
      cells: [
        r.id,
        config,
        fmtMs(r.wall.median),
        `${fmtSpread(r.wall)}, n = ${r.wall.n}`,
        r.flops > 0 ? num(r.gflops) : '—',
        num(r.gbps),
        fmtRoofShare(roofShare(r, ceil, missing)),
        fmtBytes(r.peakBytes),
        r.error ? r.error.maxAbsErr.toExponential(1) : '—',
        r.suite === 'roofline' ? '—' : ratio(sibling(records, r, 'naive')),
        ...peers.map((p) => (r.suite === 'roofline' ? '—' : ratio(sibling(records, r, p)))),
      ],
    };
  });
  return { head, measuredColumns: head.length - 2, rows };
}
