/**
 * CPU references for attention maps and the flash-attention step-through, in float64.
 *
 * - `attentionScoresReference` / `attentionWeightsReference`: the scaled logits
 *   S = scale·Q·Kᵀ and the weights P = softmax(S + mask) for every head, the matrix
 *   `<attention-map>` draws (the fallback without a GPU, and the test oracle).
 * - `attentionRowStats`: the exact softmax statistics of naive attention for chosen
 *   query rows: the row max m = maxⱼ sᵢⱼ and the row sum l = Σⱼ exp(sᵢⱼ − m).
 * - `flashTraceReference`: the flash kernel's tile schedule for one query block, run
 *   on the CPU. After each K/V tile it records the running max m, the running sum l
 *   and the factor exp(m_old − m_new) that rescaled the running output. Its last m and l
 *   equal `attentionRowStats`, which is the point of the online softmax.
 *
 * Conventions (the same as the attention kernels): q `[B, H, Nq, d]`, k and v
 * `[B, H, Nk, d]`, row-major. The causal mask is aligned bottom-right: query i sees key
 * j iff j ≤ i + (Nk − Nq). With a sliding `window` W it sees only keys j ≥ i + (Nk − Nq) − W
 * (the kernels' rule). `keyLengths[b]` masks keys j ≥ keyLengths[b]. A row with no
 * visible key has m = −∞, l = 0 and a zero output (not NaN, not mean(V)).
 * `precision: 'f32'` rounds every step to float32 (`Math.fround`): the f32 baseline
 * of the project's tolerance rule.
 */
import { InvalidArgumentError, ShapeError } from '../problem/errors';
import { assertHostTensor, type HostTensor } from '../problem/shape';

/** The masks and scale shared by every function here. */
export interface MaskOptions {
  /** Bottom-right aligned causal mask. */
  causal?: boolean;
  /** Logit scale; default 1/√d. */
  scale?: number;
  /** Per batch: keys at or past this index are padding. */
  keyLengths?: readonly number[];
  /** Sliding window: query i sees keys j ≥ i + (Nk − Nq) − window only (an integer ≥ 0; absent: unbounded). */
  window?: number | null;
}

/** One K/V tile visited by the flash kernel for the traced query block. */
export interface FlashTraceStep {
  /** Index of the K/V tile (keys kBlock·blockK … kBlock·blockK + blockK − 1). */
  kBlock: number;
  /** True when the causal mask or the key length hides the whole tile from the block, so it is not loaded. */
  skipped: boolean;
  /** Running max per traced row after this tile (−∞ while the row has seen no key). */
  m: Float32Array;
  /** Running sum per traced row after this tile, relative to the running max. */
  l: Float32Array;
  /** exp(m_old − m_new): the factor the running sum and output were multiplied by. */
  rescale: Float32Array;
}

/** The trace of one query block (the same shape as the flash kernel's trace mode). */
export interface FlashTrace {
  blockQ: number;
  blockK: number;
  queryBlock: number;
  /** The global query indices of the block's rows. */
  rows: number[];
  steps: FlashTraceStep[];
}

export interface FlashTraceOptions extends MaskOptions {
  batch?: number;
  head?: number;
  /** Which block of `blockQ` query rows to trace. */
  queryBlock: number;
  /** Query rows per block (default 16). */
  blockQ?: number;
  /** Keys per K/V tile (default 16). */
  blockK?: number;
}

export type Precision = 'f64' | 'f32';

export interface AttentionDims {
  B: number;
  H: number;
  Nq: number;
  Nk: number;
  d: number;
}

const OP = 'flashTrace';

/** Validates q/k (and v when given) and returns the dimensions. Throws typed errors. */
export function attentionDims(op: string, q: HostTensor, k: HostTensor, v?: HostTensor, opts: MaskOptions = {}): AttentionDims {
  assertHostTensor(op, 'q', q);
  assertHostTensor(op, 'k', k);
  if (v) assertHostTensor(op, 'v', v);
  if (q.shape.length !== 4 || k.shape.length !== 4 || (v && v.shape.length !== 4)) {
    throw new ShapeError(op, 'q, k and v must have rank 4 ([B, H, N, d])', { q: q.shape, k: k.shape, ...(v ? { v: v.shape } : {}) });
  }
  const [B, H, Nq, d] = q.shape as [number, number, number, number];
  const [kB, kH, Nk, kd] = k.shape as [number, number, number, number];
  if (kB !== B || kH !== H || kd !== d) throw new ShapeError(op, 'k must match q in batch, heads and head dim', { q: q.shape, k: k.shape });
  if (v && (v.shape[0] !== B || v.shape[1] !== H || v.shape[2] !== Nk)) {
    throw new ShapeError(op, 'v must match k in batch, heads and keys', { k: k.shape, v: v.shape });
  }
  if (opts.scale !== undefined && !(Number.isFinite(opts.scale) && opts.scale > 0)) {
    throw new InvalidArgumentError(op, 'scale', opts.scale, 'a finite positive number');
  }
  if (opts.window !== undefined && opts.window !== null && !(Number.isInteger(opts.window) && opts.window >= 0)) {
    throw new InvalidArgumentError(op, 'window', opts.window, 'an integer ≥ 0');
  }
  if (opts.keyLengths !== undefined) {
    const kl = opts.keyLengths;
    if (!Array.isArray(kl) || kl.length !== B || kl.some((x) => !Number.isInteger(x) || x < 0 || x > Nk)) {
      throw new InvalidArgumentError(op, 'keyLengths', kl, `${B} integers in [0, ${Nk}]`);
    }
  }
  return { B, H, Nq, Nk, d };
}

