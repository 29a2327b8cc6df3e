/**
 * Matmul in Node: the CPU reference (hand-checked cases, transposes, batch and
 * broadcasting, f32 vs f64), shape and option validation, the binding tables
 * against their WGSL, and the override constants chosen from device limits.
 */
import { describe, expect, it } from 'vitest';
import { matmulReference, matmulErrorBound } from '../../src/reference/matmul';
import { resolveMatmulOptions, resolveMatmulProblem, MATMUL_VARIANTS } from '../../src/problem/matmul';
import { MATMUL_KERNELS, bReadsAsVec4, matmulConfig, matmulWorkgroups } from '../../src/kernels/matmul/kernels';
import { parseWgslBindings } from '../../src/gpu/bindings';
import { mulberry32, uniformArray } from '../../src/reference/random';

const t = (data: number[], shape: number[]) => ({ data: Float32Array.from(data), shape });

function transpose(data: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out.push(data[r * cols + c]!);
  return out;
}

describe('matmulReference', () => {
  it('multiplies a 2×3 by a 3×2 by hand', () => {
    const r = matmulReference(t([1, 2, 3, 4, 5, 6], [2, 3]), t([7, 8, 9, 10, 11, 12], [3, 2]));
    expect(r.shape).toEqual([2, 2]);
    expect(Array.from(r.data)).toEqual([58, 64, 139, 154]);
  });

  it('applies alpha and both transposes', () => {
    const A = [1, 2, 3, 4, 5, 6]; // [2,3]
    const B = [7, 8, 9, 10, 11, 12]; // [3,2]
    const r = matmulReference(t(transpose(A, 2, 3), [3, 2]), t(transpose(B, 3, 2), [2, 3]), {
      transposeA: true,
      transposeB: true,
      alpha: 0.5,
    });
    expect(Array.from(r.data)).toEqual([29, 32, 69.5, 77]);
  });

  it('batches, and broadcasts a rank-2 operand (or a batch of 1) over the batch', () => {
    const rng = mulberry32(7);
    const A = uniformArray(rng, 2 * 3 * 4);
    const B = uniformArray(rng, 4 * 5);
    const batched = matmulReference({ data: A, shape: [2, 3, 4] }, { data: B, shape: [4, 5] });
    const one = matmulReference({ data: A, shape: [2, 3, 4] }, { data: B, shape: [1, 4, 5] });
    expect(batched.shape).toEqual([2, 3, 5]);
    expect(one.data).toEqual(batched.data);
    for (let bi = 0; bi < 2; bi++) {
      const single = matmulReference({ data: A.subarray(bi * 12, bi * 12 + 12), shape: [3, 4] }, { data: B, shape: [4, 5] });
      expect(Array.from(batched.data.subarray(bi * 15, bi * 15 + 15))).toEqual(Array.from(single.data));
    }
    const left = matmulReference({ data: B, shape: [5, 4] }, { data: A, shape: [2, 3, 4] }, { transposeB: true });
    expect(left.shape).toEqual([2, 5, 3]);
  });

  it('f32 precision rounds each step and stays within the error bound of the f64 oracle', () => {
    const rng = mulberry32(11);
    const a = { data: uniformArray(rng, 37 * 129), shape: [37, 129] };
    const b = { data: uniformArray(rng, 129 * 23), shape: [129, 23] };
    const f64 = matmulReference(a, b);
    const f32 = matmulReference(a, b, {}, 'f32');
    const bound = matmulErrorBound(a, b);
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(f64.data).toBeInstanceOf(Float64Array);
    let differs = false;
    for (let i = 0; i < f64.data.length; i++) {
      expect(Math.abs(f32.data[i]! - f64.data[i]!)).toBeLessThanOrEqual(bound[i]!);
      if (f32.data[i] !== f64.data[i]) differs = true;
    }
    expect(differs).toBe(true);
  });

  it('gives empty or zero results for zero-size dimensions', () => {
    expect(matmulReference(t([], [0, 3]), t([1, 2, 3], [3, 1]))).toEqual({ data: new Float64Array(0), shape: [0, 1] });
    expect(Array.from(matmulReference(t([], [2, 0]), t([], [0, 3])).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmulReference(t([], [0, 2, 2]), t([1, 2, 3, 4], [2, 2])).shape).toEqual([0, 2, 2]);
  });

  it('keeps NaN and Inf as IEEE arithmetic does', () => {
    const r = matmulReference(t([Infinity, 1, NaN, 1], [2, 2]), t([1, 0, 1, 0], [2, 2]));
    expect(Array.from(r.data)).toEqual([Infinity, NaN, NaN, NaN]);
  });
});

describe('matmul validation (shared by the kernel and the reference)', () => {
  const opts = resolveMatmulOptions('matmul', undefined);
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      'inner mismatch',
      () => resolveMatmulProblem('matmul', [2, 3], [4, 5], opts),
      'ShapeError',
      /inner dimensions differ.*a=\[2, 3\], b=\[4, 5\]/,
    ],
    [
      'transposed inner mismatch',
      () => resolveMatmulProblem('matmul', [2, 3], [3, 5], { ...opts, transposeB: true }),
      'ShapeError',
      /bᵀ has K = 5/,
    ],
    ['rank 1', () => resolveMatmulProblem('matmul', [3], [3, 5], opts), 'ShapeError', /a must have rank 2 or 3, got rank 1/],
    ['rank 4', () => resolveMatmulProblem('matmul', [2, 3], [1, 1, 3, 5], opts), 'ShapeError', /b must have rank 2 or 3/],
    ['batch mismatch', () => resolveMatmulProblem('matmul', [2, 2, 3], [3, 3, 5], opts), 'ShapeError', /batch sizes differ: 2 vs 3/],
    ['negative size', () => resolveMatmulProblem('matmul', [-2, 3], [3, 5], opts), 'ShapeError', /dimension 0 is -2/],
    ['fractional size', () => resolveMatmulProblem('matmul', [2, 3], [3, 2.5], opts), 'ShapeError', /dimension 1 is 2.5/],
    [
      'unknown variant',
      () => resolveMatmulOptions('matmul', { variant: 'fast' }),
      'InvalidArgumentError',
      /variant must be 'auto' or one of/,
    ],
    ['alpha NaN', () => resolveMatmulOptions('matmul', { alpha: NaN }), 'InvalidArgumentError', /alpha must be a finite number/],
    [
      'transpose not boolean',
      () => resolveMatmulOptions('matmul', { transposeA: 1 }),
      'InvalidArgumentError',
      /transposeA must be a boolean/,
    ],
    ['options not object', () => resolveMatmulOptions('matmul', 'tiled'), 'InvalidArgumentError', /options must be/],
    ['reference: not a tensor', () => matmulReference([1, 2] as never, t([1], [1, 1])), 'InvalidArgumentError', /a must be/],
    [
      'reference: wrong length',
      () => matmulReference(t([1, 2, 3], [2, 2]), t([1, 2], [2, 1])),
      'ShapeError',
      /a has 3 values but its shape holds 4/,
    ],
  ];
  it.each(cases)('%s', (_name, call, type, message) => {
    let error: Error | null = null;
    try {
      call();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe(type);
    expect(error?.message).toMatch(message);
  });

  it('resolves strides for transposes and broadcasting', () => {
    const p = resolveMatmulProblem('matmul', [4, 3, 2], [5, 3], { ...opts, transposeA: true, transposeB: true });
    expect(p).toMatchObject({ batch: 4, M: 2, N: 5, K: 3, outShape: [4, 2, 5], aBatch: 6, aRow: 1, aCol: 2, bBatch: 0, bRow: 1, bCol: 3 });
  });
});

