/**
 * The flash launcher: one configuration (`FlashConfig`) of three layouts, all reading
 * one uniform block (`FLASH_UNIFORMS`, specs.ts) and the same inputs:
 *
 * - `workgroup`: flash.wgsl, B·H·⌈Nq/blockQ⌉·⌈dv/blockDv⌉ workgroups (trace mode here);
 * - `rows`: flash_rows.wgsl (generated main, flash-rows.ts), B·H·⌈Nq/(R·WG)⌉ workgroups;
 * - `splitk`: flash_decode.wgsl over B·H·Nq·splits invocations writing partials
 *   [B·H·Nq, splits, 2 + dv], then flash_merge.wgsl over B·H·Nq·⌈dv/4⌉ invocations.
 *
 * The variants are override constants (WINDOW, ALIBI, SOFTCAP: one pipeline per
 * combination in use, never per shape); their values are uniforms. Validate (prepare.ts)
 * → describe (the uniform values, the dispatches) → run, in one launch scope.
 */
import type { Gpu } from '../../gpu/device';
import { launch, type Dispatch, type LaunchScope } from '../../gpu/launch';
import type { Tensor } from '../../gpu/tensor';
import { WINDOW_UNBOUNDED, flashTile, type AttentionProblem, type FlashTile } from '../../problem/attention';
import { FLASH_DECODE_KERNEL, FLASH_KERNEL, FLASH_MERGE_KERNEL } from './specs';
import type { FlashConfig } from './flash-config';
import { flashRowsKernel, registerChunks } from './flash-rows';
import { keyInfo, slopeBase, type Prepared } from './prepare';
import { splitPlan, type SplitPlan } from './split';

/** The variant switches every flash kernel compiles in. */
export function variantConstants(p: AttentionProblem): Record<string, number> {
  return {
    WINDOW: Number(p.windowLeft !== null || p.windowRight !== null),
    ALIBI: Number(p.alibiSlopes !== null),
    SOFTCAP: Number(p.softcap > 0),
  };
}

/** The flash kernels' uniform values (FLASH_UNIFORMS) for a grid, a traced block and a split plan. */
function flashParams(
  x: Prepared,
  grid: { qBlocks: number; dvBlocks: number; total: number },
  trace: { bh: number; queryBlock: number } | null,
  split: SplitPlan | null,
): Record<string, number> {
  const { p } = x;
  return {
    nq: p.Nq,
    nk: p.Nk,
    d: p.d,
    dv: p.dv,
    heads: p.H,
    ...grid,
    scale: p.scale,
    causal: p.causal ? 1 : 0,
    causalOffset: p.causalOffset,
    hasKeep: x.mask ? 1 : 0,
    batches: p.B,
    biasRows: x.bias ? p.biasRows : 0,
    traceBh: trace?.bh ?? 0,
    traceQBlock: trace?.queryBlock ?? 0,
    group: p.group,
    // Any window ≥ 2³⁰ keys is unbounded (and keeps the kernels' i32 sums from overflowing).
    winLeft: Math.min(p.windowLeft ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED),
    winRight: Math.min(p.windowRight ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED),
    softcap: p.softcap,
    slopeBase: slopeBase(x),
    splits: split?.splits ?? 1,
    splitKeys: split?.keysPerSplit ?? 0,
    splitStart: split?.start ?? 0,
  };
}

export interface FlashRun {
  output: Tensor;
  trace: Float32Array | null;
  tile: FlashTile;
}

/** The inputs every layout binds: q, k, v, bias and kinfo (a 4-byte placeholder for an absent one). */
function inputBindings(scope: LaunchScope, x: Prepared, kinfo: GPUBuffer): Record<string, GPUBuffer | Tensor> {
  const unused = scope.scratch('unused', 4, GPUBufferUsage.STORAGE);
  const keys = x.p.Nk > 0;
  return { q: x.q, k: keys ? x.k : unused, v: keys ? x.v : unused, bias: x.bias ?? unused, kinfo };
}

