/**
 * The data side of `<flash-tiles>`: run the flash kernel's trace for one query block
 * on the GPU (through a `FlashTraceSource`, by default the attention kernels' trace
 * mode) or, without one, the CPU trace reference with the same tile schedule; attach
 * the exact softmax statistics of naive attention and the memory either one holds.
 * Nothing here touches the DOM.
 */
import type { Gpu } from '../gpu/device';
import type { Tensor } from '../gpu/tensor';
import {
  attentionDims,
  attentionMemory,
  attentionRowStats,
  flashTraceReference,
  isTileSkipped,
  tileCounts,
  type FlashTrace,
} from '../reference/flash-trace';

/** Q, K, V of one (batch, head): `[1, 1, N, d]` each (k and v share Nk). */
export interface FlashInputs {
  q: { data: Float32Array; shape: number[] };
  k: { data: Float32Array; shape: number[] };
  v: { data: Float32Array; shape: number[] };
}

/** Options of one trace. */
export interface FlashTraceRequest {
  causal: boolean;
  /** Keys at or past this index are padding (Nk for none). */
  keyLength: number;
  queryBlock: number;
  /** Tile sizes for the CPU trace when no GPU source decides them. */
  blockQ: number;
  blockK: number;
}

/**
 * Where a GPU trace comes from: the flash kernel's trace mode and its tiling rule.
 * `trace` must return the same output as the normal flash kernel.
 */
export interface FlashTraceSource {
  /** A name for the status line, e.g. "the flash kernel (shaders/attention/flash.wgsl)". */
  name: string;
  /** The tile sizes the kernel uses for head dim d. */
  tile: (d: number) => { blockQ: number; blockK: number; workgroupBytes?: number };
  trace: (
    gpu: Gpu,
    q: FlashInputs['q'],
    k: FlashInputs['k'],
    v: FlashInputs['v'],
    opts: { causal: boolean; keyLengths: number[]; batch: number; head: number; queryBlock: number },
  ) => Promise<{ output: Tensor; trace: FlashTrace }>;
}

/** What the element draws. */
export interface FlashTilesModel {
  Nq: number;
  Nk: number;
  d: number;
  blockQ: number;
  blockK: number;
  qBlocks: number;
  kBlocks: number;
  queryBlock: number;
  causal: boolean;
  keyLength: number;
  /** The trace; m values at or below −1e30 (the kernel's "no key yet" sentinel) are shown as −∞. */
  trace: FlashTrace;
  /** Exact naive statistics of the traced rows (float64): row max and Σ exp(s − max). */
  exact: { max: Float64Array; sum: Float64Array };
  /** `[qBlocks·kBlocks]`, 1 where the tile is skipped. */
  skipped: Uint8Array;
  source: 'gpu' | 'cpu';
  /** Why the CPU trace was used (null for the GPU). */
  cpuReason: string | null;
  sourceName: string;
  /** GPU output of the block against the float64 reference (null on the CPU). */
  outputMaxAbsErr: number | null;
  memory: { naiveScoreBytes: number; flashTileBytes: number; outputBytes: number };
}

/** Logits below this are the kernel's mask / "nothing seen yet" sentinel. */
const SENTINEL = -1e30;

function normalizeTrace(trace: FlashTrace): FlashTrace {
  return {
    ...trace,
    rows: [...trace.rows],
    steps: trace.steps.map((s) => ({ ...s, m: s.m.map((x) => (x <= SENTINEL ? -Infinity : x)) })),
  };
}

/** The tile sizes in use: the GPU source's rule when it will be used, else the request's. */
export function tilesFor(
  d: number,
  req: FlashTraceRequest,
  source: FlashTraceSource | null,
  gpu: Gpu | null,
): { blockQ: number; blockK: number; workgroupBytes?: number } {
  return gpu && source ? source.tile(d) : { blockQ: req.blockQ, blockK: req.blockK };
}