/** Whether query i may see key j under the masks (bottom-right causal, key lengths, sliding window). */
export function isVisible(
  i: number,
  j: number,
  dims: Pick<AttentionDims, 'Nq' | 'Nk'>,
  causal: boolean,
  keyLength: number,
  window: number | null = null,
): boolean {
  if (j >= keyLength) return false;
  const diag = i + (dims.Nk - dims.Nq);
  if (window !== null && j < diag - window) return false;
  return !causal || j <= diag;
}

/** The mask of one batch element: 1 where query i cannot see key j, `[Nq·Nk]`. */
export function maskMatrix(Nq: number, Nk: number, causal: boolean, keyLength = Nk, window: number | null = null): Uint8Array {
  const out = new Uint8Array(Nq * Nk);
  for (let i = 0; i < Nq; i++)
    for (let j = 0; j < Nk; j++) out[i * Nk + j] = isVisible(i, j, { Nq, Nk }, causal, keyLength, window) ? 0 : 1;
  return out;
}

function rounder(precision: Precision): (x: number) => number {
  return precision === 'f32' ? Math.fround : (x: number) => x;
}

function dot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number, r: (x: number) => number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s = r(s + r(a[ao + t]! * b[bo + t]!));
  return s;
}

/** The scaled logits scale·q·kᵀ of one batch element, unmasked: `[H, Nq, Nk]` in float64 (or f32 steps). */
export function attentionScoresReference(
  q: HostTensor,
  k: HostTensor,
  opts: MaskOptions & { batch?: number } = {},
  precision: Precision = 'f64',
): { data: Float64Array; shape: number[] } {
  const { B, H, Nq, Nk, d } = attentionDims('attentionScores', q, k, undefined, opts);
  const b = opts.batch ?? 0;
  if (!Number.isInteger(b) || b < 0 || b >= B) throw new InvalidArgumentError('attentionScores', 'batch', b, `an integer in [0, ${B - 1}]`);
  const r = rounder(precision);
  const scale = r(opts.scale ?? 1 / Math.sqrt(d));
  const out = new Float64Array(H * Nq * Nk);
  for (let h = 0; h < H; h++) {
    const qo = (b * H + h) * Nq * d;
    const ko = (b * H + h) * Nk * d;
    for (let i = 0; i < Nq; i++)
      for (let j = 0; j < Nk; j++) out[(h * Nq + i) * Nk + j] = r(scale * dot(q.data, qo + i * d, k.data, ko + j * d, d, r));
  }
  return { data: out, shape: [H, Nq, Nk] };
}

/**
 * The attention weights P = softmax(scale·Q·Kᵀ + mask) of one batch element, `[H, Nq, Nk]`.
 * Masked entries are 0; a row with no visible key is all zeros.
 */
export function attentionWeightsReference(
  q: HostTensor,
  k: HostTensor,
  opts: MaskOptions & { batch?: number } = {},
  precision: Precision = 'f64',
): { data: Float64Array; shape: number[] } {
  const scores = attentionScoresReference(q, k, opts, precision);
  const [H, Nq, Nk] = scores.shape as [number, number, number];
  const keyLength = opts.keyLengths?.[opts.batch ?? 0] ?? Nk;
  const causal = Boolean(opts.causal);
  const window = opts.window ?? null;
  const r = rounder(precision);
  const out = new Float64Array(H * Nq * Nk);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < Nq; i++) {
      const row = (h * Nq + i) * Nk;
      let m = -Infinity;
      for (let j = 0; j < Nk; j++) if (isVisible(i, j, { Nq, Nk }, causal, keyLength, window)) m = Math.max(m, scores.data[row + j]!);
      if (m === -Infinity) continue;
      let l = 0;
      for (let j = 0; j < Nk; j++) {
        if (!isVisible(i, j, { Nq, Nk }, causal, keyLength, window)) continue;
        const e = r(Math.exp(r(scores.data[row + j]! - m)));
        out[row + j] = e;
        l = r(l + e);
      }
      for (let j = 0; j < Nk; j++) out[row + j] = r(out[row + j]! / l);
    }
  }
  return { data: out, shape: [H, Nq, Nk] };
}

