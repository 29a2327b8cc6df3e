/**
 * The flash launcher: one configuration (`FlashConfig`) of three layouts, all reading
 * one uniform block (`flashParams`) and the same inputs:
 *
 * - `workgroup`: flash.wgsl, B·H·⌈Nq/blockQ⌉·⌈dv/blockDv⌉ workgroups (trace mode here);
 * - `rows`: flash_rows.wgsl (generated main, flash-rows.ts), B·H·⌈Nq/(R·WG)⌉ workgroups;
 * - `splitk`: flash_decode.wgsl over B·H·Nq·splits invocations writing partials
 *   [B·H·Nq, splits, 2 + dv], then flash_merge.wgsl over B·H·Nq·⌈dv/4⌉ invocations.
 *
 * The variants are override constants (WINDOW, ALIBI, SOFTCAP: one pipeline per
 * combination in use, never per shape); their values are uniforms.
 */
import type { Gpu } from '../../gpu/device';
import { Tensor } from '../../gpu/tensor';
import { packScalars, type ScalarField } from '../../gpu/uniforms';
import { WINDOW_UNBOUNDED, flashTile, type AttentionProblem, type FlashTile } from '../../problem/attention';
import { FLASH_DECODE_KERNEL, FLASH_KERNEL, FLASH_MERGE_KERNEL } from './specs';
import type { FlashConfig } from './flash-config';
import { flashRowsKernel } from './flash-rows';
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

/** The 24 fields of the flash kernels' uniform block, in WGSL order. */
function flashParams(
  x: Prepared,
  grid: { qBlocks: number; dvBlocks: number; total: number },
  trace: { bh: number; queryBlock: number } | null,
  split: SplitPlan | null,
): ScalarField[] {
  const { p } = x;
  return [
    ['u32', p.Nq],
    ['u32', p.Nk],
    ['u32', p.d],
    ['u32', p.dv],
    ['u32', p.H],
    ['u32', grid.qBlocks],
    ['u32', grid.dvBlocks],
    ['u32', grid.total],
    ['f32', p.scale],
    ['u32', p.causal ? 1 : 0],
    ['i32', p.causalOffset],
    ['u32', x.mask ? 1 : 0],
    ['u32', p.B],
    ['u32', x.bias ? p.biasRows : 0],
    ['u32', trace?.bh ?? 0],
    ['u32', trace?.queryBlock ?? 0],
    ['u32', p.group],
    // Any window ≥ 2³⁰ keys is unbounded (and keeps the kernels' i32 sums from overflowing).
    ['i32', Math.min(p.windowLeft ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED)],
    ['i32', Math.min(p.windowRight ?? WINDOW_UNBOUNDED, WINDOW_UNBOUNDED)],
    ['f32', p.softcap],
    ['u32', slopeBase(x)],
    ['u32', split?.splits ?? 1],
    ['u32', split?.keysPerSplit ?? 0],
    ['u32', split?.start ?? 0],
  ];
}

export interface FlashRun {
  output: Tensor;
  trace: Float32Array | null;
  tile: FlashTile;
}