describe('matmul kernels', () => {
  it.each(MATMUL_VARIANTS)('%s: the binding table matches the WGSL', (variant) => {
    const spec = MATMUL_KERNELS[variant];
    const wgsl = parseWgslBindings(spec.code);
    expect(wgsl.map((b) => [b.group, b.binding, b.name, b.kind])).toEqual(spec.bindings.map((b, i) => [0, i, b.name, b.kind]));
  });

  it.each(MATMUL_VARIANTS)('%s: every override the launcher sets is declared in the WGSL', (variant) => {
    const { constants } = matmulConfig(variant, {
      maxComputeInvocationsPerWorkgroup: 256,
      maxComputeWorkgroupSizeX: 256,
      maxComputeWorkgroupSizeY: 256,
      maxComputeWorkgroupStorageSize: 16384,
    });
    for (const name of Object.keys(constants)) expect(MATMUL_KERNELS[variant].code).toMatch(new RegExp(`override ${name}: u32`));
  });

  it('direct reads B through its vec4 view only when B is row-major with vec4-aligned rows and batches (B_VEC4)', () => {
    expect(MATMUL_KERNELS.direct.code).toMatch(/override B_VEC4: bool/);
    expect(bReadsAsVec4({ bCol: 1, bRow: 64, bBatch: 0 })).toBe(true);
    expect(bReadsAsVec4({ bCol: 1, bRow: 64, bBatch: 64 * 32 })).toBe(true);
    expect(bReadsAsVec4({ bCol: 1, bRow: 30, bBatch: 0 })).toBe(false); // rows start mid-vec4
    expect(bReadsAsVec4({ bCol: 1, bRow: 64, bBatch: 64 * 3 + 2 })).toBe(false); // a batch starts mid-vec4
    expect(bReadsAsVec4({ bCol: 64, bRow: 1, bBatch: 0 })).toBe(false); // transposed B
  });

  it('keeps workgroups within 128 invocations on compatibility-mode limits', () => {
    const compat = {
      maxComputeInvocationsPerWorkgroup: 128,
      maxComputeWorkgroupSizeX: 128,
      maxComputeWorkgroupSizeY: 128,
      maxComputeWorkgroupStorageSize: 16384,
      subgroupMaxSize: 128,
    };
    const sizes = {
      naive: (c: Record<string, number>) => c.WG_X! * c.WG_Y!,
      tiled: (c: Record<string, number>) => c.TILE! * c.TILE!,
      register: (c: Record<string, number>) => c.WG_X! * c.WG_Y!,
      direct: (c: Record<string, number>) => c.WG_X! * c.WG_Y!,
      subgroup: (c: Record<string, number>) => c.WG!,
    };
    for (const v of MATMUL_VARIANTS) expect(sizes[v](matmulConfig(v, compat).constants as Record<string, number>)).toBeLessThanOrEqual(128);
    const big = matmulConfig('register', {
      ...compat,
      maxComputeInvocationsPerWorkgroup: 1024,
      maxComputeWorkgroupSizeX: 1024,
      maxComputeWorkgroupSizeY: 1024,
    });
    expect(big.constants).toEqual({ WG_X: 16, WG_Y: 16, BK: 16 });
    expect(matmulConfig('register', compat, 512).constants).toEqual({ WG_X: 16, WG_Y: 8, BK: 32 });
    expect(matmulConfig('register', { ...compat, maxComputeWorkgroupStorageSize: 8192 }, 512).constants.BK).toBe(16);
    expect(big.tile).toEqual({ rows: 64, cols: 64 });
  });

  it('counts workgroups per batch and tile', () => {
    const p = resolveMatmulProblem('matmul', [3, 65, 10], [10, 129], resolveMatmulOptions('matmul', undefined));
    const limits = {
      maxComputeInvocationsPerWorkgroup: 256,
      maxComputeWorkgroupSizeX: 256,
      maxComputeWorkgroupSizeY: 256,
      maxComputeWorkgroupStorageSize: 16384,
      subgroupMaxSize: 4,
    };
    expect(matmulWorkgroups(p, matmulConfig('register', limits))).toBe(3 * 2 * 3);
    expect(matmulWorkgroups(p, matmulConfig('naive', limits))).toBe(3 * 5 * 9);
    expect(matmulWorkgroups(p, matmulConfig('subgroup', limits))).toBe(Math.ceil((3 * 65 * 129) / 8));
    expect(matmulConfig('subgroup', limits).constants).toEqual({ WG: 4, TASKS: 8 });
  });
});
