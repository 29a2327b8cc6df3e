/**
 * kernelscope: WebGPU compute kernels you can see into.
 * The public API: the GPU runtime, the kernels and their CPU references.
 */
export * from './gpu/index';
export { scale } from './kernels/scale';
export { softmax, softmaxConfig, checkSoftmaxConfig, SOFTMAX_VARIANTS, type SoftmaxOptions, type SoftmaxConfig } from './kernels/softmax';
export { softmaxShapeClass, SOFTMAX_CANDIDATES } from './kernels/softmax-tuning';
export {
  configFor,
  flashConfigFor,
  flashShapeClass,
  matmulShapeClass,
  tunedMatmul,
  MATMUL_CANDIDATES,
  FLASH_FAMILY,
  MATMUL_FAMILY,
  type TunableFamily,
  type MatmulTuning,
} from './kernels/tuned';
export { FLASH_CONFIGS, type FlashConfig } from './kernels/attention/flash-config';
export { tune, loadTuning, tunableKernels, type TuneOptions, type TuneResult, type TuneTimer } from './tune/tune';
export { indexedDbStore, memoryStore, type TuneStore } from './tune/store';
export { pickFastest } from './tune/select';
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
export {
  linear,
  linearBackward,
  activation,
  activationBackward,
  timeEmbedding,
  timeEmbeddingBackward,
  type LinearGrads,
} from './kernels/train/layers';
export {
  layerNorm,
  layerNormBackward,
  mseLoss,
  softmaxCrossEntropy,
  type LayerNormOutput,
  type LayerNormGrads,
  type LossOutput,
} from './kernels/train/norm-loss';
export { applyOptimizer, sumOfSquares, type ParameterState } from './kernels/train/optimizer';
export { Trainer } from './kernels/train/trainer';
export { gradcheck } from './reference/gradcheck';
