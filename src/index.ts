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
export * from './kernels/matmul';
export * from './reference/matmul';
export { softmaxReference } from './reference/softmax';
export { attentionReference, attentionRowStats } from './reference/attention';
export * as ddpm from './kernels/ddpm/index';
export * as ddpmReference from './reference/ddpm';
export * as datasets from './data/index';
export * from './reference/compare';
export * from './reference/random';
export {
  race,
  surfaceGrid,
  OPTIMIZER_IDS,
  OPTIMIZER_KINDS,
  OPTIMIZER_DEFAULTS,
  SURFACE_IDS,
  SURFACE_KINDS,
  SURFACE_VIEWS,
  type OptimizerConfig,
  type OptimizerKind,
  type Schedule,
  type SurfaceSpec,
  type SurfaceKind,
  type RaceInput,
  type GridInput,
} from './kernels/optim';
export { mlpSlice, type SliceOptions } from './kernels/landscape';
export { raceReference, surfaceGridReference, optimizerStep, initialState, scheduledLr, type OptimizerState } from './reference/optim';
export { surfaceValue, surfaceGradient, gradientNoise } from './reference/surfaces';
export {
  twoSpirals,
  trainMlp,
  mlpLoss,
  mlpLossAndGrad,
  filterNormalizedDirection,
  sliceReference,
  sliceRace,
  MLP_SIZES,
  type Dataset,
  type TrainedMlp,
  type SliceInput,
} from './reference/mlp';
