/**
 * `attention(gpu, q, k, v, opts)`: O = softmax(scale·Q·Kᵀ + bias + mask)·V over
 * q [B, Hq, Nq, d], k [B, Hkv, Nk, d], v [B, Hkv, Nk, dv] → [B, Hq, Nq, dv], three ways:
 *
 * - `flash` (default): one fused kernel, online softmax; never allocates an Nq×Nk
 *   buffer. Layouts (`FlashConfig`): `workgroup` (shaders/attention/flash.wgsl), `rows`
 *   (flash_rows.wgsl), and for decoding `splitk` (flash_decode.wgsl + flash_merge.wgsl).
 * - `naive`: the textbook way, S = scale·Q·Kᵀ by matmul, P = softmax(S + masks), P·V.
 * - `linear`: kernel-feature linear attention φ(x) = elu(x) + 1, an approximation
 *   (shaders/attention/linear_prefix.wgsl states exactly what it computes).
 *
 * Variants (options): grouped-query / multi-query attention (Hq a multiple of Hkv; K/V
 * never copied per query head), a sliding window (`window`, `windowRight`), ALiBi
 * (`alibi`), logit soft-capping (`softcap`), and split-K decoding (`splitK`).
 *
 * `profileAttention` runs one call and reports its time and the peak bytes its
 * buffers used, measured by the runtime's buffer accounting. `flashAttentionTrace`
 * runs the flash kernel in trace mode for one query block.
 */
import type { Gpu } from '../gpu/device';
import { InvalidArgumentError } from '../problem/errors';
import type { MemoryReport } from '../gpu/memory';
import { shapeOf, type Tensor, type TensorLike } from '../gpu/tensor';
import type { GpuTiming } from '../gpu/timing';
import { naiveAttention } from './attention/naive';
import { prepare, type AttentionOptions, type Prepared } from './attention/prepare';
import { runFlash } from './attention/flash';
import { runLinear } from './attention/linear';
import { flashTile, resolveAttention, type FlashTile } from '../problem/attention';

export {
  ATTENTION_VARIANTS,
  MASK_THRESHOLD,
  alibiSlopes,
  attentionKeyRange,
  flashTile,
  resolveAttention,
  visibleKeyCount,
  type AttentionProblem,
  type AttentionVariant,
  type FlashTile,
} from '../problem/attention';
export type { AttentionOptions } from './attention/prepare';
export type { FlashConfig } from './attention/flash-config';

/**
 * The flash kernel's tile sizes for a head dim (and value dim): a function,
 * because the tiling is chosen from d so workgroup memory stays within 16 KB.
 * `FLASH_TILE(64)` → blockQ 16, blockK 64. See `flashTile` for every field.
 */
export const FLASH_TILE: (d: number, dv?: number) => FlashTile = flashTile;

async function run(gpu: Gpu, op: string, x: Prepared): Promise<Tensor> {
  if (x.p.variant === 'flash') return (await runFlash(gpu, op, x, null)).output;
  if (x.p.variant === 'linear') return runLinear(gpu, op, x);
  return naiveAttention(gpu, op, x.p, x.q, x.k, x.v, x.mask, x.bias);
}

/**
 * Scaled dot-product attention, O = softmax(scale·Q·Kᵀ + bias + mask)·V, with the
 * variants of `AttentionOptionsOf` (grouped-query heads, sliding window, ALiBi, softcap,
 * split-K decoding).
 *
 * @param q [B, Hq, Nq, d] (rank 3 [H, Nq, d] and rank 2 [Nq, d] also accepted)
 * @param k [B, Hkv, Nk, d], Hq a multiple of Hkv
 * @param v [B, Hkv, Nk, dv]
 * @returns a new tensor [B, Hq, Nq, dv]; rows with no visible key are 0.
 * @throws ShapeError / InvalidArgumentError / LimitExceededError before any GPU work.
 */
export async function attention(gpu: Gpu, q: TensorLike, k: TensorLike, v: TensorLike, opts?: AttentionOptions): Promise<Tensor> {
  // The op names the variant only once it is a string: a hostile one (a Symbol) must reach validation, not throw here.
  const variant: unknown = opts?.variant;
  const op = `attention:${typeof variant === 'string' ? variant : variant == null ? 'flash' : typeof variant}`;
  const x = await prepare(gpu, op, q, k, v, opts);
  try {
    return await run(gpu, op, x);
  } finally {
    for (const t of x.owned) t.destroy();
  }
}

/** One measured attention call. */
export interface AttentionProfile {
  output: Tensor;
  timing: GpuTiming;
  /** From the buffer accounting: every buffer the call created (uploads included) and the live-byte peak. */
  memory: MemoryReport;
  /** The largest single buffer the call allocated, in bytes. */
  largestBufferBytes: number;
}

