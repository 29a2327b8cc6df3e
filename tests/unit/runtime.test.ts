/** Pure parts of the runtime: folding, binding parsing, uniforms, the tolerance rule. */
import { describe, expect, it } from 'vitest';
import { foldWorkgroups } from '../../src/gpu/dispatch';
import { parseWgslBindings } from '../../src/gpu/bindings';
import { packScalars } from '../../src/gpu/uniforms';
import { LimitExceededError, ShapeError } from '../../src/problem/errors';
import { checkTolerance, maxAbsError } from '../../src/reference/compare';
import { assertValidShape } from '../../src/problem/shape';

describe('foldWorkgroups', () => {
  it('keeps small dispatches in x', () => {
    expect(foldWorkgroups(10, 65535)).toEqual([10, 1, 1]);
    expect(foldWorkgroups(0, 65535)).toEqual([0, 1, 1]);
  });
  it('folds past the per-dimension limit and covers every workgroup', () => {
    const [x, y] = foldWorkgroups(65539, 65535);
    expect(x).toBe(65535);
    expect(y).toBe(2);
    expect(x * y).toBeGreaterThanOrEqual(65539);
  });
  it('throws LimitExceededError past limit²', () => {
    expect(() => foldWorkgroups(5 * 5 + 1, 5)).toThrow(LimitExceededError);
  });
});

describe('parseWgslBindings', () => {
  it('reads group, binding, name and kind, ignoring comments', () => {
    const code = `
      // @group(0) @binding(9) var<storage, read> commented: array<f32>;
      @group(0) @binding(1) var<storage, read> a: array<f32>;
      @group(0) @binding(0) var<uniform> params: Params;
      @group(0) @binding(2) var<storage, read_write> out: array<f32>;`;
    expect(parseWgslBindings(code)).toEqual([
      { group: 0, binding: 0, name: 'params', kind: 'uniform' },
      { group: 0, binding: 1, name: 'a', kind: 'read-only-storage' },
      { group: 0, binding: 2, name: 'out', kind: 'storage' },
    ]);
  });
});

describe('packScalars', () => {
  it('writes 4-byte fields little-endian and pads to 16 bytes', () => {
    const buf = packScalars([
      ['u32', 7],
      ['f32', 0.5],
      ['i32', -2],
      ['u32', 1],
      ['u32', 9],
    ]);
    expect(buf.byteLength).toBe(32);
    const v = new DataView(buf);
    expect([v.getUint32(0, true), v.getFloat32(4, true), v.getInt32(8, true), v.getUint32(16, true)]).toEqual([7, 0.5, -2, 9]);
  });
});

describe('shape validation', () => {
  it('names the bad dimension', () => {
    expect(() => assertValidShape('op', 'a', [2, -1])).toThrow(ShapeError);
    expect(() => assertValidShape('op', 'a', [2, 1.5])).toThrow(/dimension 1 is 1\.5/);
  });
});

describe('the tolerance rule', () => {
  it('passes within twice the f32 baseline error plus atol and fails beyond', () => {
    const oracle = [1, 2, 3];
    const baseline = [1, 2 + 1e-4, 3];
    expect(checkTolerance([1, 2 - 1.9e-4, 3], oracle, baseline).ok).toBe(true);
    expect(checkTolerance([1, 2 - 2.1e-4, 3], oracle, baseline).ok).toBe(false);
  });
  it('matches NaN only with NaN and Inf only with the same sign', () => {
    expect(maxAbsError([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity]).nonFiniteMismatches).toEqual([]);
    expect(maxAbsError([NaN, Infinity, 1], [0, -Infinity, NaN]).nonFiniteMismatches).toEqual([0, 1, 2]);
  });
});