/** Runs flash attention with `x.config` (trace: the workgroup layout's trace of one block). */
export async function runFlash(gpu: Gpu, op: string, x: Prepared, trace: { bh: number; queryBlock: number } | null): Promise<FlashRun> {
  const { p } = x;
  const tile = flashTile(p.d, p.dv);
  const config: FlashConfig = trace ? { layout: 'workgroup' } : x.config!;
  const out = Tensor.zeros(gpu, p.outShape, `${op}:o`);
  const rowsTotal = p.B * p.H * p.Nq;
  if (rowsTotal * p.dv === 0) return { output: out, trace: null, tile };
  const kTiles = Math.ceil(p.Nk / tile.blockK);
  const temporaries: GPUBuffer[] = [];
  let traceT: Tensor | null = null;
  const variants = variantConstants(p);
  try {
    const pre: ((e: GPUCommandEncoder) => void)[] = [];
    const kinfo = keyInfo(gpu, op, x, pre);
    temporaries.push(kinfo);
    const dummy = gpu.createBuffer(`${op}:unused`, 4, GPUBufferUsage.STORAGE);
    temporaries.push(dummy);
    const inputs = {
      q: x.q.buffer,
      k: p.Nk > 0 ? x.k.buffer : dummy,
      v: p.Nk > 0 ? x.v.buffer : dummy,
      bias: x.bias ? x.bias.buffer : dummy,
      kinfo,
    };
    const encodeAll = (encoder: GPUCommandEncoder, launches: (() => void)[]) => {
      for (const f of pre) f(encoder);
      for (const l of launches) l();
    };

    if (config.layout === 'splitk') {
      const split = splitPlan(p, config.keysPerSplit);
      const invocations = rowsTotal * split.splits;
      const chunks = Math.ceil(p.dv / 4);
      const [decode, merge] = await Promise.all([
        gpu.pipeline(FLASH_DECODE_KERNEL, { WG: config.WG, ...variants }),
        gpu.pipeline(FLASH_MERGE_KERNEL, { WG: config.WG }),
      ]);
      const params = gpu.uniformBuffer(
        `${op}:params`,
        packScalars(flashParams(x, { qBlocks: 1, dvBlocks: 1, total: invocations }, null, split)),
      );
      temporaries.push(params);
      // +4: the merge reads whole vec4s of the last slot's columns.
      const part = gpu.createBuffer(`${op}:partials`, (invocations * (p.dv + 2) + 4) * 4, GPUBufferUsage.STORAGE);
      temporaries.push(part);
      const mergeParams = gpu.uniformBuffer(
        `${op}:merge-params`,
        packScalars([
          ['u32', rowsTotal],
          ['u32', p.dv],
          ['u32', split.splits],
          ['u32', rowsTotal * chunks],
        ]),
      );
      temporaries.push(mergeParams);
      await gpu.submit(
        op,
        (encoder) =>
          encodeAll(encoder, [
            () =>
              gpu.encodeKernel(encoder, op, FLASH_DECODE_KERNEL, decode, { params, ...inputs, part }, Math.ceil(invocations / config.WG)),
            () =>
              gpu.encodeKernel(
                encoder,
                op,
                FLASH_MERGE_KERNEL,
                merge,
                { params: mergeParams, part, o: out.buffer },
                Math.ceil((rowsTotal * chunks) / config.WG),
              ),
          ]),
        temporaries,
      );
      return { output: out, trace: null, tile };
    }

    const rows = config.layout === 'rows';
    // rows: a workgroup owns R·WG query rows and every output column; workgroup: blockQ × blockDv.
    const qBlocks = rows ? Math.ceil(p.Nq / (config.R * config.WG)) : Math.ceil(p.Nq / tile.blockQ);
    const dvBlocks = rows ? 1 : Math.ceil(p.dv / tile.blockDv);
    const total = p.B * p.H * qBlocks * dvBlocks;
    const plain = !x.mask && !x.bias && !Object.values(variants).some(Boolean);
    const spec = rows ? flashRowsKernel(config.R, config.KB, plain) : FLASH_KERNEL;
    const pipeline = rows
      ? await gpu.pipeline(spec, { WG: config.WG, ...variants })
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
          ...variants,
        });
    const params = gpu.uniformBuffer(`${op}:params`, packScalars(flashParams(x, { qBlocks, dvBlocks, total }, trace, null)));
    temporaries.push(params);
    if (trace) traceT = Tensor.zeros(gpu, [Math.max(1, kTiles), 2 + 3 * tile.blockQ], `${op}:trace`);
    const traceBuf = traceT ? traceT.buffer : gpu.createBuffer(`${op}:no-trace`, 4, GPUBufferUsage.STORAGE);
    if (!traceT) temporaries.push(traceBuf);
    await gpu.submit(
      op,
      (encoder) =>
        encodeAll(encoder, [
          () => gpu.encodeKernel(encoder, op, spec, pipeline, { params, ...inputs, o: out.buffer, trace: traceBuf }, total),
        ]),
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