/** Runs `attention` once inside a timing window and a memory measurement. */
export async function profileAttention(
  gpu: Gpu,
  q: TensorLike,
  k: TensorLike,
  v: TensorLike,
  opts?: AttentionOptions,
): Promise<AttentionProfile> {
  const { result, memory } = await gpu.memory.measure(() => gpu.time(() => attention(gpu, q, k, v, opts)));
  return {
    output: result.result,
    timing: result.timing,
    memory,
    largestBufferBytes: memory.allocations.reduce((a, r) => Math.max(a, r.bytes), 0),
  };
}

/** The flash kernel's running statistics for one query block, after each K/V tile. */
export interface FlashTrace {
  blockQ: number;
  blockK: number;
  queryBlock: number;
  /** Query indices of the block's rows (those < Nq). */
  rows: number[];
  /**
   * One step per K/V tile in order. `skipped` tiles were never visited (above the
   * causal diagonal or past the key length); m and l then carry over and rescale is 1.
   * m: running max of the scaled logits (+bias) per row; l: running sum Σ e^{s − m};
   * rescale: e^{m_old − m_new}, the factor applied to l and O at that step.
   */
  steps: { kBlock: number; skipped: boolean; m: Float32Array; l: Float32Array; rescale: Float32Array }[];
}

/** Options of `flashAttentionTrace`: attention's, plus which (batch, head, query block) to trace. */
export type FlashTraceOptions = AttentionOptions & { batch?: number; head?: number; queryBlock: number };

/**
 * Runs the flash kernel in trace mode (the same shader with `TRACE = true`, so the
 * arithmetic is identical) and returns its output, bit-identical to
 * `attention(…, {variant: 'flash'})`, with the trace of one query block.
 */
export async function flashAttentionTrace(
  gpu: Gpu,
  q: TensorLike,
  k: TensorLike,
  v: TensorLike,
  opts: FlashTraceOptions,
): Promise<{ output: Tensor; trace: FlashTrace }> {
  const op = 'attention:flash-trace';
  const { batch = 0, head = 0, queryBlock, ...rest } = opts ?? ({} as FlashTraceOptions);
  const flashOpts: AttentionOptions = { ...rest, variant: 'flash', splitK: undefined, config: undefined };
  // Validate the trace target on the CPU first, like everything else.
  const maskShape = rest.keyPaddingMask !== undefined ? shapeOf(op, 'keyPaddingMask', rest.keyPaddingMask) : null;
  const biasShape = rest.bias !== undefined ? shapeOf(op, 'bias', rest.bias) : null;
  const shapes = resolveAttention(op, shapeOf(op, 'q', q), shapeOf(op, 'k', k), shapeOf(op, 'v', v), flashOpts, maskShape, biasShape);
  const tile = flashTile(shapes.d, shapes.dv);
  const qBlocks = Math.ceil(shapes.Nq / tile.blockQ);
  const bad = (value: unknown, n: number) => typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= n;
  if (bad(batch, shapes.B)) throw new InvalidArgumentError(op, 'batch', batch, `an integer in [0, ${shapes.B})`);
  if (bad(head, shapes.H)) throw new InvalidArgumentError(op, 'head', head, `an integer in [0, ${shapes.H})`);
  if (bad(queryBlock, qBlocks))
    throw new InvalidArgumentError(op, 'queryBlock', queryBlock, `an integer in [0, ${qBlocks}) (blockQ = ${tile.blockQ})`);
  const x = await prepare(gpu, op, q, k, v, flashOpts, true);
  const { p } = x;
  try {
    const r = await runFlash(gpu, op, x, { bh: batch * p.H + head, queryBlock });
    const data = r.trace!;
    const BR = tile.blockQ;
    const stride = 2 + 3 * BR;
    const rows: number[] = [];
    for (let i = 0; i < BR && queryBlock * BR + i < p.Nq; i++) rows.push(queryBlock * BR + i);
    const n = rows.length;
    const steps = [];
    for (let t = 0; t < Math.ceil(p.Nk / tile.blockK); t++) {
      const base = t * stride;
      steps.push({
        kBlock: data[base]!,
        skipped: data[base + 1] === 1,
        m: data.slice(base + 2, base + 2 + n),
        l: data.slice(base + 2 + BR, base + 2 + BR + n),
        rescale: data.slice(base + 2 + 2 * BR, base + 2 + 2 * BR + n),
      });
    }
    return { output: r.output, trace: { blockQ: BR, blockK: tile.blockK, queryBlock, rows, steps } };
  } finally {
    for (const t of x.owned) t.destroy();
  }
}
