/**
 * `attention(gpu, q, k, v, opts)`: O = softmax(scale·Q·Kᵀ + bias + mask)·V over
 * q [B, H, Nq, d], k [B, H, Nk, d], v [B, H, Nk, dv] → [B, H, Nq, dv], three ways:
 *
 * - `flash` (default): one fused kernel, K/V tiles in workgroup memory, online
 *   softmax; never allocates an Nq×Nk buffer (shaders/attention/flash.wgsl).
 * - `naive`: the textbook way, S = scale·Q·Kᵀ by matmul, P = softmax(S + masks), P·V.
 * - `linear`: kernel-feature linear attention φ(x) = elu(x) + 1, an approximation
 *   (shaders/attention/linear_prefix.wgsl states exactly what it computes).
 *
 * `profileAttention` runs one call and reports its time and the peak bytes its
 * buffers used, measured by the runtime's buffer accounting. `flashAttentionTrace`
 * runs the flash kernel in trace mode for one query block.
 */
import type { Gpu } from '../gpu/device';
import { InvalidArgumentError, LimitExceededError } from '../problem/errors';
import type { MemoryReport } from '../gpu/memory';
import { Tensor, assertArguments, shapeOf, toDeviceAll, type TensorLike } from '../gpu/tensor';
import type { GpuTiming } from '../gpu/timing';
import { packScalars } from '../gpu/uniforms';
import {
  FLASH_KERNEL,
  LINEAR_CHUNK,
  LINEAR_FEATURES_KERNEL,
  LINEAR_OUT_KERNEL,
  LINEAR_PREFIX_KERNEL,
  LINEAR_WEIGHTS_KERNEL,
} from './attention/specs';
import { naiveAttention } from './attention/naive';
import { checkAttentionLimits } from './attention/limits';
import { FLASH_ROWS_KERNEL, FLASH_ROWS_PER_INVOCATION, validateFlashConfig, type FlashConfig } from './attention/flash-config';
import { flashConfigFor } from './tuned';
import { flashTile, resolveAttention, type AttentionOptionsOf, type AttentionProblem, type FlashTile } from '../problem/attention';

export {
  ATTENTION_VARIANTS,
  MASK_THRESHOLD,
  flashTile,
  resolveAttention,
  type AttentionProblem,
  type AttentionVariant,
  type FlashTile,
} from '../problem/attention';

/**
 * Options of `attention` (see `AttentionOptionsOf` for each field), plus `config`: the
 * flash kernel's layout (`FlashConfig`), for tests and the tuner; by default the tuned
 * configuration of this device, else the shipped default for its adapter class.
 */
export type AttentionOptions = AttentionOptionsOf<TensorLike> & { config?: FlashConfig };

/**
 * The flash kernel's tile sizes for a head dim (and value dim): a function,
 * because the tiling is chosen from d so workgroup memory stays within 16 KB.
 * `FLASH_TILE(64)` → blockQ 16, blockK 64. See `flashTile` for every field.
 */
export const FLASH_TILE: (d: number, dv?: number) => FlashTile = flashTile;

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

/** Inputs of one call on the device, with the buffers this call owns. */
interface Prepared {
  p: AttentionProblem;
  q: Tensor;
  k: Tensor;
  v: Tensor;
  mask: Tensor | null;
  bias: Tensor | null;
  owned: Tensor[];
  /** The caller's flash configuration, if any (validated with the rest of the input). */
  config: FlashConfig | undefined;
}

