export * from '../problem/errors';
export { Gpu, requestGpu, type AdapterSummary, type GpuFeatures, type RequestGpuOptions } from './device';
export {
  Tensor,
  toDevice,
  toDeviceAll,
  shapeOf,
  isTensor,
  assertUsable,
  assertArguments,
  type TensorLike,
  type KernelArgument,
  type DeviceArguments,
} from './tensor';
export {
  shapeSize,
  assertValidShape,
  assertRank,
  isHostTensor,
  assertHostTensor,
  assertNumberArray,
  type HostTensor,
} from '../problem/shape';
export {
  MAX_RANK,
  MAX_DIMENSION,
  MAX_HOST_LIST,
  MAX_HOST_ELEMENTS,
  storageBufferLimit,
  assertStorageElements,
  type BufferLimits,
} from '../problem/limits';
export { BufferAccounting, type MemoryReport, type AllocationRecord } from './memory';
export { foldWorkgroups } from './dispatch';
export { parseWgslBindings, type KernelSpec, type BindingSpec, type BindingKind } from './bindings';
export { packScalars, packUniforms, parseWgslStruct, type ScalarField, type UniformLayout } from './uniforms';
export { launch, LaunchScope, type KernelDescription, type BindingValue } from './launch';
export { adapterClass, adapterIdentity, isCpuStyle, type AdapterClass } from './adapter-class';
export { TuningTable, sourceHash, type TuningRecord } from './tuning';
export { pipelineCount, type OverrideConstants } from './pipelines';
export { withTimeout, DEFAULT_GPU_TIMEOUT_MS } from './timeout';
export type { GpuTiming, TimerKind } from './timing';
