/**
 * The matmul ladder's kernels: one binding table per variant (all share the
 * layout declared in shaders/matmul/common.wgsl), the uniform packing, and the
 * override constants each variant gets for a device's limits. Pure data and
 * arithmetic: nothing here touches the GPU, so Node tests can check it.
 */
import naiveCode from '../../../shaders/matmul/naive.wgsl?raw';
import tiledCode from '../../../shaders/matmul/tiled.wgsl?raw';
import registerCode from '../../../shaders/matmul/register.wgsl?raw';
import subgroupCode from '../../../shaders/matmul/subgroup.wgsl?raw';
import directCode from '../../../shaders/matmul/direct.wgsl?raw';
import commonCode from '../../../shaders/matmul/common.wgsl?raw';
import type { BindingSpec } from '../../gpu/bindings';
import type { OverrideConstants } from '../../gpu/pipelines';
import type { KernelDescription } from '../../gpu/launch';
import { packUniforms, type UniformLayout } from '../../gpu/uniforms';
import type { MatmulProblem, MatmulVariant } from '../../problem/matmul';

/** The bindings every variant declares (common.wgsl), in binding order. */
const MATMUL_BINDINGS: readonly BindingSpec[] = [
  { name: 'params', kind: 'uniform' },
  { name: 'matA', kind: 'read-only-storage' },
  { name: 'matB', kind: 'read-only-storage' },
  { name: 'matC', kind: 'storage' },
];

/** The uniform block `Params` of common.wgsl, field for field (a test checks it against the WGSL). */
export const MATMUL_UNIFORMS: UniformLayout = Object.freeze([
  ['M', 'u32'],
  ['N', 'u32'],
  ['K', 'u32'],
  ['batch', 'u32'],
  ['aBatch', 'u32'],
  ['aRow', 'u32'],
  ['aCol', 'u32'],
  ['bBatch', 'u32'],
  ['bRow', 'u32'],
  ['bCol', 'u32'],
  ['alpha', 'f32'],
] as const);

/** A variant's source followed by the shared prelude (its `enable` directive must stay first). */
function withCommon(code: string): string {
  return `${code}\n${commonCode}`;
}

const uniforms = { binding: 'params', layout: MATMUL_UNIFORMS };

/** One kernel description per variant: WGSL, binding table and uniform block. */
export const MATMUL_KERNELS: Readonly<Record<MatmulVariant, KernelDescription>> = Object.freeze({
  naive: { name: 'matmul:naive', code: withCommon(naiveCode), bindings: MATMUL_BINDINGS, uniforms },
  tiled: { name: 'matmul:tiled', code: withCommon(tiledCode), bindings: MATMUL_BINDINGS, uniforms },
  register: { name: 'matmul:register', code: withCommon(registerCode), bindings: MATMUL_BINDINGS, uniforms },
  direct: {
    name: 'matmul:direct',
    code: withCommon(directCode),
    // matB4 aliases matB as vec4s (read-only aliasing is allowed).
    bindings: [...MATMUL_BINDINGS, { name: 'matB4', kind: 'read-only-storage' }],
    uniforms,
  },
  subgroup: { name: 'matmul:subgroup', code: withCommon(subgroupCode), bindings: MATMUL_BINDINGS, uniforms },
});

/** The uniform values of a problem, by field name. */
export function matmulUniforms(p: MatmulProblem): Record<string, number> {
  const { M, N, K, batch, aBatch, aRow, aCol, bBatch, bRow, bCol, alpha } = p;
  return { M, N, K, batch, aBatch, aRow, aCol, bBatch, bRow, bCol, alpha };
}

/** The packed uniform block of a problem. */
export function packMatmulParams(p: MatmulProblem): ArrayBuffer {
  return packUniforms('matmul', MATMUL_UNIFORMS, matmulUniforms(p));
}

/** The limits (and subgroup size) a configuration depends on. */
export interface MatmulDeviceLimits {
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupSizeY: number;
  maxComputeWorkgroupStorageSize: number;
  /** The adapter's largest subgroup size, when it reports one. */
  subgroupMaxSize?: number | null;
}

/** A variant's override constants and the output block one workgroup covers. */
export interface MatmulConfig {
  constants: OverrideConstants;
  /** Outputs per workgroup along M and N (tile variants), or null for `subgroup`. */
  tile: { rows: number; cols: number } | null;
  /** Outputs per workgroup (subgroup variant). */
  tasks: number;
}