/** split-K: partials per (row, split), then their merge. */
function splitDispatches(
  scope: LaunchScope,
  x: Prepared,
  config: FlashConfig & { layout: 'splitk' },
  inputs: object,
  o: Tensor,
): Dispatch[] {
  const { p } = x;
  const rowsTotal = p.B * p.H * p.Nq;
  const split = splitPlan(p, config.keysPerSplit);
  const invocations = rowsTotal * split.splits;
  const chunks = Math.ceil(p.dv / 4);
  // [rowsTotal, splits, 2 + dv]; +4: the merge reads whole vec4s of the last slot's columns.
  const part = scope.scratch('partials', (invocations * (p.dv + 2) + 4) * 4, GPUBufferUsage.STORAGE);
  const params = flashParams(x, { qBlocks: 1, dvBlocks: 1, total: invocations }, null, split);
  return [
    {
      kernel: FLASH_DECODE_KERNEL,
      constants: { WG: config.WG, ...variantConstants(p) },
      bindings: { params, ...inputs, part },
      workgroups: Math.ceil(invocations / config.WG),
    },
    {
      kernel: FLASH_MERGE_KERNEL,
      constants: { WG: config.WG },
      bindings: { params: { rows: rowsTotal, dv: p.dv, splits: split.splits, total: rowsTotal * chunks }, part, o },
      workgroups: Math.ceil((rowsTotal * chunks) / config.WG),
    },
  ];
}

/** The one dispatch of the `rows` or `workgroup` layout. */
function blockDispatch(
  x: Prepared,
  config: FlashConfig,
  tile: FlashTile,
  trace: { bh: number; queryBlock: number } | null,
  bindings: object,
): Dispatch {
  const { p } = x;
  const variants = variantConstants(p);
  if (config.layout === 'rows') {
    // A workgroup owns R·WG query rows and every output column; O in registers where they hold it.
    const qBlocks = Math.ceil(p.Nq / (config.R * config.WG));
    const total = p.B * p.H * qBlocks;
    const plain = !x.mask && !x.bias && !Object.values(variants).some(Boolean);
    // O in registers for plain problems only: with the general score rule inlined per score
    // as well, a registers pipeline took 10–40 s to compile on SwiftShader.
    const chunks = config.acc === 'registers' && plain && p.Nk > 0 ? registerChunks(config.R, p.d, p.dv) : 0;
    // Registers kernels also read q, k and v through vec4 views of the same buffers.
    const views: Record<string, Tensor> = chunks ? { qVec: x.q, kVec: x.k, vVec: x.v } : {};
    return {
      kernel: flashRowsKernel(config.R, config.KB, plain, chunks),
      constants: { WG: config.WG, ...variants },
      bindings: { params: flashParams(x, { qBlocks, dvBlocks: 1, total }, null, null), ...bindings, ...views },
      workgroups: total,
    };
  }
  // workgroup: a workgroup owns blockQ rows × blockDv output columns.
  const qBlocks = Math.ceil(p.Nq / tile.blockQ);
  const dvBlocks = Math.ceil(p.dv / tile.blockDv);
  const total = p.B * p.H * qBlocks * dvBlocks;
  const constants = {
    TR: tile.TR,
    TC: tile.TC,
    DC4: tile.DC4,
    KC: tile.KC,
    QS_LEN: tile.qsLen,
    KV_LEN: tile.kvLen,
    PT_LEN: tile.ptLen,
    PART_LEN: tile.partLen,
    TRACE: trace ? 1 : 0,
    ...variants,
  };
  return {
    kernel: FLASH_KERNEL,
    constants,
    bindings: { params: flashParams(x, { qBlocks, dvBlocks, total }, trace, null), ...bindings },
    workgroups: total,
  };
}

/** Runs flash attention with `x.config` (trace: the workgroup layout's trace of one block). */
export function runFlash(gpu: Gpu, op: string, x: Prepared, trace: { bh: number; queryBlock: number } | null): Promise<FlashRun> {
  const { p } = x;
  const tile = flashTile(p.d, p.dv);
  const config: FlashConfig = trace ? { layout: 'workgroup' } : x.config!;
  return launch(gpu, op, async (scope) => {
    const o = scope.output(p.outShape, 'o');
    if (p.B * p.H * p.Nq * p.dv === 0) return { output: o, trace: null, tile };
    const { kinfo, before } = keyInfo(scope, x);
    const inputs = inputBindings(scope, x, kinfo);
    if (config.layout === 'splitk') {
      await scope.runAll(splitDispatches(scope, x, config, inputs, o), { before });
      return { output: o, trace: null, tile };
    }
    // [kTiles, 2 + 3·blockQ]: the traced block's m, l and row statistics after each key tile.
    const traced = trace ? scope.tensor([Math.max(1, Math.ceil(p.Nk / tile.blockK)), 2 + 3 * tile.blockQ], 'trace') : null;
    const traceBinding = traced ?? scope.scratch('no-trace', 4, GPUBufferUsage.STORAGE);
    await scope.runAll([blockDispatch(x, config, tile, trace, { ...inputs, o, trace: traceBinding })], { before });
    return { output: o, trace: traced ? await traced.read() : null, tile };
  });
}
