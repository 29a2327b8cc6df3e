/**
 * Tunable kernel families: for each, its configuration space, how a problem maps to a
 * shape class, the shipped default per adapter class, and the lookup a launcher makes
 * (the device's tuned record if there is one for this adapter, shape class and WGSL
 * source, else the default). The tuner (src/tune/) enumerates the same descriptions.
 */
import type { Gpu } from '../gpu/device';
import { adapterClass, adapterIdentity, type AdapterClass } from '../gpu/adapter-class';
import { sourceHash } from '../gpu/tuning';
import type { AttentionProblem } from '../problem/attention';
import { MATMUL_VARIANTS, type MatmulProblem, type MatmulVariant } from '../problem/matmul';
import { DECODE_MIN_KEYS, FLASH_CONFIGS, defaultFlashConfig, isDecodeShape, type FlashConfig } from './attention/flash-config';
import { FLASH_DECODE_KERNEL, FLASH_KERNEL, FLASH_MERGE_KERNEL } from './attention/specs';
import { FLASH_ROWS_KB, FLASH_ROWS_R, flashRowsKernel, registerChunks } from './attention/flash-rows';
import { MATMUL_KERNELS } from './matmul/kernels';

/** A kernel family the tuner can search. `C` is its configuration. */
export interface TunableFamily<C> {
  /** The family's name in tuning records. */
  readonly kernel: string;
  /** Hash of every WGSL source the family's configurations run. */
  readonly source: string;
  /** Every configuration the tuner tries on `gpu`, in a fixed order (ties go to the first). */
  candidates(gpu: Gpu): C[];
  /** The shipped default for an adapter class and shape class. */
  defaultConfig(cls: AdapterClass, shapeClass: string): C;
  /** The configuration if `x` is one of this family's, else null (stored records are re-checked on use). */
  accept(x: unknown, gpu: Gpu): C | null;
}

/** The tuned configuration of `family` for `shapeClass` on this device, else its default. */
export function configFor<C>(gpu: Gpu, family: TunableFamily<C>, shapeClass: string): C {
  const record = gpu.tuning.lookup(adapterIdentity(gpu.info), family.kernel, shapeClass, family.source);
  const tuned = record ? family.accept(record.config, gpu) : null;
  return tuned ?? family.defaultConfig(adapterClass(gpu.info), shapeClass);
}

// ---- flash attention --------------------------------------------------------------

/** What flash's shape class reads of a problem (Nq and Nk: absent means not a decode shape). */
export type FlashShape = Pick<AttentionProblem, 'd' | 'dv' | 'causal'> & Partial<Pick<AttentionProblem, 'Nq' | 'Nk'>>;

/**
 * Flash's shape class: the head dim's bucket (the tiling depends on it), the mask, and
 * `:decode` for a decode shape (Nq ≤ 16 against Nk ≥ 256, where split-K is the default).
 */
export function flashShapeClass(p: FlashShape): string {
  const dim = Math.max(p.d, p.dv);
  const bucket = dim <= 32 ? 'd32' : dim <= 64 ? 'd64' : dim <= 128 ? 'd128' : 'dbig';
  const decode = p.Nq !== undefined && p.Nk !== undefined && isDecodeShape(p.Nq, p.Nk);
  return `${bucket}${p.causal ? ':causal' : ''}${decode ? ':decode' : ''}`;
}

/** Every generated `rows` kernel's source (buffer and, for a 64-wide head, registers accumulators), for the hash. */
function flashRowsSources(): string {
  const sources = FLASH_ROWS_R.flatMap((R) =>
    FLASH_ROWS_KB.flatMap((KB) =>
      [true, false].flatMap((plain) => [0, registerChunks(R, 64, 64)].map((chunks) => flashRowsKernel(R, KB, plain, chunks).code)),
    ),
  );
  return sources.join('');
}

export const FLASH_FAMILY: TunableFamily<FlashConfig> = {
  kernel: 'attention:flash',
  source: sourceHash(FLASH_KERNEL.code + flashRowsSources() + FLASH_DECODE_KERNEL.code + FLASH_MERGE_KERNEL.code),
  candidates: (gpu) =>
    FLASH_CONFIGS.filter((c) => c.layout === 'workgroup' || c.WG <= gpu.limits.maxComputeInvocationsPerWorkgroup).map((c) => ({ ...c })),
  defaultConfig: (cls, shapeClass) => defaultFlashConfig(cls, shapeClass.endsWith(':decode')),
  accept: (x, gpu) => FLASH_FAMILY.candidates(gpu).find((c) => JSON.stringify(c) === JSON.stringify(x)) ?? null,
};

