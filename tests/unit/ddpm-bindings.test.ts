/** The DDPM kernels' binding tables agree with their WGSL. */
import { describe, expect, it } from 'vitest';
import { parseWgslBindings } from '../../src/gpu/bindings';
import { DDPM_KERNELS, PHILOX_KERNELS } from '../../src/kernels/ddpm/specs';
import { PHILOX_CONSTANTS } from '../../src/reference/philox';

describe('DDPM binding tables', () => {
  it.each(DDPM_KERNELS.map((k) => [k.name, k] as const))('%s matches its WGSL', (_name, spec) => {
    const parsed = parseWgslBindings(spec.code);
    expect(parsed.map((b) => [b.group, b.binding, b.name, b.kind])).toEqual(spec.bindings.map((b, i) => [0, i, b.name, b.kind]));
  });
  it('every kernel declares the Philox overrides it is given', () => {
    for (const spec of PHILOX_KERNELS) {
      for (const name of Object.keys(PHILOX_CONSTANTS)) expect(spec.code).toMatch(new RegExp(`override ${name}: u32;`));
    }
  });
});