/** Exact softmax statistics of naive attention for the chosen rows of one (batch, head). */
export function attentionRowStats(
  q: HostTensor,
  k: HostTensor,
  opts: MaskOptions & { batch?: number; head?: number; rows: readonly number[] },
  precision: Precision = 'f64',
): { max: Float64Array; sum: Float64Array } {
  const { B, H, Nq, Nk, d } = attentionDims('attentionRowStats', q, k, undefined, opts);
  const b = opts.batch ?? 0;
  const h = opts.head ?? 0;
  if (!Number.isInteger(b) || b < 0 || b >= B)
    throw new InvalidArgumentError('attentionRowStats', 'batch', b, `an integer in [0, ${B - 1}]`);
  if (!Number.isInteger(h) || h < 0 || h >= H)
    throw new InvalidArgumentError('attentionRowStats', 'head', h, `an integer in [0, ${H - 1}]`);
  const r = rounder(precision);
  const scale = r(opts.scale ?? 1 / Math.sqrt(d));
  const keyLength = opts.keyLengths?.[b] ?? Nk;
  const qo = (b * H + h) * Nq * d;
  const ko = (b * H + h) * Nk * d;
  const max = new Float64Array(opts.rows.length);
  const sum = new Float64Array(opts.rows.length);
  opts.rows.forEach((i, n) => {
    if (!Number.isInteger(i) || i < 0 || i >= Nq)
      throw new InvalidArgumentError('attentionRowStats', 'rows', opts.rows, `integers in [0, ${Nq - 1}]`);
    const s: number[] = [];
    for (let j = 0; j < Nk; j++)
      if (isVisible(i, j, { Nq, Nk }, Boolean(opts.causal), keyLength, opts.window ?? null))
        s.push(r(scale * dot(q.data, qo + i * d, k.data, ko + j * d, d, r)));
    const m = s.length ? Math.max(...s) : -Infinity;
    let l = 0;
    for (const x of s) l = r(l + r(Math.exp(r(x - m))));
    max[n] = m;
    sum[n] = l;
  });
  return { max, sum };
}

/** The number of query blocks and K/V tiles for these sizes. */
export function tileCounts(Nq: number, Nk: number, blockQ: number, blockK: number): { qBlocks: number; kBlocks: number } {
  return { qBlocks: Math.ceil(Nq / blockQ), kBlocks: Math.ceil(Nk / blockK) };
}

/**
 * Whether the flash kernel skips K/V tile `kBlock` for query block `queryBlock`: every
 * key in it lies past the last key any row of the block may see, because of the
 * causal mask (the tile is entirely above the bottom-right diagonal) or the key length
 * (the tile is all padding), or every key in it lies before the first row's sliding
 * window. This is the kernel's rule (shaders/attention/flash.wgsl).
 */
export function isTileSkipped(
  queryBlock: number,
  kBlock: number,
  dims: Pick<AttentionDims, 'Nq' | 'Nk'>,
  blockQ: number,
  blockK: number,
  causal: boolean,
  keyLength: number = dims.Nk,
  window: number | null = null,
): boolean {
  const lastRow = Math.min(dims.Nq, (queryBlock + 1) * blockQ) - 1;
  // One past the last key the block may see.
  let end = Math.min(dims.Nk, keyLength);
  if (causal) end = Math.min(end, lastRow + (dims.Nk - dims.Nq) + 1);
  // The first key the block may see: the first row's window start, from the tile holding it.
  const start = window === null ? 0 : Math.min(dims.Nk, Math.max(0, queryBlock * blockQ + (dims.Nk - dims.Nq) - window));
  const firstTile = Math.min(Math.floor(start / blockK), Math.ceil(Math.max(0, end) / blockK));
  return kBlock * blockK >= end || kBlock < firstTile;
}

/**
 * The flash kernel's schedule for one query block, on the CPU in float64: for each
 * K/V tile, for each row, m_new = max(m, maxⱼ sⱼ), α = exp(m − m_new),
 * l ← α·l + Σⱼ exp(sⱼ − m_new), o ← α·o + Σⱼ exp(sⱼ − m_new)·vⱼ; finally O = o / l
 * (0 where l = 0). `output` holds the block's rows, `[rows, d]`.
 */
