/**
 * Tuned configurations: which configuration of a kernel family ran fastest on this
 * adapter for a class of shapes, as measured by the tuner (src/tune/). Kernels look
 * here first and fall back to their shipped default for the adapter class, so the
 * first call on a device never tunes and tests never depend on a tuning run.
 *
 * A record is keyed by (adapter identity, kernel family, shape class, source hash):
 * a configuration measured against an older version of the kernel's WGSL, or on
 * another adapter, is never used. The table is plain data, so it round-trips through
 * JSON (the CLI's `--tune` file) and IndexedDB (the browser).
 */

/** One measured choice. `config` is family-specific (validated by the family on use). */
export interface TuningRecord {
  adapter: string;
  kernel: string;
  shapeClass: string;
  /** FNV-1a hash of the family's WGSL sources when it was measured. */
  source: string;
  config: unknown;
  /** Median ms of the chosen configuration and of the shipped default (null if it failed), on the tuning case. */
  ms: number;
  defaultMs: number | null;
  /** What was measured, e.g. "matmul 512×512×512". */
  measuredOn: string;
}

/** 32-bit FNV-1a of a string, as 8 hex digits: cheap, stable, good enough to notice an edit. */
export function sourceHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function keyOf(r: Pick<TuningRecord, 'adapter' | 'kernel' | 'shapeClass' | 'source'>): string {
  return JSON.stringify([r.adapter, r.kernel, r.shapeClass, r.source]);
}

function isRecord(x: unknown): x is TuningRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    ['adapter', 'kernel', 'shapeClass', 'source', 'measuredOn'].every((k) => typeof r[k] === 'string') &&
    typeof r.ms === 'number' &&
    (typeof r.defaultMs === 'number' || r.defaultMs === null) &&
    'config' in r
  );
}

/** The tuned configurations a `Gpu` consults. */
export class TuningTable {
  private readonly records = new Map<string, TuningRecord>();
  /** When false, every lookup misses: kernels use their shipped defaults. */
  enabled = true;

  /** The record for this key, if tuning is on and one was measured. */
  lookup(adapter: string, kernel: string, shapeClass: string, source: string): TuningRecord | undefined {
    if (!this.enabled) return undefined;
    return this.records.get(keyOf({ adapter, kernel, shapeClass, source }));
  }

  set(record: TuningRecord): void {
    this.records.set(keyOf(record), record);
  }

  /** Forgets the record for this key, if any. */
  remove(key: Pick<TuningRecord, 'adapter' | 'kernel' | 'shapeClass' | 'source'>): void {
    this.records.delete(keyOf(key));
  }

  /** Every record, in insertion order (for persistence and reports). */
  all(): TuningRecord[] {
    return [...this.records.values()];
  }

  /** Adds well-formed records from parsed JSON or storage; returns how many were taken. */
  load(data: unknown): number {
    if (!Array.isArray(data)) return 0;
    let n = 0;
    for (const r of data) {
      if (isRecord(r)) {
        this.set(r);
        n += 1;
      }
    }
    return n;
  }

  clear(): void {
    this.records.clear();
  }
}
