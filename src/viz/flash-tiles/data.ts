/**
 * The data side of `<flash-tiles>`: run the flash kernel's trace for one query block
 * on the GPU (through a `FlashTraceSource`, by default the attention kernels' trace
 * mode) or, without one, the CPU trace reference with the same tile schedule; attach
 * the exact softmax statistics of naive attention and the memory either one holds.
 * With a sliding window, the tiles left of every row's window are skipped too (the
 * kernel's rule). With `keysPerSplit`, also the split-K ("flash-decoding") view: the
 * keys cut into ranges, each range's partial (m, l) per traced row, and their
 * log-sum-exp merge, which equals the exact statistics. Nothing here touches the DOM.
 */
import type { Gpu } from '../../gpu/device';
import type { Tensor } from '../../gpu/tensor';
import {
  attentionDims,
  attentionMemory,
  attentionRowStats,
  flashTraceReference,
  isTileSkipped,
  isVisible,
  tileCounts,
  type FlashTrace,
} from '../../reference/flash-trace';

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
  /** Sliding window: keys left of the diagonal a query sees (null: unbounded). */
  window?: number | null;
  /** Split-K view: keys per split (null or absent: no split-K view). */
  keysPerSplit?: number | null;
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
    opts: { causal: boolean; keyLengths: number[]; batch: number; head: number; queryBlock: number; window?: number },
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
  /** The sliding window (null: none). */
  window: number | null;
  /** The split-K view (null when not asked for). */
  splitK: SplitKModel | null;
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

/**
 * Split-K ("flash-decoding") for the traced rows: the visible keys [start, end) cut into
 * ranges of `keysPerSplit`; each range's partial statistics per row (m_s = max of its
 * logits, l_s = Σ e^{s − m_s}; −∞ and 0 for a row that sees none of it), and the merge
 * M = max_s m_s, L = Σ_s e^{m_s − M}·l_s, which equals the exact row max and sum.
 */
export interface SplitKModel {
  keysPerSplit: number;
  splits: { start: number; end: number; m: Float64Array; l: Float64Array }[];
  merged: { m: Float64Array; l: Float64Array };
}

/** The split-K partials and their merge for `rows` of one head (float64, the kernels' split plan). */
export function splitKStats(
  inputs: FlashInputs,
  rows: readonly number[],
  opts: { causal: boolean; keyLength: number; window: number | null; keysPerSplit: number },
): SplitKModel {
  const [, , Nq, d] = inputs.q.shape as [number, number, number, number];
  const Nk = inputs.k.shape[2]!;
  const off = Nk - Nq;
  const L = opts.keysPerSplit;
  // The kernels' plan: from row 0's window start to the last row's causal end.
  const start = opts.window === null ? 0 : Math.min(Nk, Math.max(0, off - opts.window));
  const end = Math.min(opts.keyLength, opts.causal ? Math.max(0, Nq - 1 + off + 1) : Nk);
  const count = Math.max(1, Math.ceil(Math.max(0, end - start) / L));
  const scale = 1 / Math.sqrt(d);
  const logit = (i: number, j: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += inputs.q.data[i * d + t]! * inputs.k.data[j * d + t]!;
    return s * scale;
  };
  const splits = Array.from({ length: count }, (_, sIdx) => {
    const a = start + sIdx * L;
    const b = Math.min(end, a + L);
    const m = new Float64Array(rows.length).fill(-Infinity);
    const l = new Float64Array(rows.length);
    rows.forEach((i, r) => {
      const vals: number[] = [];
      for (let j = a; j < b; j++) if (isVisible(i, j, { Nq, Nk }, opts.causal, opts.keyLength, opts.window)) vals.push(logit(i, j));
      if (vals.length === 0) return;
      const mx = Math.max(...vals);
      m[r] = mx;
      l[r] = vals.reduce((acc, x) => acc + Math.exp(x - mx), 0);
    });
    return { start: a, end: Math.max(a, b), m, l };
  });
  const M = new Float64Array(rows.length).fill(-Infinity);
  const Lsum = new Float64Array(rows.length);
  rows.forEach((_, r) => {
    for (const sp of splits) M[r] = Math.max(M[r]!, sp.m[r]!);
    if (M[r] === -Infinity) return;
    for (const sp of splits) if (sp.l[r]! > 0) Lsum[r] = Lsum[r]! + Math.exp(sp.m[r]! - M[r]!) * sp.l[r]!;
  });
  return { keysPerSplit: L, splits, merged: { m: M, l: Lsum } };
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
  const window = req.window ?? null;
  const opts = { causal: req.causal, keyLengths: [keyLength], batch: 0, head: 0, queryBlock, ...(window !== null ? { window } : {}) };
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
  const exact = attentionRowStats(inputs.q, inputs.k, { causal: req.causal, keyLengths: [keyLength], window, rows: trace.rows });
  const skipped = new Uint8Array(qBlocks * kBlocks);
  for (let qb = 0; qb < qBlocks; qb++)
    for (let kb = 0; kb < kBlocks; kb++)
      skipped[qb * kBlocks + kb] = isTileSkipped(qb, kb, { Nq, Nk }, tile.blockQ, tile.blockK, req.causal, keyLength, window) ? 1 : 0;
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
    window,
    splitK: req.keysPerSplit
      ? splitKStats(inputs, trace.rows, { causal: req.causal, keyLength, window, keysPerSplit: req.keysPerSplit })
      : null,
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
    window: model.window,
    splitK: model.splitK && {
      keysPerSplit: model.splitK.keysPerSplit,
      splits: model.splitK.splits.map((sp) => ({ start: sp.start, end: sp.end, m: Array.from(sp.m), l: Array.from(sp.l) })),
      merged: { m: Array.from(model.splitK.merged.m), l: Array.from(model.splitK.merged.l) },
    },
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
