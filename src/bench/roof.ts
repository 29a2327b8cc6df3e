/**
 * Each case against this device's roofline, measured in the same run by the roofline
 * suite: the share of the FMA ceiling when the case is compute-bound, or of the copy
 * bandwidth when it is memory-bound (its compulsory intensity below the ridge point,
 * peak GFLOP/s ÷ copy GB/s). Without both ceilings there is no figure, and the reason
 * says why instead of a guess. Pure: runs in the page and in Node.
 */
import type { BenchRecord } from './types';

/** The device's measured ceilings: peak GFLOP/s (FMA probe) and copy GB/s, null when not measured. */
export interface Ceilings {
  gflops: number | null;
  gbps: number | null;
}

/** A case's share of its roof, or why there is none. */
export type RoofShare = { roof: 'FMA' | 'copy'; percent: number } | { roof: null; reason: string };

/** The column's name wherever it is shown. */
export const ROOF_COLUMN = '% of roof (FMA|copy)';

/** Roofline ceilings from the probe records of a run: the best ok FMA and copy figures, or null. */
export function ceilings(records: readonly BenchRecord[]): Ceilings {
  const ok = records.filter((r) => r.suite === 'roofline' && r.status === 'ok');
  const fma = ok.filter((r) => r.impl === 'fma').map((r) => r.gflops ?? 0);
  const copy = ok.filter((r) => r.impl === 'copy').map((r) => r.gbps ?? 0);
  return { gflops: fma.length ? Math.max(...fma) : null, gbps: copy.length ? Math.max(...copy) : null };
}

/** Why `ceil` cannot place cases: null when both ceilings are there. */
export function missingCeiling(records: readonly BenchRecord[], ceil: Ceilings): string | null {
  if (ceil.gflops !== null && ceil.gbps !== null) return null;
  const probes = records.filter((r) => r.suite === 'roofline');
  if (probes.length === 0) return 'roofline suite not run';
  const missing = [ceil.gflops === null ? 'fma' : '', ceil.gbps === null ? 'copy' : ''].filter(Boolean).join(' and ');
  return `no ${missing} ceiling (the probe failed or did not run)`;
}

/**
 * The share of its roof that an ok record reached. Memory-bound (intensity below the
 * ridge, or no FLOPs at all): its GB/s over the copy bandwidth; else its GFLOP/s over
 * the FMA rate. The probes are placed against their own ceiling.
 */
export function roofShare(r: BenchRecord, ceil: Ceilings, missing: string | null = null): RoofShare {
  if (r.status !== 'ok') return { roof: null, reason: 'failed' };
  if (missing !== null || ceil.gflops === null || ceil.gbps === null || !(ceil.gflops > 0) || !(ceil.gbps > 0))
    return { roof: null, reason: missing ?? 'no roofline ceilings' };
  const ridge = ceil.gflops / ceil.gbps;
  const memoryBound = r.suite === 'roofline' ? r.impl === 'copy' : r.flops === 0 || r.intensity < ridge;
  return memoryBound
    ? { roof: 'copy', percent: (100 * (r.gbps ?? 0)) / ceil.gbps }
    : { roof: 'FMA', percent: (100 * (r.gflops ?? 0)) / ceil.gflops };
}

/** "16 % FMA", "31 % copy", or "n/a: <reason>". */
export function fmtRoofShare(s: RoofShare): string {
  if (s.roof === null) return s.reason === 'failed' ? '' : `n/a: ${s.reason}`;
  const digits = s.percent >= 10 ? s.percent.toFixed(0) : s.percent.toPrecision(2);
  return `${digits} % ${s.roof}`;
}

/** Every record's share, keyed by the record, from the ceilings of the same records. */
export function roofShares(records: readonly BenchRecord[]): Map<BenchRecord, RoofShare> {
  const ceil = ceilings(records);
  const missing = missingCeiling(records, ceil);
  return new Map(records.map((r) => [r, roofShare(r, ceil, missing)]));
}