/**
 * The flash configuration for problem `p` on this device: the tuned one for its shape
 * class, else the default. `splitK` (the caller's option) overrides the choice of layout:
 * `true` takes the decode class's split-K configuration (or the default split-K one),
 * `false` the non-decode class's configuration (never split-K).
 */
export function flashConfigFor(gpu: Gpu, p: FlashShape & { splitK?: boolean }): FlashConfig {
  const cls = adapterClass(gpu.info);
  if (p.splitK === true) {
    const c = configFor(gpu, FLASH_FAMILY, flashShapeClass({ ...p, Nq: 1, Nk: DECODE_MIN_KEYS }));
    return c.layout === 'splitk' ? c : defaultFlashConfig(cls, true);
  }
  if (p.splitK === false) {
    const c = configFor(gpu, FLASH_FAMILY, flashShapeClass({ d: p.d, dv: p.dv, causal: p.causal }));
    return c.layout === 'splitk' ? defaultFlashConfig(cls, false) : c;
  }
  return configFor(gpu, FLASH_FAMILY, flashShapeClass(p));
}

// ---- matmul ------------------------------------------------------------------------

/** A matmul configuration: the variant, and workgroup overrides for the tile variants. */
export interface MatmulTuning {
  variant: MatmulVariant;
  WG_X?: number;
  WG_Y?: number;
  /** Rows per invocation of `direct`: 8 or 16. */
  TM?: number;
}

/** Matmul's shape class: GEMV-like, small (one tile or a few), or large. */
export function matmulShapeClass(p: Pick<MatmulProblem, 'M' | 'N' | 'K' | 'batch'>): string {
  if (Math.min(p.M, p.N) === 1 || p.batch * p.M * p.N <= 1024) return 'gemv';
  if (p.M < 64 || p.N < 64) return 'small';
  return 'large';
}

/** Every matmul configuration the tuner tries, in a fixed order (ties go to the first). */
export const MATMUL_CANDIDATES: readonly MatmulTuning[] = Object.freeze([
  { variant: 'direct', WG_X: 16, WG_Y: 4, TM: 16 },
  { variant: 'direct', WG_X: 8, WG_Y: 8, TM: 16 },
  { variant: 'direct', WG_X: 8, WG_Y: 8, TM: 8 },
  { variant: 'direct', WG_X: 16, WG_Y: 4, TM: 8 },
  { variant: 'direct', WG_X: 4, WG_Y: 16, TM: 8 },
  { variant: 'direct', WG_X: 32, WG_Y: 2, TM: 8 },
  { variant: 'register' },
  { variant: 'tiled' },
  { variant: 'naive' },
]);

export const MATMUL_FAMILY: TunableFamily<MatmulTuning> = {
  kernel: 'matmul',
  source: sourceHash(MATMUL_VARIANTS.map((v) => MATMUL_KERNELS[v].code).join('\n')),
  candidates: (gpu) =>
    MATMUL_CANDIDATES.filter((c) => (c.WG_X ?? 1) * (c.WG_Y ?? 1) <= gpu.limits.maxComputeInvocationsPerWorkgroup).map((c) => ({
      ...c,
    })),
  // The defaults `chooseMatmulVariant` applies (kept there, with their measurements).
  defaultConfig: (cls, shapeClass) => {
    if (shapeClass === 'gemv') return { variant: 'naive' };
    if (cls !== 'gpu') return { variant: 'direct', WG_X: 16, WG_Y: 4, TM: 16 };
    return { variant: shapeClass === 'large' ? 'register' : 'naive' };
  },
  accept: (x, gpu) => MATMUL_FAMILY.candidates(gpu).find((c) => JSON.stringify(c) === JSON.stringify(x)) ?? null,
};

/** The tuned matmul configuration for this shape class on this device, or null when none was measured. */
export function tunedMatmul(gpu: Gpu, p: Pick<MatmulProblem, 'M' | 'N' | 'K' | 'batch'>): MatmulTuning | null {
  const record = gpu.tuning.lookup(adapterIdentity(gpu.info), MATMUL_FAMILY.kernel, matmulShapeClass(p), MATMUL_FAMILY.source);
  return record ? MATMUL_FAMILY.accept(record.config, gpu) : null;
}
