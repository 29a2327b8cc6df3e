/** DDPM schedules against their closed forms, the sampler coefficients, and validation. */
import { describe, expect, it } from 'vitest';
import {
  cosineSchedule,
  linearSchedule,
  makeSchedule,
  respace,
  scheduleFromAlphaBars,
  scheduleFromBetas,
  timestepSubsequence,
} from '../../src/problem/ddpm-schedule';
import { ddimCoefficients, ddpmCoefficients } from '../../src/problem/ddpm-coefficients';
import { InvalidArgumentError } from '../../src/problem/errors';

const TS = [0, 1, 2, 10, 250, 499, 500, 998, 999];

describe('linear schedule', () => {
  const s = linearSchedule();
  it('has Ho et al.’s β ends and closed-form ᾱ', () => {
    expect(s.T).toBe(1000);
    expect(s.beta[0]).toBeCloseTo(1e-4, 15);
    expect(s.beta[999]).toBeCloseTo(0.02, 15);
    for (const t of TS) {
      const beta = 1e-4 + ((0.02 - 1e-4) * t) / 999;
      expect(s.beta[t]).toBeCloseTo(beta, 14);
      // ᾱ_t = Π_{s≤t} (1 − β_s), computed here as exp(Σ log(1 − β_s))
      let logSum = 0;
      for (let u = 0; u <= t; u++) logSum += Math.log1p(-(1e-4 + ((0.02 - 1e-4) * u) / 999));
      const abar = Math.exp(logSum);
      expect(Math.abs(s.alphaBar[t]! - abar) / abar).toBeLessThan(1e-12);
      expect(s.sqrtAlphaBar[t]).toBeCloseTo(Math.sqrt(abar), 12);
      expect(s.sqrtOneMinusAlphaBar[t]).toBeCloseTo(Math.sqrt(1 - abar), 12);
      expect(Math.abs(s.snr[t]! - abar / (1 - abar)) / s.snr[t]!).toBeLessThan(1e-9);
      const prev = t === 0 ? 1 : s.alphaBar[t - 1]!;
      expect(s.posteriorVariance[t]).toBeCloseTo(t === 0 ? 0 : ((1 - prev) / (1 - abar)) * beta, 14);
    }
    // ᾱ_T is tiny: x_T is almost pure noise (≈ 4.0e-5 for this schedule).
    expect(s.alphaBar[999]).toBeGreaterThan(3e-5);
    expect(s.alphaBar[999]).toBeLessThan(5e-5);
  });
  it('takes configurable ends and T', () => {
    const t = linearSchedule({ T: 10, betaStart: 0.1, betaEnd: 0.2 });
    expect(t.T).toBe(10);
    expect(t.beta[0]).toBeCloseTo(0.1, 15);
    expect(t.beta[9]).toBeCloseTo(0.2, 15);
    expect(linearSchedule({ T: 1 }).beta[0]).toBeCloseTo(1e-4, 15);
  });
});

