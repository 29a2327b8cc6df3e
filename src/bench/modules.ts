/**
 * Lazy access to the kernels and their CPU references. Each suite loads only the
 * modules it needs, when it runs; a module that is missing from this build fails
 * that suite's cases (with the reason) and nothing else. The types are the modules'
 * own (type-only imports, so nothing loads early), except where a local interface
 * keeps a newer part of a contract optional.
 */
import type { Gpu } from '../gpu/device';
import type { HostTensor } from '../problem/shape';
import type { Tensor, TensorLike } from '../gpu/tensor';

/** The matmul launcher, with `planMatmul` (the variant and constants a call runs). */
export type MatmulModule = typeof import('../kernels/matmul');
export interface AttentionModule {
  attention(gpu: Gpu, q: TensorLike, k: TensorLike, v: TensorLike, opts?: { variant?: string; causal?: boolean }): Promise<Tensor>;
}
/** The softmax launcher, with `resolveSoftmaxConfig` (the configuration a call runs). */
export type SoftmaxModule = typeof import('../kernels/softmax');
/** The tunable families' lookups (src/kernels/tuned.ts). */
export type TunedModule = typeof import('../kernels/tuned');
/** Softmax's tunable family (src/kernels/softmax-tuning.ts). */
export type SoftmaxTuningModule = typeof import('../kernels/softmax-tuning');
/** The tuner and its stores (src/tune/). */
export type TuneModule = typeof import('../tune/tune');
export type TuneStoreModule = typeof import('../tune/store');
/** A CPU reference's result. */
export interface HostResult {
  data: ArrayLike<number>;
  shape: readonly number[];
}
export interface MatmulReferenceModule {
  matmulReference(a: HostTensor, b: HostTensor, opts?: Record<string, unknown>, precision?: 'f64' | 'f32'): HostResult;
}
export interface AttentionReferenceModule {
  attentionReference(q: HostTensor, k: HostTensor, v: HostTensor, opts?: Record<string, unknown>, precision?: 'f64' | 'f32'): HostResult;
}
export interface SoftmaxReferenceModule {
  softmaxReference(x: HostTensor, opts?: Record<string, unknown>, precision?: 'f64' | 'f32'): HostResult;
}

// Named files only, so a half-written unrelated module cannot break the bench build.
const kernels = import.meta.glob([
  '../kernels/matmul.ts',
  '../kernels/attention.ts',
  '../kernels/softmax.ts',
  '../kernels/tuned.ts',
  '../kernels/softmax-tuning.ts',
]);
const references = import.meta.glob(['../reference/matmul.ts', '../reference/attention.ts', '../reference/softmax.ts']);
const tuner = import.meta.glob(['../tune/tune.ts', '../tune/store.ts']);

async function load<T>(table: Record<string, () => Promise<unknown>>, dir: string, name: string): Promise<T> {
  const loader = table[`../${dir}/${name}.ts`];
  if (!loader) throw new Error(`src/${dir}/${name}.ts is not in this build`);
  return (await loader()) as T;
}

export const loadMatmul = () => load<MatmulModule>(kernels, 'kernels', 'matmul');
export const loadAttention = () => load<AttentionModule>(kernels, 'kernels', 'attention');
export const loadSoftmax = () => load<SoftmaxModule>(kernels, 'kernels', 'softmax');
export const loadTuned = () => load<TunedModule>(kernels, 'kernels', 'tuned');
export const loadSoftmaxTuning = () => load<SoftmaxTuningModule>(kernels, 'kernels', 'softmax-tuning');
export const loadTune = () => load<TuneModule>(tuner, 'tune', 'tune');
export const loadTuneStore = () => load<TuneStoreModule>(tuner, 'tune', 'store');
export const loadMatmulReference = () => load<MatmulReferenceModule>(references, 'reference', 'matmul');
export const loadAttentionReference = () => load<AttentionReferenceModule>(references, 'reference', 'attention');
export const loadSoftmaxReference = () => load<SoftmaxReferenceModule>(references, 'reference', 'softmax');

/** Which kernel modules this build has (for the environment report). */
export function availableKernels(): string[] {
  return Object.keys(kernels)
    .map((k) => k.replace(/^\.\.\/kernels\/(.*)\.ts$/, '$1'))
    .filter((k) => k !== 'tuned' && k !== 'softmax-tuning');
}