export function flashTraceReference(
  q: HostTensor,
  k: HostTensor,
  v: HostTensor,
  opts: FlashTraceOptions,
): { output: { data: Float32Array; shape: number[] }; trace: FlashTrace; outputF64: Float64Array } {
  const { B, H, Nq, Nk, d } = attentionDims(OP, q, k, v, opts);
  const blockQ = opts.blockQ ?? 16;
  const blockK = opts.blockK ?? 16;
  for (const [name, x] of [
    ['blockQ', blockQ],
    ['blockK', blockK],
  ] as const) {
    if (!Number.isInteger(x) || x < 1 || x > 1024) throw new InvalidArgumentError(OP, name, x, 'an integer in [1, 1024]');
  }
  const b = opts.batch ?? 0;
  const h = opts.head ?? 0;
  if (!Number.isInteger(b) || b < 0 || b >= B) throw new InvalidArgumentError(OP, 'batch', b, `an integer in [0, ${B - 1}]`);
  if (!Number.isInteger(h) || h < 0 || h >= H) throw new InvalidArgumentError(OP, 'head', h, `an integer in [0, ${H - 1}]`);
  const { qBlocks, kBlocks } = tileCounts(Nq, Nk, blockQ, blockK);
  const qb = opts.queryBlock;
  if (!Number.isInteger(qb) || qb < 0 || qb >= qBlocks)
    throw new InvalidArgumentError(OP, 'queryBlock', qb, `an integer in [0, ${qBlocks - 1}]`);
  const causal = Boolean(opts.causal);
  const window = opts.window ?? null;
  const scale = opts.scale ?? 1 / Math.sqrt(d);
  const keyLength = opts.keyLengths?.[b] ?? Nk;
  const rows: number[] = [];
  for (let i = qb * blockQ; i < Math.min(Nq, (qb + 1) * blockQ); i++) rows.push(i);
  const R = rows.length;
  const qo = (b * H + h) * Nq * d;
  const ko = (b * H + h) * Nk * d;
  const m = new Float64Array(R).fill(-Infinity);
  const l = new Float64Array(R);
  const o = new Float64Array(R * d);
  const steps: FlashTraceStep[] = [];
  for (let kb = 0; kb < kBlocks; kb++) {
    const skipped = isTileSkipped(qb, kb, { Nq, Nk }, blockQ, blockK, causal, keyLength, window);
    const rescale = new Float32Array(R).fill(1);
    if (!skipped) {
      rows.forEach((i, r) => {
        const s: [number, number][] = [];
        for (let j = kb * blockK; j < Math.min(Nk, (kb + 1) * blockK); j++) {
          if (isVisible(i, j, { Nq, Nk }, causal, keyLength, window))
            s.push([j, scale * dot(q.data, qo + i * d, k.data, ko + j * d, d, (x) => x)]);
        }
        let mNew = m[r]!;
        for (const [, x] of s) mNew = Math.max(mNew, x);
        // Nothing seen yet and nothing new: the row stays empty (α = 1 by convention).
        const alpha = mNew === -Infinity ? 1 : Math.exp(m[r]! - mNew);
        let lNew = l[r]! * alpha;
        for (let t = 0; t < d; t++) o[r * d + t] = o[r * d + t]! * alpha;
        for (const [j, x] of s) {
          const p = Math.exp(x - mNew);
          lNew += p;
          const vo = ko + j * d;
          for (let t = 0; t < d; t++) o[r * d + t] = o[r * d + t]! + p * v.data[vo + t]!;
        }
        m[r] = mNew;
        l[r] = lNew;
        rescale[r] = alpha;
      });
    }
    steps.push({ kBlock: kb, skipped, m: Float32Array.from(m), l: Float32Array.from(l), rescale });
  }
  const outputF64 = new Float64Array(R * d);
  for (let r = 0; r < R; r++) for (let t = 0; t < d; t++) outputF64[r * d + t] = l[r]! > 0 ? o[r * d + t]! / l[r]! : 0;
  return {
    output: { data: Float32Array.from(outputF64), shape: [R, d] },
    trace: { blockQ, blockK, queryBlock: qb, rows, steps },
    outputF64,
  };
}

/** Bytes that naive attention's score matrix takes (`B·H·Nq·Nk` f32) against the flash kernel's per-workgroup tiles. */
export function attentionMemory(
  dims: AttentionDims,
  blockQ: number,
  blockK: number,
): { naiveScoreBytes: number; flashTileBytes: number; flashWorkgroups: number } {
  const { B, H, Nq, Nk, d } = dims;
  // A Q tile, a K tile and a V tile in workgroup memory, the tile of scores, plus m and l per row.
  const perWorkgroup = 4 * (blockQ * d + 2 * blockK * d + blockQ * blockK + 2 * blockQ);
  return { naiveScoreBytes: 4 * B * H * Nq * Nk, flashTileBytes: perWorkgroup, flashWorkgroups: B * H * Math.ceil(Nq / blockQ) };
}
