/**
 * Work and traffic counts for the attention page, per (batch, head): what naive
 * attention does, and what each layout of the flash kernel does today:
 *
 * - `workgroup` (shaders/attention/flash.wgsl), from its tiling rule (`FLASH_TILE`:
 *   query block, key tile and output-column block);
 * - `rows` (shaders/attention/flash_rows.wgsl): an invocation owns R query rows and
 *   every output column, walks the keys in groups of KB, and keeps its running output
 *   in registers (written once at the end) or in the output buffer (read and written
 *   once per group); R, KB, the workgroup size and where the output lived come from the
 *   configuration the device ran (`RowsBlocks`).
 *
 * Pure arithmetic, no GPU; the page prints these next to what it measures.
 */

/** The flash kernel's blocks: query rows per workgroup, keys per tile, output columns per workgroup. */
export interface FlashBlocks {
  blockQ: number;
  blockK: number;
  blockDv: number;
}

/** Counts for one (batch, head) of attention with Nq queries, Nk keys, head dim d and value dim dv. */
export interface AttentionCounts {
  /** Workgroups along the output columns: each recomputes its rows of QKᵀ. */
  dvBlocks: number;
  /** Query blocks: K and V are streamed once per query block (per column block for K). */
  qBlocks: number;
  /** Naive's two matmuls: 2·Nq·Nk·(d + dv). */
  naiveFlops: number;
  /** Flash without causal skipping: dvBlocks·2·Nq·Nk·d + 2·Nq·Nk·dv. */
  flashFlops: number;
  /** Bytes of K and V the flash kernel reads from global memory (f32, no caches counted). */
  flashKvBytes: number;
  /** Bytes of Q read (once per column block) and O written (once) by the flash kernel. */
  flashQoBytes: number;
  /** Naive's score traffic alone: S written once and read twice (two softmax passes), P written once and read once. */
  naiveScoreBytes: number;
}

function positive(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`attentionCounts: ${name} must be a positive integer, got ${v}`);
}

/** The `rows` layout's blocks (flash_rows.wgsl): query rows per invocation, keys per group, invocations per workgroup. */
export interface RowsBlocks {
  rows: number;
  keys: number;
  workgroup: number;
  /** Whether the running output stayed in registers (else it lived in the output buffer). */
  registers: boolean;
}

/** Global traffic of the `rows` layout per (batch, head), causal off, caches ignored. */
export interface RowsTraffic {
  /** Invocations per head: each streams every key. */
  invocations: number;
  /** K and V bytes read: once per invocation. */
  kvBytes: number;
  /** Running-output bytes: O written once (registers), or read and written once per group of keys (buffer). */
  oBytes: number;
}

/** The `rows` layout's traffic. Throws `RangeError` on a non-positive size. */
export function rowsTraffic(Nq: number, Nk: number, d: number, dv: number, blocks: RowsBlocks): RowsTraffic {
  const { rows, keys, workgroup } = blocks;
  for (const [name, v] of Object.entries({ Nq, Nk, d, dv, rows, keys, workgroup })) positive(name, v);
  const invocations = Math.ceil(Nq / rows);
  return {
    invocations,
    kvBytes: 4 * invocations * Nk * (d + dv),
    oBytes: blocks.registers ? 4 * Nq * dv : 4 * 2 * Nq * dv * Math.ceil(Nk / keys),
  };
}

/** The counts of one (batch, head), causal off, for the `workgroup` layout. Throws `RangeError` on a non-positive size. */
export function attentionCounts(Nq: number, Nk: number, d: number, dv: number, blocks: FlashBlocks): AttentionCounts {
  for (const [name, v] of Object.entries({ Nq, Nk, d, dv, ...blocks })) positive(name, v);
  const dvBlocks = Math.ceil(dv / blocks.blockDv);
  const qBlocks = Math.ceil(Nq / blocks.blockQ);
  return {
    dvBlocks,
    qBlocks,
    naiveFlops: 2 * Nq * Nk * (d + dv),
    flashFlops: dvBlocks * 2 * Nq * Nk * d + 2 * Nq * Nk * dv,
    flashKvBytes: 4 * qBlocks * Nk * (dvBlocks * d + dv),
    flashQoBytes: 4 * (dvBlocks * Nq * d + Nq * dv),
    naiveScoreBytes: 4 * 5 * Nq * Nk,
  };
}

/**
 * K/V tiles the flash kernel visits over all query blocks, and how many there are:
 * with the causal mask (bottom-right aligned: query i sees key j iff j ≤ i + Nk − Nq)
 * a query block skips every tile past the last key its last row may see.
 */
export function visitedTiles(Nq: number, Nk: number, blockQ: number, blockK: number, causal: boolean): { visited: number; total: number } {
  for (const [name, v] of Object.entries({ Nq, Nk, blockQ, blockK })) positive(name, v);
  const qBlocks = Math.ceil(Nq / blockQ);
  const kTiles = Math.ceil(Nk / blockK);
  let visited = 0;
  for (let qb = 0; qb < qBlocks; qb++) {
    if (!causal) {
      visited += kTiles;
      continue;
    }
    const lastRow = Math.min(Nq, (qb + 1) * blockQ) - 1;
    const lastKey = lastRow + Nk - Nq;
    if (lastKey >= 0) visited += Math.min(kTiles, Math.floor(lastKey / blockK) + 1);
  }
  return { visited, total: qBlocks * kTiles };
}

/** Bytes in binary units (B, KiB, MiB, GiB). */
export function formatBinaryBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(2)} MiB`;
  if (b >= 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${b} B`;
}
