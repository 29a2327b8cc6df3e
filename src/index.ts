/**
 * kernelscope: WebGPU compute kernels you can see into.
 * The public API: the GPU runtime, the kernels and their CPU references.
 */
export * from './gpu/index';
export { scale } from './kernels/scale';
export { softmax, type SoftmaxOptions } from './kernels/softmax';
export {
  attention,
  profileAttention,
  flashAttentionTrace,
  flashTile,
  FLASH_TILE,
  ATTENTION_VARIANTS,
  type AttentionOptions,
  type AttentionVariant,
  type AttentionProfile,
  type FlashTrace,
  type FlashTraceOptions,
  type FlashTile,
} from './kernels/attention';
export { softmaxReference } from './reference/softmax';
export { attentionReference, attentionRowStats } from './reference/attention';
export * as ddpm from './kernels/ddpm/index';
export * as ddpmReference from './reference/ddpm';
export * as datasets from './data/index';
export * from './reference/compare';
export * from './reference/random';