/** Validates everything on the CPU (typed errors, no GPU work), then uploads. */
async function prepare(
  gpu: Gpu,
  op: string,
  q: TensorLike,
  k: TensorLike,
  v: TensorLike,
  opts: AttentionOptions | undefined,
): Promise<Prepared> {
  const qs = shapeOf(op, 'q', q);
  const ks = shapeOf(op, 'k', k);
  const vs = shapeOf(op, 'v', v);
  const maskShape = opts?.keyPaddingMask !== undefined ? shapeOf(op, 'keyPaddingMask', opts.keyPaddingMask) : null;
  const biasShape = opts?.bias !== undefined ? shapeOf(op, 'bias', opts.bias) : null;
  const p = resolveAttention(op, qs, ks, vs, opts, maskShape, biasShape);
  const config =
    opts?.config !== undefined ? validateFlashConfig(op, opts.config, gpu.limits.maxComputeInvocationsPerWorkgroup) : undefined;
  const maxBinding = gpu.limits.maxStorageBufferBindingSize;
  if (p.variant === 'naive' && p.B * p.H * p.Nq * p.Nk * 4 > maxBinding) {
    throw new LimitExceededError(
      op,
      'maxStorageBufferBindingSize',
      p.B * p.H * p.Nq * p.Nk * 4,
      maxBinding,
      "naive attention's Nq×Nk score matrix; use variant 'flash'",
    );
  }
  checkAttentionLimits(op, gpu.limits, p);
  await gpu.ready(op);
  // Every argument is checked (tensors included: another Gpu's, destroyed, of a lost device)
  // before the first upload; a failed upload leaves nothing behind.
  const mask = opts?.keyPaddingMask;
  const bias = opts?.bias;
  assertArguments(gpu, op, [
    ['q', q],
    ['k', k],
    ['v', v],
    ['keyPaddingMask', mask],
    ['bias', bias],
  ]);
  const uploaded = toDeviceAll(gpu, op, [
    ['q', q],
    ['k', k],
    ['v', v],
    ['keyPaddingMask', p.B * p.Nk > 0 ? mask : null],
    ['bias', p.biasRows > 0 ? bias : null],
  ]);
  const [tq, tk, tv, tmask, tbias] = uploaded.tensors;
  return { p, q: tq!, k: tk!, v: tv!, mask: tmask ?? null, bias: tbias ?? null, owned: [...uploaded.owned], config };
}

/** [B] key lengths as f32, then the [B, Nk] keep mask when one is given: the kernels' `kinfo`. */
function keyInfo(gpu: Gpu, op: string, x: Prepared, encoders: ((e: GPUCommandEncoder) => void)[]): GPUBuffer {
  const { B, Nk } = x.p;
  const buf = gpu.createBuffer(`${op}:kinfo`, (B + (x.mask ? B * Nk : 0)) * 4, STORAGE);
  gpu.device.queue.writeBuffer(buf, 0, Float32Array.from(x.p.keyLengths));
  if (x.mask) {
    const mask = x.mask;
    encoders.push((e) => e.copyBufferToBuffer(mask.buffer, 0, buf, B * 4, B * Nk * 4));
  }
  return buf;
}

/** The flash layout for this call: the caller's, or the device's tuned/default one; trace mode needs `workgroup`. */
function chooseFlashConfig(gpu: Gpu, x: Prepared, trace: boolean): FlashConfig {
  if (trace) return { layout: 'workgroup' };
  return x.config ?? flashConfigFor(gpu, x.p);
}

interface FlashRun {
  output: Tensor;
  trace: Float32Array | null;
  tile: FlashTile;
}