describe('cosine schedule', () => {
  const s = cosineSchedule();
  const f = (t: number) => Math.cos(((t / 1000 + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  it('matches ᾱ_t = f(t+1)/f(0) wherever β is not clipped', () => {
    for (const t of TS.filter((t) => t < 999)) {
      const abar = f(t + 1) / f(0);
      expect(Math.abs(s.alphaBar[t]! - abar) / abar).toBeLessThan(1e-10);
      expect(s.beta[t]).toBeCloseTo(1 - f(t + 1) / f(t), 12);
      expect(s.snr[t]).toBeCloseTo(s.alphaBar[t]! / (1 - s.alphaBar[t]!), 6);
    }
  });
  it('clips β at 0.999 at the last step, so ᾱ stays positive', () => {
    expect(s.beta[999]).toBe(0.999);
    expect(s.alphaBar[999]).toBeGreaterThan(0);
    expect(s.alphaBar[999]).toBeCloseTo(s.alphaBar[998]! * 0.001, 15);
  });
  it('keeps more signal than linear in the middle (higher log-SNR at t = 500)', () => {
    expect(Math.log(s.snr[500]!)).toBeGreaterThan(Math.log(linearSchedule().snr[500]!));
  });
});

describe('schedule validation (typed errors)', () => {
  it('rejects T < 1 and non-integer T', () => {
    expect(() => linearSchedule({ T: 0 })).toThrow(InvalidArgumentError);
    expect(() => cosineSchedule({ T: -3 })).toThrow(/T must be an integer ≥ 1/);
    expect(() => linearSchedule({ T: 2.5 })).toThrow(InvalidArgumentError);
    expect(() => scheduleFromBetas([])).toThrow(InvalidArgumentError);
  });
  it('rejects β outside (0, 1)', () => {
    expect(() => linearSchedule({ betaEnd: 1 })).toThrow(/betaEnd must be a number in \(0, 1\)/);
    expect(() => linearSchedule({ betaStart: 0 })).toThrow(InvalidArgumentError);
    expect(() => scheduleFromBetas([0.1, -0.2])).toThrow(/beta\[1\]/);
    expect(() => scheduleFromBetas([0.1, NaN])).toThrow(InvalidArgumentError);
  });
  it('rejects a non-monotone ᾱ', () => {
    expect(() => scheduleFromAlphaBars([0.9, 0.95, 0.5])).toThrow(/alphaBar\[1\].*decrease monotonically/);
    expect(() => scheduleFromAlphaBars([0.9, 0.9])).toThrow(InvalidArgumentError);
    expect(() => scheduleFromAlphaBars([1, 0.5])).toThrow(InvalidArgumentError);
    expect(() => makeSchedule('quadratic' as 'linear')).toThrow(InvalidArgumentError);
  });
  it('round-trips β → ᾱ → β', () => {
    const s = linearSchedule({ T: 50 });
    const back = scheduleFromAlphaBars(s.alphaBar);
    for (let t = 0; t < 50; t++) expect(back.beta[t]).toBeCloseTo(s.beta[t]!, 12);
  });
});

describe('timestep sub-sequences and respacing', () => {
  it('spans 0 … T−1, strictly increasing', () => {
    const tau = timestepSubsequence(1000, 50);
    expect(tau).toHaveLength(50);
    expect(tau[0]).toBe(0);
    expect(tau[49]).toBe(999);
    for (let i = 1; i < tau.length; i++) expect(tau[i]!).toBeGreaterThan(tau[i - 1]!);
    expect(timestepSubsequence(1000, 1000)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(timestepSubsequence(1000, 1)).toEqual([999]);
    expect(() => timestepSubsequence(1000, 0)).toThrow(InvalidArgumentError);
    expect(() => timestepSubsequence(10, 11)).toThrow(InvalidArgumentError);
  });
  it('respaces keeping ᾱ at the chosen steps', () => {
    const s = cosineSchedule();
    const tau = timestepSubsequence(1000, 20);
    const r = respace(s, tau);
    tau.forEach((t, i) => expect(r.alphaBar[i]).toBeCloseTo(s.alphaBar[t]!, 14));
  });
});

describe('sampler coefficients', () => {
  const s = linearSchedule();
  it('DDPM: ε and x̂₀ forms agree, and t = 0 adds no noise', () => {
    for (const t of [0, 1, 500, 999]) {
      const e = ddpmCoefficients(s, t, 'beta', 'eps');
      const x = ddpmCoefficients(s, t, 'beta', 'x0');
      // x̂₀ = (x − b ε)/a: ca_eps x + cb_eps ε == ca_x0 x + cb_x0 (x − b ε)/a for all x, ε
      const a = s.sqrtAlphaBar[t]!;
      const b = s.sqrtOneMinusAlphaBar[t]!;
      expect(x.ca + x.cb / a).toBeCloseTo(e.ca, 9);
      expect((-x.cb * b) / a).toBeCloseTo(e.cb, 9);
      expect(e.sigma).toBe(x.sigma);
    }
    expect(ddpmCoefficients(s, 0, 'beta').sigma).toBe(0);
    expect(ddpmCoefficients(s, 0, 'posterior').sigma).toBe(0);
    expect(ddpmCoefficients(s, 10, 'beta').sigma).toBeCloseTo(Math.sqrt(s.beta[10]!), 15);
    expect(ddpmCoefficients(s, 10, 'posterior').sigma).toBeCloseTo(Math.sqrt(s.posteriorVariance[10]!), 15);
  });
  it('DDIM: η = 0 has no noise, η = 1 has the DDPM posterior σ, the last step returns x̂₀', () => {
    expect(ddimCoefficients(s, 500, 480, 0).sigma).toBe(0);
    expect(ddimCoefficients(s, 500, 499, 1).sigma).toBeCloseTo(Math.sqrt(s.posteriorVariance[500]!), 12);
    const last = ddimCoefficients(s, 20, -1, 0, 'x0');
    expect(last.ca).toBeCloseTo(0, 15);
    expect(last.cb).toBeCloseTo(1, 15);
    expect(() => ddimCoefficients(s, 10, 10)).toThrow(InvalidArgumentError);
    expect(() => ddimCoefficients(s, 10, 5, 2)).toThrow(/eta/);
    expect(() => ddpmCoefficients(s, 1000)).toThrow(InvalidArgumentError);
  });
});
