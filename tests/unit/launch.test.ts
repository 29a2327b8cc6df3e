/** Declarative launches: uniform blocks packed by field name and checked against the WGSL. */
import { describe, expect, it } from 'vitest';
import { packUniforms, parseWgslStruct } from '../../src/gpu/uniforms';
import { MATMUL_KERNELS, MATMUL_UNIFORMS } from '../../src/kernels/matmul/kernels';
import { MATMUL_VARIANTS } from '../../src/problem/matmul';

describe('uniform layouts', () => {
  it.each(MATMUL_VARIANTS)('matmul %s: the declared layout is the WGSL struct Params, field for field', (variant) => {
    const kernel = MATMUL_KERNELS[variant];
    expect(kernel.uniforms?.binding).toBe('params');
    expect(parseWgslStruct(kernel.code, 'Params')).toEqual(MATMUL_UNIFORMS.map(([n, t]) => [n, t]));
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
