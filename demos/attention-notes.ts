/**
 * The attention page's explanatory figures, written from the kernel's tiling rule and
 * the flash layout this device runs: the FLOP note, the I/O answer's live figures and
 * the measured causal time ratio.
 */
import { FLASH_TILE } from '../src/kernels/attention';
import { flashConfigFor } from '../src/kernels/tuned';
import { registerChunks } from '../src/kernels/attention/flash-rows';
import type { Gpu } from '../src/gpu/device';
import { attentionCounts, formatBinaryBytes, rowsTraffic, visitedTiles, type RowsBlocks } from './attention-io';
import type { State } from './attention-measure';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The flash layout this device runs for the state's shape (its tuned configuration, else the default); null without a GPU. */
export function flashLayout(gpu: Gpu | null, s: State, causal: boolean): string | null {
  if (!gpu) return null;
  const shape = { d: s.d, dv: s.d, causal, Nq: s.n, Nk: s.n };
  return flashConfigFor(gpu, shape).layout;
}

/** The `rows` blocks this device runs for the state's shape; null when it runs another layout or has no GPU. */
export function rowsBlocks(gpu: Gpu | null, s: State, causal: boolean): RowsBlocks | null {
  if (!gpu) return null;
  const c = flashConfigFor(gpu, { d: s.d, dv: s.d, causal, Nq: s.n, Nk: s.n });
  // The page's problems are plain (no mask, bias or variant), so `registers` holds wherever the head fits.
  return c.layout === 'rows'
    ? { rows: c.R, keys: c.KB, workgroup: c.WG, registers: c.acc === 'registers' && registerChunks(c.R, s.d, s.d) > 0 }
    : null;
}

const LAYOUT_NOTE: Record<string, string> = {
  workgroup: 'workgroup layout (flash.wgsl: query blocks and K/V tiles in workgroup memory)',
  rows: 'rows layout (flash_rows.wgsl: a block of query rows and every output column per invocation, no workgroup memory)',
};
const layoutName = (layout: string | null) => (layout === null ? 'no GPU' : (LAYOUT_NOTE[layout] ?? `${layout} layout`));

/** The FLOP line: what the flash layout that ran does at this head dim. */
export function renderFlopsNote(s: State, layout: string | null): void {
  const tile = FLASH_TILE(s.d, s.d);
  const c = attentionCounts(s.n, s.n, s.d, s.d, tile);
  const workgroupRatio = c.flashFlops / c.naiveFlops;
  const el = $('flops-note');
  const same = `the same ${c.naiveFlops.toExponential(2)} FLOPs per head as naive`;
  const workgroupText =
    c.dvBlocks === 1
      ? `covers all ${s.d} output columns in one workgroup per query block, so it computes QKᵀ once: ${same} (ratio 1.00).`
      : `splits O into ${c.dvBlocks} blocks of ${tile.blockDv} columns, and each recomputes QKᵀ: ` +
        `${c.flashFlops.toExponential(2)} FLOPs per head against naive's ${c.naiveFlops.toExponential(2)} (ratio ${workgroupRatio.toFixed(2)}).`;
  el.dataset.layout = layout ?? '';
  if (layout === 'rows') {
    el.dataset.ratio = (1).toFixed(4);
    el.textContent = `FLOPs at d = dv = ${s.d}, ${layoutName(layout)}: QKᵀ once per key for any head dim, ${same} (ratio 1.00).`;
  } else if (layout === 'workgroup') {
    el.dataset.ratio = workgroupRatio.toFixed(4);
    el.textContent = `FLOPs at d = dv = ${s.d}, ${layoutName(layout)}: it ${workgroupText}`;
  } else {
    el.dataset.ratio = '';
    el.textContent =
      `FLOPs at d = dv = ${s.d}: ${layout === null ? 'without a GPU no layout ran; ' : `this device ran the ${layout} layout, not described here; `}` +
      `the workgroup layout ${workgroupText} The rows layout computes QKᵀ once per key: ratio 1.00.`;
  }
}