async function runFlash(gpu: Gpu, op: string, x: Prepared, trace: { bh: number; queryBlock: number } | null): Promise<FlashRun> {
  const { p } = x;
  const tile = flashTile(p.d, p.dv);
  const config = chooseFlashConfig(gpu, x, trace !== null);
  const rows = config.layout === 'rows';
  const out = Tensor.zeros(gpu, p.outShape, `${op}:o`);
  // rows: a workgroup owns 4·WG query rows and every output column; workgroup: blockQ × blockDv.
  const qBlocks = rows ? Math.ceil(p.Nq / (FLASH_ROWS_PER_INVOCATION * config.WG)) : Math.ceil(p.Nq / tile.blockQ);
  const dvBlocks = rows ? 1 : Math.ceil(p.dv / tile.blockDv);
  const total = p.B * p.H * qBlocks * dvBlocks;
  if (total === 0) return { output: out, trace: null, tile };
  const kTiles = Math.ceil(p.Nk / tile.blockK);
  const temporaries: GPUBuffer[] = [];
  let traceT: Tensor | null = null;
  try {
    const spec = rows ? FLASH_ROWS_KERNEL : FLASH_KERNEL;
    const pipeline = rows
      ? await gpu.pipeline(spec, { WG: config.WG })
      : await gpu.pipeline(spec, {
          TR: tile.TR,
          TC: tile.TC,
          DC4: tile.DC4,
          KC: tile.KC,
          QS_LEN: tile.qsLen,
          KV_LEN: tile.kvLen,
          PT_LEN: tile.ptLen,
          PART_LEN: tile.partLen,
          TRACE: trace ? 1 : 0,
        });
    const params = gpu.uniformBuffer(
      `${op}:params`,
      packScalars([
        ['u32', p.Nq],
        ['u32', p.Nk],
        ['u32', p.d],
        ['u32', p.dv],
        ['u32', p.H],
        ['u32', qBlocks],
        ['u32', dvBlocks],
        ['u32', total],
        ['f32', p.scale],
        ['u32', p.causal ? 1 : 0],
        ['i32', p.causalOffset],
        ['u32', x.mask ? 1 : 0],
        ['u32', p.B],
        ['u32', x.bias ? p.biasRows : 0],
        ['u32', trace?.bh ?? 0],
        ['u32', trace?.queryBlock ?? 0],
      ]),
    );
    temporaries.push(params);
    const pre: ((e: GPUCommandEncoder) => void)[] = [];
    const kinfo = keyInfo(gpu, op, x, pre);
    temporaries.push(kinfo);
    const dummy = gpu.createBuffer(`${op}:unused`, 4, GPUBufferUsage.STORAGE);
    temporaries.push(dummy);
    if (trace) traceT = Tensor.zeros(gpu, [Math.max(1, kTiles), 2 + 3 * tile.blockQ], `${op}:trace`);
    const bind = {
      params,
      q: x.q.buffer,
      k: p.Nk > 0 ? x.k.buffer : dummy,
      v: p.Nk > 0 ? x.v.buffer : dummy,
      bias: x.bias ? x.bias.buffer : dummy,
      kinfo,
      o: out.buffer,
      trace: traceT ? traceT.buffer : gpu.createBuffer(`${op}:no-trace`, 4, GPUBufferUsage.STORAGE),
    };
    if (!traceT) temporaries.push(bind.trace);
    await gpu.submit(
      op,
      (encoder) => {
        for (const f of pre) f(encoder);
        const pass = gpu.beginComputePass(encoder, op);
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, gpu.bindGroup(spec, bind));
        gpu.dispatch(pass, total, op);
        pass.end();
      },
      temporaries,
    );
    const traceData = traceT ? await traceT.read() : null;
    return { output: out, trace: traceData, tile };
  } catch (e) {
    for (const t of temporaries) gpu.release(t);
    out.destroy();
    throw e;
  } finally {
    traceT?.destroy();
  }
}