/** Runs the trace (GPU when `gpu` and `source` are given, else CPU) and gathers what is drawn. */
export async function computeFlashTiles(
  inputs: FlashInputs,
  req: FlashTraceRequest,
  gpu: Gpu | null,
  source: FlashTraceSource | null,
  cpuReason: string | null,
  signal?: AbortSignal,
): Promise<FlashTilesModel> {
  const { Nq, Nk, d } = attentionDims('flashTiles', inputs.q, inputs.k, inputs.v);
  const tile = tilesFor(d, req, source, gpu);
  const { qBlocks, kBlocks } = tileCounts(Nq, Nk, tile.blockQ, tile.blockK);
  const queryBlock = Math.max(0, Math.min(qBlocks - 1, Math.floor(req.queryBlock)));
  const keyLength = Math.max(0, Math.min(Nk, Math.floor(req.keyLength)));
  const opts = { causal: req.causal, keyLengths: [keyLength], batch: 0, head: 0, queryBlock };
  const cpu = flashTraceReference(inputs.q, inputs.k, inputs.v, { ...opts, blockQ: tile.blockQ, blockK: tile.blockK });
  let trace = cpu.trace;
  let outputMaxAbsErr: number | null = null;
  let used: 'gpu' | 'cpu' = 'cpu';
  if (gpu && source) {
    const r = await source.trace(gpu, inputs.q, inputs.k, inputs.v, opts);
    try {
      const all = await r.output.read();
      signal?.throwIfAborted();
      trace = r.trace;
      let err = 0;
      trace.rows.forEach((i, rr) => {
        for (let t = 0; t < d; t++) err = Math.max(err, Math.abs(all[i * d + t]! - cpu.outputF64[rr * d + t]!));
      });
      outputMaxAbsErr = err;
      used = 'gpu';
    } finally {
      r.output.destroy();
    }
  }
  const exact = attentionRowStats(inputs.q, inputs.k, { causal: req.causal, keyLengths: [keyLength], rows: trace.rows });
  const skipped = new Uint8Array(qBlocks * kBlocks);
  for (let qb = 0; qb < qBlocks; qb++)
    for (let kb = 0; kb < kBlocks; kb++)
      skipped[qb * kBlocks + kb] = isTileSkipped(qb, kb, { Nq, Nk }, tile.blockQ, tile.blockK, req.causal, keyLength) ? 1 : 0;
  const mem = attentionMemory({ B: 1, H: 1, Nq, Nk, d }, tile.blockQ, tile.blockK);
  return {
    Nq,
    Nk,
    d,
    blockQ: tile.blockQ,
    blockK: tile.blockK,
    qBlocks,
    kBlocks,
    queryBlock,
    causal: req.causal,
    keyLength,
    trace: normalizeTrace(trace),
    exact,
    skipped,
    source: used,
    cpuReason: used === 'cpu' ? (cpuReason ?? 'no GPU trace source') : null,
    sourceName: used === 'gpu' ? source!.name : 'the CPU trace reference (src/reference/flash-trace.ts, float64)',
    outputMaxAbsErr,
    memory: { naiveScoreBytes: mem.naiveScoreBytes, flashTileBytes: tile.workgroupBytes ?? mem.flashTileBytes, outputBytes: 4 * Nq * d },
  };
}

/** The trace and statistics as plain JSON (for export). */
export function flashTilesJson(model: FlashTilesModel) {
  return {
    source: model.source,
    sourceName: model.sourceName,
    cpuReason: model.cpuReason,
    shape: { Nq: model.Nq, Nk: model.Nk, d: model.d },
    causal: model.causal,
    keyLength: model.keyLength,
    blockQ: model.blockQ,
    blockK: model.blockK,
    queryBlock: model.queryBlock,
    rows: model.trace.rows,
    steps: model.trace.steps.map((s) => ({
      kBlock: s.kBlock,
      skipped: s.skipped,
      m: Array.from(s.m),
      l: Array.from(s.l),
      rescale: Array.from(s.rescale),
    })),
    exact: { max: Array.from(model.exact.max), sum: Array.from(model.exact.sum) },
    outputMaxAbsErr: model.outputMaxAbsErr,
    memory: model.memory,
  };
}
