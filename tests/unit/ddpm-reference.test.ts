/** CPU references for DDPM: the exact denoiser, whole sampling runs, and the data sets. */
import { describe, expect, it } from 'vitest';
import { cosineSchedule, linearSchedule } from '../../src/problem/ddpm-schedule';
import { optimalAttentionCoefficients } from '../../src/problem/ddpm-coefficients';
import {
  forwardNoiseRef,
  medianNearestDistance,
  optimalCpuDenoiser,
  optimalDenoiserRef,
  planSampling,
  sampleRef,
} from '../../src/reference/ddpm';
import { DATASET_NAMES, dataset, GLYPH_SIZE } from '../../src/data/index';
import { InvalidArgumentError } from '../../src/problem/errors';

describe('the exact denoiser', () => {
  const train = Float64Array.of(0, 0, 1, 0, 0, 2);
  it('is the attention form: softmax(scale·q·k + bias)·V with the query norm cancelled', () => {
    const x = Float64Array.of(0.3, -0.2, 0.9, 1.4);
    for (const abar of [0.01, 0.5, 0.99]) {
      const ref = optimalDenoiserRef(train, 2, x, abar);
      const { scale, biasFactor } = optimalAttentionCoefficients(abar);
      for (let q = 0; q < 2; q++) {
        const logits = [0, 1, 2].map((i) => {
          const k = [train[2 * i]!, train[2 * i + 1]!];
          return scale * (x[2 * q]! * k[0]! + x[2 * q + 1]! * k[1]!) + biasFactor * (k[0]! ** 2 + k[1]! ** 2);
        });
        const mx = Math.max(...logits);
        const w = logits.map((l) => Math.exp(l - mx));
        const sum = w.reduce((a, b) => a + b, 0);
        for (let j = 0; j < 2; j++) {
          const v = w.reduce((acc, wi, i) => acc + (wi / sum) * train[2 * i + j]!, 0);
          expect(ref[2 * q + j]).toBeCloseTo(v, 12);
        }
      }
    }
  });
  it('returns the nearest training point at tiny noise and the mean at large noise', () => {
    const near = optimalDenoiserRef(train, 2, Float64Array.of(0.9, 0.1), 0.9999);
    expect(near[0]).toBeCloseTo(1, 6);
    expect(near[1]).toBeCloseTo(0, 6);
    const far = optimalDenoiserRef(train, 2, Float64Array.of(0, 0), 1e-9);
    expect(far[0]).toBeCloseTo(1 / 3, 6);
    expect(far[1]).toBeCloseTo(2 / 3, 6);
  });
});

describe('CPU sampling runs', () => {
  const s = linearSchedule();
  const train = dataset('two-moons').make(64, 3);
  const den = optimalCpuDenoiser(train, 2);
  it('DDIM with η = 0 is deterministic from x_T, whatever the seed', () => {
    const xT = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7) * 1.3);
    const a = sampleRef(s, den, { sampler: 'ddim', steps: 25, seed: 1, n: 20, dim: 2, xT });
    const b = sampleRef(s, den, { sampler: 'ddim', steps: 25, seed: 99, n: 20, dim: 2, xT });
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  it('ends on the training set (memorization): tiny median nearest-neighbour distance', () => {
    for (const sampler of ['ddim', 'ddpm'] as const) {
      const x = sampleRef(cosineSchedule(), den, { sampler, steps: sampler === 'ddim' ? 50 : 200, seed: 5, n: 64, dim: 2 });
      const d = medianNearestDistance(x, train, 2);
      expect(d).toBeLessThan(1e-3);
    }
  });
  it('the plan visits every step once, top down, ending at −1', () => {
    const plan = planSampling(s, 'ddpm', 1000, 'eps');
    expect(plan).toHaveLength(1000);
    expect(plan[0]!.t).toBe(999);
    expect(plan[999]!.tPrev).toBe(-1);
    expect(plan[999]!.coefficients.sigma).toBe(0);
    expect(() => planSampling(s, 'euler' as 'ddpm', 10, 'eps')).toThrow(InvalidArgumentError);
  });
  it('forward noising at mixed t follows the closed form', () => {
    const x0 = Float64Array.of(1, 2, 3, 4);
    const eps = Float64Array.of(0.5, -0.5, 1, -1);
    const out = forwardNoiseRef(s, x0, [0, 999], eps, 2);
    expect(out[0]).toBeCloseTo(s.sqrtAlphaBar[0]! * 1 + s.sqrtOneMinusAlphaBar[0]! * 0.5, 14);
    expect(out[3]).toBeCloseTo(s.sqrtAlphaBar[999]! * 4 - s.sqrtOneMinusAlphaBar[999]!, 14);
  });
});

describe('data sets', () => {
  it('are deterministic, finite and of the declared size', () => {
    for (const name of DATASET_NAMES) {
      const info = dataset(name);
      const a = info.make(40, 1);
      expect(a.length).toBe(40 * info.dim);
      expect(Array.from(a)).toEqual(Array.from(info.make(40, 1)));
      expect(Array.from(a)).not.toEqual(Array.from(info.make(40, 2)));
      expect(a.every((v) => Number.isFinite(v) && Math.abs(v) < 3)).toBe(true);
    }
  });
  it('glyphs are 16×16 in [−1, 1] with ink and background', () => {
    const g = dataset('glyphs').make(8, 0);
    expect(dataset('glyphs').dim).toBe(GLYPH_SIZE * GLYPH_SIZE);
    for (let i = 0; i < 8; i++) {
      const img = g.subarray(i * 256, (i + 1) * 256);
      const ink = img.filter((v) => v > 0).length;
      expect(ink).toBeGreaterThan(10);
      expect(ink).toBeLessThan(200);
      expect(img.every((v) => v >= -1 && v <= 1)).toBe(true);
    }
  });
  it('rejects an unknown name', () => {
    expect(() => dataset('mnist')).toThrow(/one of two-moons/);
    expect(() => dataset('__proto__')).toThrow(InvalidArgumentError);
  });
});