/** The largest power of two ≤ n (n ≥ 1). */
function floorPow2(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

/**
 * Override constants for `variant` under `limits`: the measured defaults (16 × 16
 * workgroups) where the device allows 256 invocations, halved along Y where it
 * allows 128 (compatibility mode), and so on. `K` picks the register kernel's slab depth.
 */
export function matmulConfig(
  variant: MatmulVariant,
  limits: MatmulDeviceLimits,
  K = 0,
  workgroup: { WG_X?: number; WG_Y?: number; TM?: number } = {},
): MatmulConfig {
  const inv = limits.maxComputeInvocationsPerWorkgroup;
  const wgX = Math.min(16, floorPow2(limits.maxComputeWorkgroupSizeX), floorPow2(inv));
  const wgY = Math.min(16, floorPow2(limits.maxComputeWorkgroupSizeY), floorPow2(inv / wgX));
  switch (variant) {
    case 'naive':
      return { constants: { WG_X: wgX, WG_Y: wgY }, tile: { rows: wgY, cols: wgX }, tasks: 0 };
    case 'tiled': {
      const side = Math.min(wgX, wgY);
      return { constants: { TILE: side }, tile: { rows: side, cols: side }, tasks: 0 };
    }
    case 'register': {
      // Two slabs of BK·WG vec4s (16 bytes each) must fit workgroup storage. For long
      // K, BK = 32 (16 KiB, the WebGPU minimum) halves the barriers of 16: ~1.8× at
      // 256³ on SwiftShader; at K = 128 BK = 16 measured ~2× faster. (A second
      // pipeline, keyed by its constants, not by the shape.)
      let bk = K >= 256 ? 32 : 16;
      while (bk > 4 && bk * (wgX + wgY) * 16 > limits.maxComputeWorkgroupStorageSize) bk /= 2;
      return { constants: { WG_X: wgX, WG_Y: wgY, BK: bk }, tile: { rows: 4 * wgY, cols: 4 * wgX }, tasks: 0 };
    }
    case 'direct': {
      // TM × 16 outputs per invocation (TM = 8, or 16 where tuned), no workgroup memory.
      // Consecutive invocations run along N and share their rows (CPU backends run 4–8
      // of them as SIMD lanes).
      // A tuned workgroup shape (WG_X × WG_Y) where one is given, within the limits.
      // Default 16 × 4 invocations of 16 × 16 outputs: at 1024³ (quiet machine) 1.5× faster
      // than 8 × 8 invocations of 8 × 16 on SwiftShader, 1.35× on lavapipe.
      const x = Math.min(workgroup.WG_X ?? 16, floorPow2(limits.maxComputeWorkgroupSizeX), floorPow2(inv));
      const y = Math.min(workgroup.WG_Y ?? 4, floorPow2(limits.maxComputeWorkgroupSizeY), floorPow2(inv / x));
      const tm = (workgroup.TM ?? 16) === 16 ? 16 : 8;
      return { constants: { WG_X: x, WG_Y: y, TM: tm }, tile: { rows: tm * y, cols: 16 * x }, tasks: 0 };
    }
    case 'subgroup': {
      // One subgroup per workgroup where the size is known (its largest size, so
      // every subgroup is full and sums in the same order): SwiftShader runs several
      // subgroups of one workgroup about 4x slower than one (measured, 1×512×4096).
      const wg = Math.min(floorPow2(inv), floorPow2(limits.maxComputeWorkgroupSizeX), floorPow2(limits.subgroupMaxSize ?? 32));
      return { constants: { WG: wg, TASKS: 8 }, tile: null, tasks: 8 };
    }
  }
}

/** How many workgroups `variant` launches for `p` (0 when there is nothing to compute). */
export function matmulWorkgroups(p: MatmulProblem, config: MatmulConfig): number {
  if (p.cSize === 0) return 0;
  if (!config.tile) return Math.ceil(p.cSize / config.tasks);
  return p.batch * Math.ceil(p.M / config.tile.rows) * Math.ceil(p.N / config.tile.cols);
}

/**
 * Whether `direct` may read op(B) through its vec4 view: B row-major (bCol = 1) with every
 * row and every batch starting on a vec4 boundary (bRow and bBatch multiples of 4).
 */
export function bReadsAsVec4(p: Pick<MatmulProblem, 'bCol' | 'bRow' | 'bBatch'>): boolean {
  return p.bCol === 1 && p.bRow % 4 === 0 && p.bBatch % 4 === 0;
}