/** The I/O answer's live figures at the chosen N and d, for the layout that ran (workgroup without a GPU). */
export function renderIo(s: State, layout: string | null, blocks: RowsBlocks | null): void {
  const tile = FLASH_TILE(s.d, s.d);
  const c = attentionCounts(s.n, s.n, s.d, s.d, tile);
  const naive =
    `Naive's S and P traffic alone is ${formatBinaryBytes(c.naiveScoreBytes)} (S written once and read twice, P written once ` +
    `and read once), on top of its own reads of Q, K and V.`;
  const el = $('io-live');
  el.dataset.layout = layout ?? '';
  el.dataset.naiveScoreBytes = String(c.naiveScoreBytes);
  if (layout === 'rows' && blocks) {
    const r = rowsTraffic(s.n, s.n, s.d, s.d, blocks);
    el.dataset.kvBytes = String(r.kvBytes);
    el.textContent =
      `Here, N = ${s.n} and d = dv = ${s.d}, your device ran the ${layoutName(layout)}, ${blocks.rows} query rows per ` +
      `invocation. Each of the ${r.invocations} ` +
      `invocations per head streams every key, so K and V are read ${r.invocations} times: ${formatBinaryBytes(r.kvBytes)}, ` +
      (blocks.registers
        ? `and the running output stays in registers and is written once: ${formatBinaryBytes(r.oBytes)}. `
        : `and the running output is read and written once per ${blocks.keys} keys: ${formatBinaryBytes(r.oBytes)}. `) +
      `${naive} ` +
      `Counted without caches the rows layout moves far more than naive; it is built for CPU-style adapters, where ` +
      `neighbouring invocations read the same key at the same moment and the CPU's caches serve the re-reads.`;
    return;
  }
  el.dataset.kvBytes = String(c.flashKvBytes);
  el.textContent =
    `Here, N = ${s.n} and d = dv = ${s.d}, ${layout === 'workgroup' ? `your device ran the ${layoutName(layout)}` : 'for the workgroup layout'}: ` +
    `query blocks of B_r = ${tile.blockQ} rows and key tiles of B_c = ${tile.blockK} keys ` +
    `(${formatBinaryBytes(tile.workgroupBytes)} of workgroup memory per workgroup), so per head K and V are read ` +
    `${c.qBlocks} times${c.dvBlocks > 1 ? ' (K once more per extra column block)' : ''}: ${formatBinaryBytes(c.flashKvBytes)}, ` +
    `plus ${formatBinaryBytes(c.flashQoBytes)} for Q and O. ${naive} Flash's K/V reads are ` +
    `${(c.flashKvBytes / c.naiveScoreBytes).toFixed(2)}× naive's S and P traffic. Both counts ignore caches, which serve many ` +
    `of these re-reads on a real GPU.`;
}

/** The causal line: flash's measured time with causal on ÷ causal off, and the fraction of score blocks visited. */
export function renderCausalRatio(
  s: State,
  onMs: number,
  offMs: number,
  layoutOn: string | null,
  layoutOff: string | null,
  blocksOn: RowsBlocks | null,
): void {
  const tile = FLASH_TILE(s.d, s.d);
  const [bq, bk, what] =
    layoutOn === 'rows' && blocksOn
      ? [
          blocksOn.rows * blocksOn.workgroup,
          blocksOn.keys,
          `${blocksOn.rows * blocksOn.workgroup}×${blocksOn.keys} blocks (a workgroup's rows × a key group)`,
        ]
      : [tile.blockQ, tile.blockK, 'tiles'];
  const { visited, total } = visitedTiles(s.n, s.n, bq, bk, true);
  const ratio = onMs / offMs;
  const el = $('causal-ratio');
  Object.assign(el.dataset, {
    on: String(onMs),
    off: String(offMs),
    ratio: String(ratio),
    visited: String(visited / total),
    layout: layoutOn ?? '',
    blocks: blocksOn ? JSON.stringify(blocksOn) : '',
  });
  el.textContent =
    `Flash (${layoutOn ?? 'unknown'} layout), causal on ÷ causal off, measured at N = ${s.n}, d = ${s.d}: ${ratio.toFixed(2)} ` +
    `(${onMs.toFixed(2)} ms ÷ ${offMs.toFixed(2)} ms, medians of 3)` +
    `${layoutOff !== layoutOn ? `; causal off ran the ${layoutOff ?? 'unknown'} layout` : ''}. With causal on it visits ${visited} of ${total} ` +
    `${what} (${(visited / total).toFixed(2)}).`;
}
