/**
 * Softmax as a tunable family (see src/kernels/tuned.ts): its candidate configurations,
 * its shape classes (by row length: the layouts trade off differently for short and
 * long rows) and its shipped default, the same rule as `softmaxConfig`.
 */
import type { Gpu } from '../gpu/device';
import { adapterIdentity } from '../gpu/adapter-class';
import { sourceHash } from '../gpu/tuning';
import { SOFTMAX_KERNEL, SOFTMAX_ROWS_KERNEL } from './attention/specs';
import type { TunableFamily } from './tuned';
import type { SoftmaxConfig } from './softmax';

/** Softmax's shape class: short (≤ 256), medium (≤ 4096) or long rows. */
export function softmaxShapeClass(len: number): string {
  return len <= 256 ? 'short' : len <= 4096 ? 'medium' : 'long';
}

/** Every softmax configuration the tuner tries, in a fixed order (ties go to the first). */
export const SOFTMAX_CANDIDATES: readonly SoftmaxConfig[] = Object.freeze([
  { variant: 'rows', workgroupSize: 64, rowsPerInvocation: 1 },
  { variant: 'rows', workgroupSize: 16, rowsPerInvocation: 1 },
  { variant: 'rows', workgroupSize: 128, rowsPerInvocation: 1 },
  { variant: 'rows', workgroupSize: 32, rowsPerInvocation: 2 },
  { variant: 'workgroup', workgroupSize: 64, lanesPerRow: 16 },
  { variant: 'workgroup', workgroupSize: 128, lanesPerRow: 128 },
  { variant: 'workgroup', workgroupSize: 256, lanesPerRow: 256 },
]);

export const SOFTMAX_FAMILY: TunableFamily<SoftmaxConfig> = {
  kernel: 'softmax',
  source: sourceHash(SOFTMAX_KERNEL.code + SOFTMAX_ROWS_KERNEL.code),
  candidates: (gpu) =>
    SOFTMAX_CANDIDATES.filter(
      (c) =>
        c.workgroupSize <= Math.min(gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX) &&
        (c.variant !== 'rows' || gpu.limits.maxStorageBuffersPerShaderStage >= 8),
    ).map((c) => ({ ...c })),
  defaultConfig: (cls) =>
    cls === 'gpu'
      ? { variant: 'workgroup', workgroupSize: 64, lanesPerRow: 16 }
      : { variant: 'rows', workgroupSize: 64, rowsPerInvocation: 1 },
  accept: (x, gpu) => SOFTMAX_FAMILY.candidates(gpu).find((c) => JSON.stringify(c) === JSON.stringify(x)) ?? null,
};

/** The tuned softmax configuration for rows of `len` on this device, or null when none was measured. */
export function tunedSoftmax(gpu: Gpu, len: number): SoftmaxConfig | null {
  const record = gpu.tuning.lookup(adapterIdentity(gpu.info), SOFTMAX_FAMILY.kernel, softmaxShapeClass(len), SOFTMAX_FAMILY.source);
  return record ? SOFTMAX_FAMILY.accept(record.config, gpu) : null;
}
