/**
 * The default GPU trace source of `<flash-tiles>`: the flash kernel's trace mode.
 * Until the attention kernels provide `flashAttentionTrace`, there is none, and the
 * element falls back to the CPU trace reference (and says so).
 */
import type { FlashTraceSource } from './flash-tiles-data';

export const defaultFlashTraceSource: FlashTraceSource | null = null;
