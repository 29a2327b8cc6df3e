/**
 * What kind of processor an adapter runs kernels on, from what the adapter reports.
 * Kernels pick their default configuration by it (a tuned one, where present, wins):
 * CPU-style adapters (SwiftShader, lavapipe/llvmpipe) run invocations as SIMD lanes of
 * CPU cores, where workgroup memory is ordinary RAM and barriers are expensive; GPUs
 * have fast shared memory and cheap barriers. Nothing is assumed beyond these fields.
 */
import type { AdapterSummary } from './device';

/** `swiftshader` and `lavapipe` are CPU-style adapters; anything else is treated as a GPU. */
export type AdapterClass = 'swiftshader' | 'lavapipe' | 'gpu';

/**
 * Classifies an adapter by its info strings. Dawn's OpenGL ES backend over lavapipe
 * reports empty strings (legal per the WebGPU spec): a compatibility-mode adapter with
 * no info and `isFallbackAdapter` or no name at all is taken as the CPU-style `lavapipe`.
 */
export function adapterClass(
  info: Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description' | 'featureLevel'>,
): AdapterClass {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  if (text.includes('swiftshader')) return 'swiftshader';
  if (text.includes('llvmpipe') || text.includes('lavapipe')) return 'lavapipe';
  if (info.featureLevel === 'compatibility' && text.trim() === '') return 'lavapipe';
  return 'gpu';
}

/** True for adapters that run invocations on CPU cores. */
export function isCpuStyle(info: Parameters<typeof adapterClass>[0]): boolean {
  return adapterClass(info) !== 'gpu';
}

/** A stable identity of the adapter, for keying tuned configurations. */
export function adapterIdentity(info: Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description' | 'featureLevel'>): string {
  return [info.vendor, info.architecture, info.device, info.description, info.featureLevel].map((s) => s || '-').join('|');
}
