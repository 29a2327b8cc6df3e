/**
 * The pipeline cache: `WeakMap<GPUDevice, Map<kernel, Map<constants, pipeline>>>`.
 * Keys are the kernel (its shader text and bindings) and its `override` constants,
 * never runtime shapes: shapes travel in uniforms, so one pipeline serves every size.
 */
import type { KernelSpec } from './bindings';
import { layoutEntries } from './bindings';

/** Values for the WGSL `override` declarations of a kernel. */
export type OverrideConstants = Readonly<Record<string, number>>;

interface DeviceCache {
  layouts: Map<KernelSpec, GPUBindGroupLayout>;
  pipelines: Map<KernelSpec, Map<string, Promise<GPUComputePipeline>>>;
}

const caches = new WeakMap<GPUDevice, DeviceCache>();

/** Canonical form of a constants record: sorted names, so `{a,b}` and `{b,a}` share a pipeline. */
function constantsKey(constants: OverrideConstants): string {
  return JSON.stringify(
    Object.keys(constants)
      .sort()
      .map((k) => [k, constants[k]]),
  );
}

function cacheFor(device: GPUDevice): DeviceCache {
  let cache = caches.get(device);
  if (!cache) {
    cache = { layouts: new Map(), pipelines: new Map() };
    caches.set(device, cache);
  }
  return cache;
}

/** The explicit bind-group layout built from the kernel's binding table. */
export function bindGroupLayout(device: GPUDevice, spec: KernelSpec): GPUBindGroupLayout {
  const cache = cacheFor(device);
  let layout = cache.layouts.get(spec);
  if (!layout) {
    layout = device.createBindGroupLayout({ label: `${spec.name}:layout`, entries: layoutEntries(spec.bindings) });
    cache.layouts.set(spec, layout);
  }
  return layout;
}

/** The compute pipeline for `spec` with these override constants, compiled once per device. */
export function cachedPipeline(device: GPUDevice, spec: KernelSpec, constants: OverrideConstants = {}): Promise<GPUComputePipeline> {
  const cache = cacheFor(device);
  let byConstants = cache.pipelines.get(spec);
  if (!byConstants) {
    byConstants = new Map();
    cache.pipelines.set(spec, byConstants);
  }
  const key = constantsKey(constants);
  let pipeline = byConstants.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ label: spec.name, code: spec.code });
    pipeline = device.createComputePipelineAsync({
      label: `${spec.name}${key === '[]' ? '' : key}`,
      layout: device.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout(device, spec)] }),
      compute: { module, entryPoint: spec.entryPoint ?? 'main', constants: { ...constants } },
    });
    // A failed compile must not poison the cache for the next attempt.
    pipeline.catch(() => byConstants!.delete(key));
    byConstants.set(key, pipeline);
  }
  return pipeline;
}

/** How many pipelines this device has compiled (for tests of the cache). */
export function pipelineCount(device: GPUDevice): number {
  let n = 0;
  for (const m of cacheFor(device).pipelines.values()) n += m.size;
  return n;
}