async function runLinear(gpu: Gpu, op: string, x: Prepared): Promise<Tensor> {
  const { p } = x;
  const out = Tensor.zeros(gpu, p.outShape, `${op}:o`);
  const BH = p.B * p.H;
  if (BH * p.Nq * p.dv === 0) return out;
  const chunks = Math.max(1, Math.ceil(p.Nk / LINEAR_CHUNK));
  const rootScale = Math.sqrt(p.scale);
  const temporaries: GPUBuffer[] = [];
  try {
    const [pf, pw, pp, po] = await Promise.all([
      gpu.pipeline(LINEAR_FEATURES_KERNEL, { WG: 256 }),
      gpu.pipeline(LINEAR_WEIGHTS_KERNEL, { WG: 64 }),
      gpu.pipeline(LINEAR_PREFIX_KERNEL, { WG: 64, CH: LINEAR_CHUNK }),
      gpu.pipeline(LINEAR_OUT_KERNEL, { CH: LINEAR_CHUNK }),
    ]);
    const pre: ((e: GPUCommandEncoder) => void)[] = [];
    const kinfo = keyInfo(gpu, op, x, pre);
    const dummy = gpu.createBuffer(`${op}:unused`, 4, GPUBufferUsage.STORAGE);
    const w = gpu.createBuffer(`${op}:weights`, p.B * p.Nk * 4, STORAGE);
    const stateTotal = BH * p.d * (p.dv + 1);
    const fq = gpu.createBuffer(`${op}:features-q`, BH * p.Nq * p.d * 4, STORAGE);
    const fk = gpu.createBuffer(`${op}:features-k`, BH * p.Nk * p.d * 4, STORAGE);
    const fqParams = gpu.uniformBuffer(
      `${op}:params-fq`,
      packScalars([
        ['u32', BH * p.Nq * p.d],
        ['f32', rootScale],
      ]),
    );
    const fkParams = gpu.uniformBuffer(
      `${op}:params-fk`,
      packScalars([
        ['u32', BH * p.Nk * p.d],
        ['f32', rootScale],
      ]),
    );
    const state = gpu.createBuffer(`${op}:state`, BH * chunks * p.d * (p.dv + 1) * 4, STORAGE);
    const wParams = gpu.uniformBuffer(
      `${op}:params-w`,
      packScalars([
        ['u32', p.Nk],
        ['u32', p.B],
        ['u32', x.bias ? 1 : 0],
        ['u32', x.mask ? 1 : 0],
      ]),
    );
    const pParams = gpu.uniformBuffer(
      `${op}:params-prefix`,
      packScalars([
        ['u32', p.Nk],
        ['u32', p.d],
        ['u32', p.dv],
        ['u32', p.H],
        ['u32', chunks],
        ['u32', stateTotal],
        ['u32', 0],
        ['u32', 0],
      ]),
    );
    const oParams = gpu.uniformBuffer(
      `${op}:params-out`,
      packScalars([
        ['u32', p.Nq],
        ['u32', p.Nk],
        ['u32', p.d],
        ['u32', p.dv],
        ['u32', p.H],
        ['u32', chunks],
        ['u32', BH * p.Nq],
        ['u32', p.causal ? 1 : 0],
        ['i32', p.causalOffset],
        ['u32', 0],
        ['u32', 0],
        ['u32', 0],
      ]),
    );
    temporaries.push(kinfo, dummy, w, state, fq, fk, fqParams, fkParams, wParams, pParams, oParams);
    const vb = p.Nk > 0 ? x.v.buffer : dummy;
    await gpu.submit(
      op,
      (encoder) => {
        for (const f of pre) f(encoder);
        const pass = gpu.beginComputePass(encoder, op);
        pass.setPipeline(pf);
        pass.setBindGroup(0, gpu.bindGroup(LINEAR_FEATURES_KERNEL, { params: fqParams, x: x.q.buffer, y: fq }));
        gpu.dispatch(pass, Math.ceil((BH * p.Nq * p.d) / 256), op);
        if (p.Nk > 0) {
          pass.setBindGroup(0, gpu.bindGroup(LINEAR_FEATURES_KERNEL, { params: fkParams, x: x.k.buffer, y: fk }));
          gpu.dispatch(pass, Math.ceil((BH * p.Nk * p.d) / 256), op);
          pass.setPipeline(pw);
          pass.setBindGroup(0, gpu.bindGroup(LINEAR_WEIGHTS_KERNEL, { params: wParams, bias: x.bias ? x.bias.buffer : dummy, kinfo, w }));
          pass.dispatchWorkgroups(p.B);
          pass.setPipeline(pp);
          pass.setBindGroup(0, gpu.bindGroup(LINEAR_PREFIX_KERNEL, { params: pParams, fk, v: vb, w, state }));
          gpu.dispatch(pass, Math.ceil(stateTotal / 64), op);
        }
        pass.setPipeline(po);
        pass.setBindGroup(0, gpu.bindGroup(LINEAR_OUT_KERNEL, { params: oParams, fq, fk, v: vb, w, state, o: out.buffer }));
        gpu.dispatch(pass, BH * p.Nq, op);
        pass.end();
      },
      temporaries,
    );
    return out;
  } catch (e) {
    for (const t of temporaries) gpu.release(t);
    out.destroy();
    throw e;
  }
}

async function run(gpu: Gpu, op: string, x: Prepared): Promise<Tensor> {
  if (x.p.variant === 'flash') return (await runFlash(gpu, op, x, null)).output;
  if (x.p.variant === 'linear') return runLinear(gpu, op, x);
  return naiveAttention(gpu, op, x.p, x.q, x.k, x.v, x.mask, x.bias);
}

/**
 * Scaled dot-product attention, O = softmax(scale·Q·Kᵀ + bias + mask)·V.
 *
 * @param q [B, H, Nq, d] (rank 3 [H, Nq, d] and rank 2 [Nq, d] also accepted)
 * @param k [B, H, Nk, d]
 * @param v [B, H, Nk, dv]
 * @returns a new tensor [B, H, Nq, dv]; rows with no visible key are 0.
 * @throws ShapeError / InvalidArgumentError / LimitExceededError before any GPU work.
 */
export async function attention(gpu: Gpu, q: TensorLike, k: TensorLike, v: TensorLike, opts?: AttentionOptions): Promise<Tensor> {
  const op = `attention:${opts?.variant ?? 'flash'}`;
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
  const flashOpts: AttentionOptions = { ...rest, variant: 'flash' };
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
  const x = await prepare(gpu, op, q, k, v, flashOpts);
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
