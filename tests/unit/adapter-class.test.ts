import { describe, expect, it } from 'vitest';
import { adapterClass, adapterIdentity, isCpuStyle } from '../../src/gpu/adapter-class';

const base = { vendor: '', architecture: '', device: '', description: '', featureLevel: 'core' as const };

describe('adapterClass', () => {
  it('recognises SwiftShader and lavapipe/llvmpipe from their info strings', () => {
    expect(adapterClass({ ...base, vendor: 'google', architecture: 'swiftshader' })).toBe('swiftshader');
    expect(adapterClass({ ...base, description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe('lavapipe');
    expect(adapterClass({ ...base, device: 'Lavapipe' })).toBe('lavapipe');
  });

  it('takes a compatibility-mode adapter with no info at all as lavapipe (Dawn GLES over ANGLE)', () => {
    expect(adapterClass({ ...base, featureLevel: 'compatibility' })).toBe('lavapipe');
    expect(isCpuStyle({ ...base, featureLevel: 'compatibility' })).toBe(true);
  });

  it('treats everything else as a GPU, including a core adapter with empty strings', () => {
    expect(adapterClass({ ...base, vendor: 'nvidia', architecture: 'hopper' })).toBe('gpu');
    expect(adapterClass(base)).toBe('gpu');
    expect(isCpuStyle({ ...base, vendor: 'apple' })).toBe(false);
  });

  it('gives a stable identity with placeholders for empty fields', () => {
    expect(adapterIdentity({ ...base, vendor: 'google', architecture: 'swiftshader' })).toBe('google|swiftshader|-|-|core');
  });
});
