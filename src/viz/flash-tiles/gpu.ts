/**
 * The default GPU trace source of `<flash-tiles>`: the flash kernel's trace mode
 * (`flashAttentionTrace`, the same shader with `TRACE = true`, whose output equals the
 * normal flash kernel's bit for bit) and its tiling rule (`FLASH_TILE(d)`), so the
 * grid shows the tiles the kernel really uses on this head dim.
 */
import { FLASH_TILE, flashAttentionTrace } from '../../kernels/attention';
import type { FlashTraceSource } from './data';

export const defaultFlashTraceSource: FlashTraceSource | null = {
  name: 'the flash kernel in trace mode (shaders/attention/flash.wgsl)',
  tile: (d) => {
    const t = FLASH_TILE(d);
    return { blockQ: t.blockQ, blockK: t.blockK, workgroupBytes: t.workgroupBytes };
  },
  trace: (gpu, q, k, v, opts) => flashAttentionTrace(gpu, q, k, v, opts),
};
