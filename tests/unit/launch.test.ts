/** Declarative launches: uniform blocks packed by field name and checked against the WGSL. */
import { describe, expect, it, vi } from 'vitest';
import { packUniforms, parseWgslStruct, wgslUniformFields } from '../../src/gpu/uniforms';
import type { KernelDescription } from '../../src/gpu/launch';
import { MATMUL_KERNELS, MATMUL_UNIFORMS } from '../../src/kernels/matmul/kernels';
import { MATMUL_VARIANTS } from '../../src/problem/matmul';

// The launcher modules read GPUBufferUsage at load (through Tensor); Node has none.
vi.hoisted(() => {
  (globalThis as Record<string, unknown>).GPUBufferUsage ??= { STORAGE: 128, COPY_SRC: 4, COPY_DST: 8, MAP_READ: 1, UNIFORM: 64 };
});

const flashRows = await import('../../src/kernels/attention/flash-rows');

/** Every migrated kernel (launched through src/gpu/launch.ts), by module. */
const LAUNCHED: readonly KernelDescription[] = [
  (await import('../../src/kernels/scale')).SCALE_KERNEL,
  (await import('../../src/kernels/attention-weights-spec')).ATTENTION_MAP_KERNEL,
  ...(await import('../../src/kernels/ddpm/specs')).DDPM_KERNELS,
  (await import('../../src/kernels/softmax')).SOFTMAX_LAUNCH,
  (await import('../../src/kernels/softmax')).SOFTMAX_ROWS_LAUNCH,
  (await import('../../src/kernels/optim')).RACE_KERNEL,
  (await import('../../src/kernels/optim')).SURFACE_GRID_KERNEL,
  (await import('../../src/kernels/landscape')).PERTURB_KERNEL,
  (await import('../../src/kernels/landscape')).BIAS_ACT_KERNEL,
  (await import('../../src/kernels/landscape')).XENT_KERNEL,
  ...(await import('../../src/kernels/train/specs')).TRAIN_KERNELS,
  ...(await import('../../src/kernels/attention/specs')).ATTENTION_LAUNCHED,
  (await import('../../src/bench/probes')).FMA_PROBE,
  (await import('../../src/bench/probes')).COPY_PROBE,
  ...flashRows.FLASH_ROWS_R.flatMap((R) => [flashRows.flashRowsKernel(R, 16, true), flashRows.flashRowsKernel(R, 16, false)]),
  // Registers kernels (their own output declaration and vec4 views): a 64-wide and a 32-wide head.
  flashRows.flashRowsKernel(8, 8, true, 16),
  flashRows.flashRowsKernel(16, 4, false, 8),
];

describe('uniform layouts', () => {
  it.each(MATMUL_VARIANTS)('matmul %s: the declared layout is the WGSL struct Params, field for field', (variant) => {
    const kernel = MATMUL_KERNELS[variant];
    expect(kernel.uniforms?.binding).toBe('params');
    expect(parseWgslStruct(kernel.code, 'Params')).toEqual(MATMUL_UNIFORMS.map(([n, t]) => [n, t]));
  });

  it.each(LAUNCHED.map((k) => [k.name, k] as const))('%s: the declared layout is its WGSL uniform struct, field for field', (_, kernel) => {
    const uniform = kernel.bindings.find((b) => b.kind === 'uniform' && b.name === (kernel.uniforms?.binding ?? b.name));
    expect(uniform, 'a kernel with a uniform binding declares its layout').toBeDefined();
    expect(kernel.uniforms?.binding).toBe(uniform!.name);
    const declared = kernel.uniforms!.layout.map(([n, t]) => [n, t]);
    expect(declared.length).toBeGreaterThan(0);
    expect(wgslUniformFields(kernel.code, uniform!.name)).toEqual(declared);
  });

  it('flattens a nested struct as outer.inner fields', () => {
    const code = `struct S { kind: u32, pad0: u32 }\nstruct P { s: S, n: u32, pad0: f32 }\n@group(0) @binding(0) var<uniform> params: P;`;
    expect(wgslUniformFields(code, 'params')).toEqual([
      ['s.kind', 'u32'],
      ['s.pad0', 'u32'],
      ['n', 'u32'],
      ['pad0', 'f32'],
    ]);
    expect(wgslUniformFields(code, 'other')).toEqual([]);
  });

  it('packs a constant field from the layout and refuses it as a value', () => {
    const layout = [
      ['n', 'u32'],
      ['negInf', 'f32', -Infinity],
      ['_p0', 'u32', 0],
    ] as const;
    const v = new DataView(packUniforms('k', layout, { n: 3 }));
    expect([v.getUint32(0, true), v.getFloat32(4, true), v.getUint32(8, true)]).toEqual([3, -Infinity, 0]);
    expect(() => packUniforms('k', layout, { n: 3, _p0: 1 })).toThrow(/unknown uniform field\(s\) _p0/);
  });

  it('packs by name, in layout order, padded to 16 bytes', () => {
    const layout = [
      ['n', 'u32'],
      ['off', 'i32'],
      ['scale', 'f32'],
    ] as const;
    const buf = packUniforms('k', layout, { scale: 0.5, n: 7, off: -3 });
    expect(buf.byteLength).toBe(16);
    const v = new DataView(buf);
    expect([v.getUint32(0, true), v.getInt32(4, true), v.getFloat32(8, true)]).toEqual([7, -3, 0.5]);
  });

  it('refuses a missing, extra, inherited or non-finite field, naming it', () => {
    const layout = [['n', 'u32']] as const;
    expect(() => packUniforms('k', layout, {})).toThrow(/k: uniform field 'n' is undefined/);
    expect(() => packUniforms('k', layout, { n: 1, m: 2 })).toThrow(/unknown uniform field\(s\) m/);
    expect(() => packUniforms('k', layout, { n: NaN })).toThrow(/'n' is NaN/);
    expect(() => packUniforms('k', [['toString', 'u32']], {})).toThrow(/'toString' is undefined/);
  });
});
