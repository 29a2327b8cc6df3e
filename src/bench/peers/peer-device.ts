/**
 * What the peers share about WebGPU: the page's adapter (same feature level as
 * ours), a device with the limits a library would raise for itself, error scopes
 * around a timed call, and plain buffer upload and read-back for peers whose
 * inputs live in buffers we own.
 */
import type { PeerContext } from './types';

/** A peer that cannot run here: no adapter, a failed device, an error scope that fired. */
export class PeerUnavailableError extends Error {
  override name = 'PeerUnavailableError';
}

/** The limits peers raise to the adapter's maximum (what TF.js and ORT ask for themselves). */
export const PEER_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/** The adapter at the page's feature level; throws `PeerUnavailableError` when there is none. */
export async function peerAdapter(who: string, ctx: PeerContext): Promise<GPUAdapter> {
  if (!navigator.gpu) throw new PeerUnavailableError(`${who} peer: navigator.gpu is missing`);
  const adapter = await navigator.gpu.requestAdapter({ featureLevel: ctx.featureLevel } as GPURequestAdapterOptions);
  if (!adapter) throw new PeerUnavailableError(`${who} peer: requestAdapter({ featureLevel: '${ctx.featureLevel}' }) returned null`);
  return adapter;
}

/** A device on `adapter` with `PEER_LIMITS` raised and the listed features the adapter has. */
export async function peerDevice(adapter: GPUAdapter, features: readonly string[]): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const name of PEER_LIMITS) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures = features.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  return adapter.requestDevice({ requiredFeatures, requiredLimits });
}

/**
 * Runs `f` inside out-of-memory and validation error scopes on `device`: WebGPU
 * reports a failed allocation there, not as an exception, and a library would go on
 * with an invalid buffer and a meaningless time.
 */
export async function scoped<T>(who: string, device: GPUDevice, f: () => Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let thrown: unknown = null;
  try {
    result = await f();
  } catch (e) {
    thrown = e;
  }
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (thrown) throw thrown;
  if (oom) throw new PeerUnavailableError(`${who} peer: out of GPU memory: ${oom.message}`);
  if (validation) throw new PeerUnavailableError(`${who} peer: GPU validation error: ${validation.message}`);
  return result as T;
}

/** A storage buffer holding `data` (size rounded up to 16 bytes). */
export function uploadBuffer(device: GPUDevice, data: Float32Array): GPUBuffer {
  const buffer = device.createBuffer({
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  return buffer;
}

/** An uninitialized storage buffer for `length` floats. */
export function outputBuffer(device: GPUDevice, length: number): GPUBuffer {
  return device.createBuffer({
    size: Math.max(16, Math.ceil((length * 4) / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
}

/** The first `length` floats of `buffer`, through a staging buffer. */
export async function readBuffer(device: GPUDevice, buffer: GPUBuffer, length: number): Promise<Float32Array> {
  const bytes = length * 4;
  const staging = device.createBuffer({ size: Math.max(4, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return new Float32Array(staging.getMappedRange().slice(0, bytes));
  } finally {
    staging.destroy();
  }
}
