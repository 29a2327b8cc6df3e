/**
 * `<loss-landscape>`'s attribute parser: defaults, lists and JSON, overrides,
 * and a message naming the attribute for every kind of bad input.
 */
import { describe, expect, it } from 'vitest';
import { parseLandscapeAttributes, parseStarts } from '../../src/viz/loss-landscape/config';

describe('parseLandscapeAttributes', () => {
  it('fills defaults from the surface', () => {
    const c = parseLandscapeAttributes({});
    expect(c.mode).toBe('analytic');
    expect(c.surface.kind).toBe('rosenbrock');
    expect(c.optimizers.map((o) => o.kind)).toEqual(['sgd', 'momentum', 'adam']);
    expect(c.starts).toEqual([[-1.5, 2.5]]);
    expect(c.logScale).toBe(true);
    expect(parseLandscapeAttributes({ surface: 'saddle' }).logScale).toBe(false);
  });

  it('reads lists, JSON, aliases and lr / β overrides (own values win)', () => {
    const c = parseLandscapeAttributes({ optimizers: '[{"kind":"adam","lr":0.3},"nesterov","adam-nobc"]', lr: 0.01, beta1: 0.5 });
    expect(c.optimizers[0]).toMatchObject({ kind: 'adam', lr: 0.3, beta1: 0.5 });
    expect(c.optimizers[1]).toMatchObject({ kind: 'nesterov', lr: 0.01, beta1: 0.5 });
    expect(c.optimizers[2]).toMatchObject({ kind: 'adam', biasCorrection: false, label: 'Adam (no bias correction)' });
    const forced = parseLandscapeAttributes({ optimizers: '[{"kind":"adam","lr":0.3},"sgd"]', overrides: { lr: 0.002, beta2: 0.9 } });
    expect(forced.optimizers.map((o) => [o.lr, o.beta2])).toEqual([
      [0.002, 0.9],
      [0.002, undefined],
    ]);
    expect(parseStarts('1, -2')).toEqual([[1, -2]]);
    expect(parseStarts('[[1,2],[3,4]]')).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it.each([
    [{ optimizers: '[{"kind":' }, /^optimizers: bad JSON/],
    [{ optimizers: 'adam,lion' }, /unknown optimizer "lion"/],
    [{ optimizers: '[{"kind":"adam","beta1":2}]' }, /beta1/],
    [{ optimizers: 'sgd,sgd,sgd,sgd,sgd,sgd,sgd,sgd' }, /at most 7/],
    [{ surface: 'ackley' }, /^surface: unknown surface/],
    [{ mode: '3d' }, /^mode:/],
    [{ steps: 1e9 }, /^steps: must be in/],
    [{ steps: 2.5 }, /^steps: must be an integer/],
    [{ mode: 'mlp', resolution: 512 }, /^resolution: must be in \[8, 64\]/],
    [{ start: '1' }, /^start:/],
    [{ start: '[[0,0]' }, /^start: bad JSON/],
    [{ lr: NaN }, /^lr: must be a number/],
    [{ condition: 0.5 }, /^condition:/],
    [{ domain: '1,0,0,1' }, /^domain:/],
    [{ seed: -1 }, /^seed:/],
  ])('rejects %o', (attrs, message) => {
    expect(() => parseLandscapeAttributes(attrs as never)).toThrow(message);
  });
});
