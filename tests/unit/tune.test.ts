/** The tuner's pure parts: the choice for given timings, and the tuning table. */
import { describe, expect, it } from 'vitest';
import { median, pickFastest, type CandidateResult } from '../../src/tune/select';
import { TuningTable, sourceHash, type TuningRecord } from '../../src/gpu/tuning';

const r = (config: string, times: number[], correct = true): CandidateResult<string> => ({ config, correct, times });

describe('pickFastest', () => {
  it('takes the lowest median, whatever the order of the timings', () => {
    expect(pickFastest([r('a', [5, 9, 6]), r('b', [4, 100, 4.5]), r('c', [7, 7, 7])])).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('never picks an incorrect or untimed candidate, and gives −1 when none qualifies', () => {
    expect(pickFastest([r('fast-but-wrong', [1], false), r('slow', [10]), r('failed', [])])).toBe(1);
    expect(pickFastest([r('wrong', [1], false), r('failed', [])])).toBe(-1);
  });

  it('is deterministic: ties within the resolution go to the earlier candidate', () => {
    const results = [r('first', [10.02]), r('second', [10]), r('third', [10])];
    expect(pickFastest(results, 0.05)).toBe(0);
    expect(pickFastest(results, 0)).toBe(1);
    for (let i = 0; i < 5; i++) expect(pickFastest(results, 0.05)).toBe(0);
  });
});

describe('TuningTable', () => {
  const rec = (over: Partial<TuningRecord> = {}): TuningRecord => ({
    adapter: 'google|swiftshader|-|-|core',
    kernel: 'matmul',
    shapeClass: 'large',
    source: 'abcd1234',
    config: { variant: 'direct', WG_X: 8, WG_Y: 8 },
    ms: 10,
    defaultMs: 12,
    measuredOn: 'matmul 512×512×512',
    ...over,
  });

  it('finds a record only for the same adapter, family, shape class and source hash', () => {
    const t = new TuningTable();
    t.set(rec());
    expect(t.lookup('google|swiftshader|-|-|core', 'matmul', 'large', 'abcd1234')?.ms).toBe(10);
    expect(t.lookup('other|gpu|-|-|core', 'matmul', 'large', 'abcd1234')).toBeUndefined();
    expect(t.lookup('google|swiftshader|-|-|core', 'matmul', 'small', 'abcd1234')).toBeUndefined();
    expect(t.lookup('google|swiftshader|-|-|core', 'matmul', 'large', 'ffff0000')).toBeUndefined();
  });

  it('misses every lookup when tuning is off, so kernels use the shipped defaults', () => {
    const t = new TuningTable();
    t.set(rec());
    t.enabled = false;
    expect(t.lookup('google|swiftshader|-|-|core', 'matmul', 'large', 'abcd1234')).toBeUndefined();
  });

  it('round-trips through JSON and skips malformed records', () => {
    const t = new TuningTable();
    t.set(rec());
    t.set(rec({ shapeClass: 'small', defaultMs: null }));
    const back = new TuningTable();
    const json = JSON.parse(JSON.stringify(t.all()));
    expect(back.load([...json, { kernel: 'matmul' }, null, 'x'])).toBe(2);
    expect(back.all()).toEqual(t.all());
    expect(back.load('not an array')).toBe(0);
    back.remove(rec());
    expect(back.all()).toHaveLength(1);
  });

  it('hashes sources stably, and differently after an edit', () => {
    expect(sourceHash('fn main() {}')).toBe(sourceHash('fn main() {}'));
    expect(sourceHash('fn main() {}')).not.toBe(sourceHash('fn main() { }'));
    expect(sourceHash('')).toMatch(/^[0-9a-f]{8}$/);
  });
});
