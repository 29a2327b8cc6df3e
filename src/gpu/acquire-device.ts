/**
 * Acquiring a WebGPU adapter and device with kernelscope's raised limits and
 * optional features, and describing them in plain fields (`AdapterSummary`,
 * `GpuFeatures`). `Gpu` (device.ts) calls it at creation and after a device loss.
 */
import { WebGPUUnavailableError } from '../problem/errors';
import { withTimeout } from './timeout';

/** What the adapter says about itself, in plain fields. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  featureLevel: 'core' | 'compatibility';
  subgroupMinSize: number | null;
  subgroupMaxSize: number | null;
}

/** Optional features kernelscope uses when present. */
export interface GpuFeatures {
  /** `shader-f16`: f16 arithmetic in WGSL. */
  f16: boolean;
  /** `subgroups`: subgroup builtins in WGSL. */
  subgroups: boolean;
  /** `timestamp-query`: GPU-side pass timing. */
  timestampQuery: boolean;
}

export interface RequestGpuOptions {
  /** `compatibility` asks for a compatibility-mode adapter (e.g. Dawn's OpenGL ES backend). */
  featureLevel?: 'core' | 'compatibility';
  powerPreference?: GPUPowerPreference;
  /** Milliseconds any single GPU promise may take; default 60 s. */
  timeoutMs?: number;
}

/** Limits kernelscope raises to the adapter's maximum when it acquires a device. */
const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
] as const;

const OPTIONAL_FEATURES: GPUFeatureName[] = ['shader-f16', 'subgroups' as GPUFeatureName, 'timestamp-query'];

/** Acquires an adapter and a device, or throws `WebGPUUnavailableError` with the reason. */
export async function acquire(options: RequestGpuOptions, timeoutMs: number) {
  const navGpu: GPU | undefined = (globalThis as { navigator?: Navigator }).navigator?.gpu;
  if (!navGpu) {
    throw new WebGPUUnavailableError(
      typeof window !== 'undefined' && !window.isSecureContext
        ? 'navigator.gpu is missing: this page is not a secure context (serve it over https or localhost)'
        : 'navigator.gpu is missing: this browser does not expose WebGPU (try a recent Chrome or Edge, or enable it in Firefox/Safari)',
    );
  }
  const featureLevel = options.featureLevel ?? 'core';
  const adapter = await withTimeout(
    navGpu.requestAdapter({ powerPreference: options.powerPreference, featureLevel } as GPURequestAdapterOptions),
    timeoutMs,
    'requestGpu',
  );
  if (!adapter)
    throw new WebGPUUnavailableError(`requestAdapter() returned null (featureLevel '${featureLevel}'): no suitable GPU adapter`);
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const value = (adapter.limits as unknown as Record<string, number | undefined>)[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  let device: GPUDevice;
  try {
    device = await withTimeout(adapter.requestDevice({ requiredFeatures, requiredLimits }), timeoutMs, 'requestGpu');
  } catch (e) {
    throw new WebGPUUnavailableError(`requestDevice() failed: ${(e as Error).message}`);
  }
  return { adapter, device, featureLevel };
}

/** The adapter's description as an `AdapterSummary`. */
export function summarize(adapter: GPUAdapter, featureLevel: 'core' | 'compatibility'): AdapterSummary {
  const info = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean(info.isFallbackAdapter),
    featureLevel,
    subgroupMinSize: info.subgroupMinSize ?? null,
    subgroupMaxSize: info.subgroupMaxSize ?? null,
  };
}

/** The optional features present on `device`. */
export function readFeatures(device: GPUDevice): GpuFeatures {
  return {
    f16: device.features.has('shader-f16'),
    subgroups: device.features.has('subgroups'),
    timestampQuery: device.features.has('timestamp-query'),
  };
}
