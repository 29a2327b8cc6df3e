/**
 * Optimizers and analytic surfaces on the CPU: gradients against central
 * differences, Adam's bias correction by hand, schedules, the noise hash, the
 * id tables and binding tables against the WGSL, and validation errors.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OPTIMIZER_IDS,
  SURFACE_IDS,
  SURFACE_KINDS,
  resolveOptimizer,
  resolveRace,
  resolveSurface,
  resolveGrid,
} from '../../src/problem/optim';
import { gradientNoise, hash32, surfaceGradient, surfaceValue } from '../../src/reference/surfaces';
import { initialState, optimizerStep, raceReference, scheduledLr } from '../../src/reference/optim';
import { parseWgslBindings } from '../../src/gpu/bindings';
import { InvalidArgumentError, ShapeError } from '../../src/problem/errors';
import { mulberry32 } from '../../src/reference/random';

const root = join(import.meta.dirname, '../..');
const wgsl = (p: string) => readFileSync(join(root, p), 'utf8');

describe('surface gradients against central differences', () => {
  const surfaces = [
    ...SURFACE_KINDS.filter((k) => k !== 'quadratic').map((kind) => ({ kind })),
    { kind: 'quadratic' as const, condition: 50, rotation: 30 },
    { kind: 'quadratic' as const, condition: 1, rotation: -110 },
  ];
  it.each(surfaces)('$kind (κ=$condition, θ=$rotation)', (spec) => {
    const s = resolveSurface('test', spec);
    const rng = mulberry32(7);
    const h = 1e-5;
    let worst = 0;
    for (let k = 0; k < 200; k++) {
      const x = -3 + 6 * rng();
      const y = -3 + 6 * rng();
      const [gx, gy] = surfaceGradient(s, x, y);
      const nx = (surfaceValue(s, x + h, y) - surfaceValue(s, x - h, y)) / (2 * h);
      const ny = (surfaceValue(s, x, y + h) - surfaceValue(s, x, y - h)) / (2 * h);
      // Central differences err by O(h²·f‴) plus O(ε·|f|/h) of cancellation: scale by the magnitudes.
      const scale = 1 + Math.abs(gx) + Math.abs(gy) + Math.abs(surfaceValue(s, x, y)) * 1e-6;
      worst = Math.max(worst, Math.abs(gx - nx) / scale, Math.abs(gy - ny) / scale);
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('knows the minima: Rosenbrock (1, 1), Himmelblau (3, 2), Beale (3, 0.5)', () => {
    const at = (kind: (typeof SURFACE_KINDS)[number], x: number, y: number) => {
      const s = resolveSurface('t', { kind });
      return [surfaceValue(s, x, y), ...surfaceGradient(s, x, y)].map(Math.abs);
    };
    expect(at('rosenbrock', 1, 1)).toEqual([0, 0, 0]);
    expect(at('himmelblau', 3, 2)).toEqual([0, 0, 0]);
    expect(at('beale', 3, 0.5)).toEqual([0, 0, 0]);
    expect(at('saddle', 0, 0)).toEqual([0, 0, 0]);
  });
});

describe('gradient noise', () => {
  it('is deterministic, depends on every counter, and is ≈ N(0, 1)', () => {
    expect(gradientNoise(1, 2, 3, 0)).toBe(gradientNoise(1, 2, 3, 0));
    const base = gradientNoise(1, 2, 3, 0);
    expect(
      new Set([gradientNoise(2, 2, 3, 0), gradientNoise(1, 3, 3, 0), gradientNoise(1, 2, 4, 0), gradientNoise(1, 2, 3, 1)]).has(base),
    ).toBe(false);
    let sum = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = gradientNoise(42, i % 7, i, i & 1);
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
  it('hash32 is lowbias32', () => {
    expect(hash32(0)).toBe(0);
    expect(hash32(1)).toBe(hash32(1));
    expect(hash32(1)).not.toBe(hash32(2));
    expect(hash32(0xffffffff)).toBeLessThanOrEqual(0xffffffff);
  });
});

describe('update rules', () => {
  const step = (kind: Parameters<typeof resolveOptimizer>[1]['kind'], extra: object, grads: number[], x0 = 1) => {
    const o = resolveOptimizer('t', { kind, ...extra });
    const s = initialState(1);
    const x = new Float64Array([x0]);
    const xs: number[] = [];
    for (const g of grads) {
      optimizerStep(o, s, x, new Float64Array([g]));
      xs.push(x[0]!);
    }
    return { xs, s, o };
  };

  it('Adam with bias correction, by hand for the first two steps', () => {
    // β₁ = 0.9, β₂ = 0.999 (as f32), lr = 0.1, ε = 1e-8; gradients 2 then −1.
    const b1 = Math.fround(0.9),
      b2 = Math.fround(0.999),
      lr = Math.fround(0.1),
      eps = Math.fround(1e-8);
    const { xs } = step('adam', { lr: 0.1 }, [2, -1]);
    // t = 1: m = (1−β₁)·2, v = (1−β₂)·4; m̂ = 2, v̂ = 4: the step is lr·2/(2+ε) ≈ lr.
    const m1 = (1 - b1) * 2,
      v1 = (1 - b2) * 4;
    const x1 = 1 - (lr * (m1 / (1 - b1))) / (Math.sqrt(v1 / (1 - b2)) + eps);
    expect(xs[0]).toBeCloseTo(x1, 14);
    expect(1 - xs[0]!).toBeCloseTo(0.1, 6);
    // t = 2: m = β₁m₁ + (1−β₁)(−1), v = β₂v₁ + (1−β₂)·1, divided by 1 − β².
    const m2 = b1 * m1 + (1 - b1) * -1,
      v2 = b2 * v1 + (1 - b2) * 1;
    const x2 = x1 - (lr * (m2 / (1 - b1 * b1))) / (Math.sqrt(v2 / (1 - b2 * b2)) + eps);
    expect(xs[1]).toBeCloseTo(x2, 14);
  });

  it('Adam without bias correction takes a first step (1−β₁)/√(1−β₂) ≈ 3.16× larger', () => {
    const on = step('adam', { lr: 0.1 }, [2]);
    const off = step('adam', { lr: 0.1, biasCorrection: false }, [2]);
    const ratio = (1 - off.xs[0]!) / (1 - on.xs[0]!);
    expect(ratio).toBeCloseTo((1 - Math.fround(0.9)) / Math.sqrt(1 - Math.fround(0.999)), 5);
    expect(ratio).toBeGreaterThan(3.1);
  });

  it('SGD, momentum, Nesterov, AdaGrad, RMSProp by hand', () => {
    const lr = Math.fround(0.1),
      mu = Math.fround(0.9);
    expect(step('sgd', { lr: 0.1 }, [2]).xs[0]).toBeCloseTo(1 - lr * 2, 14);
    // momentum: m₁ = 2, m₂ = 0.9·2 + 1 = 2.8
    expect(step('momentum', { lr: 0.1 }, [2, 1]).xs[1]).toBeCloseTo(1 - lr * 2 - lr * (mu * 2 + 1), 14);
    // Nesterov: x₁ = x₀ − lr(g + μm₁) with m₁ = g
    expect(step('nesterov', { lr: 0.1 }, [2]).xs[0]).toBeCloseTo(1 - lr * (2 + mu * 2), 14);
    // AdaGrad: first step is lr·g/|g| = lr; second lr·g₂/√(g₁² + g₂²)
    const ag = step('adagrad', { lr: 0.1 }, [2, 1]).xs;
    expect(ag[0]).toBeCloseTo(1 - lr, 8);
    expect(ag[1]).toBeCloseTo(1 - lr - lr / Math.sqrt(5), 8);
    const b2 = Math.fround(0.99);
    expect(step('rmsprop', { lr: 0.1 }, [2]).xs[0]).toBeCloseTo(1 - (lr * 2) / (Math.sqrt((1 - b2) * 4) + Math.fround(1e-8)), 12);
  });

  it('AdamW decays the weight outside the adaptive denominator; Adam folds L2 into the gradient', () => {
    const w = step('adamw', { lr: 0.1, weightDecay: 0.5 }, [0], 2);
    // zero gradient: Adam moments are 0 → the only change is x·(1 − lr·wd)
    expect(w.xs[0]).toBeCloseTo(2 - Math.fround(0.1) * Math.fround(0.5) * 2, 7);
    const a = step('adam', { lr: 0.1, weightDecay: 0.5 }, [0], 2);
    // L2: g = wd·x = 1, so Adam takes a full normalised step of ≈ lr
    expect(2 - a.xs[0]!).toBeCloseTo(0.1, 5);
  });

  it("AMSGrad's second moment never decreases, so its step cannot grow the way Adam's does", () => {
    // Large gradients, then small ones: Adam's v forgets the large ones, its step grows back to ≈ lr.
    const grads = [10, 10, 10, ...Array(200).fill(0.1)];
    const adam = step('adam', { lr: 0.01, beta2: 0.95 }, grads);
    const ams = step('amsgrad', { lr: 0.01, beta2: 0.95 }, grads);
    const lastStep = (xs: number[]) => Math.abs(xs.at(-1)! - xs.at(-2)!);
    expect(lastStep(adam.xs)).toBeGreaterThan(5 * lastStep(ams.xs));
    expect(ams.s.vmax[0]).toBeGreaterThanOrEqual(ams.s.v[0]!);
  });
});

describe('learning-rate schedules', () => {
  it('constant, step, cosine and warmup', () => {
    const lr = (schedule: object, t: number) => scheduledLr(resolveOptimizer('t', { kind: 'sgd', lr: 1, schedule } as never), t);
    expect(lr({ kind: 'constant' }, 7)).toBe(1);
    expect([1, 10, 11, 21].map((t) => lr({ kind: 'step', every: 10, gamma: 0.5 }, t))).toEqual([1, 1, 0.5, 0.25]);
    expect(lr({ kind: 'cosine', total: 100 }, 1)).toBeCloseTo(1, 12);
    expect(lr({ kind: 'cosine', total: 100 }, 51)).toBeCloseTo(0.5, 6);
    expect(lr({ kind: 'cosine', total: 100, minLr: 0.1 }, 500)).toBeCloseTo(Math.fround(0.1), 7);
    expect([1, 5, 10, 50].map((t) => lr({ kind: 'warmup', warmup: 10 }, t))).toEqual([0.1, 0.5, 1, 1]);
  });
});

describe('the race reference', () => {
  it('records (x, y, loss) for every optimizer × start × step, and f32 stays near f64', () => {
    const input = {
      surface: { kind: 'rosenbrock' as const },
      optimizers: [
        { kind: 'adam' as const, lr: 0.02 },
        { kind: 'momentum' as const, lr: 1e-3 },
      ],
      starts: [
        [-1.5, 2],
        [0.5, -0.5],
      ] as [number, number][],
      steps: 50,
    };
    const a = raceReference(input);
    const b = raceReference(input, 'f32');
    expect(a.shape).toEqual([2, 2, 51, 3]);
    expect(a.data[0]).toBe(Math.fround(-1.5));
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!) / (1 + Math.abs(a.data[i]!)));
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('tables against the WGSL', () => {
  const consts = (code: string, prefix: string) =>
    Object.fromEntries(
      [...code.matchAll(new RegExp(`const ${prefix}_([A-Z0-9_]+)\\s*:\\s*u32\\s*=\\s*(\\d+)u;`, 'g'))].map((m) => [
        m[1]!.toLowerCase(),
        Number(m[2]),
      ]),
    );
  it('optimizer and surface ids match', () => {
    const race = wgsl('shaders/optim/race.wgsl');
    expect(consts(race, 'OPT')).toEqual(OPTIMIZER_IDS);
    expect(consts(wgsl('shaders/optim/surfaces.wgsl'), 'SURF')).toEqual(SURFACE_IDS);
  });
  it('binding tables match the shaders', async () => {
    // The launcher module reads GPUBufferUsage at load (through Tensor); Node has none.
    (globalThis as Record<string, unknown>).GPUBufferUsage ??= { STORAGE: 128, COPY_SRC: 4, COPY_DST: 8, MAP_READ: 1, UNIFORM: 64 };
    const { RACE_KERNEL, SURFACE_GRID_KERNEL } = await import('../../src/kernels/optim');
    for (const spec of [RACE_KERNEL, SURFACE_GRID_KERNEL]) {
      expect(parseWgslBindings(spec.code).map((b) => ({ name: b.name, kind: b.kind }))).toEqual(spec.bindings);
    }
  });
});

describe('validation (typed errors)', () => {
  const ok = {
    surface: { kind: 'saddle' as const },
    optimizers: [{ kind: 'sgd' as const }],
    starts: [[0, 1]] as [number, number][],
    steps: 3,
  };
  it('rejects unknown surfaces and optimizers, bad numbers and bad starts', () => {
    expect(() => resolveRace('race', { ...ok, surface: { kind: 'nope' as never } })).toThrow(InvalidArgumentError);
    expect(() => resolveRace('race', { ...ok, optimizers: [{ kind: 'lion' as never }] })).toThrow(/optimizers\[0\]\.kind/);
    expect(() => resolveRace('race', { ...ok, optimizers: [{ kind: 'adam', beta1: 1 }] })).toThrow(/beta1/);
    expect(() => resolveRace('race', { ...ok, optimizers: [{ kind: 'adam', lr: NaN }] })).toThrow(/lr/);
    expect(() => resolveRace('race', { ...ok, steps: 2.5 })).toThrow(/steps/);
    expect(() => resolveRace('race', { ...ok, starts: [0, 1, 2] })).toThrow(ShapeError);
    expect(() => resolveRace('race', { ...ok, starts: [[0, 1, 2]] as never })).toThrow(ShapeError);
    expect(() => resolveRace('race', { ...ok, surface: { kind: 'quadratic', condition: 0.5 } })).toThrow(/condition/);
    expect(() => resolveGrid('grid', { surface: { kind: 'beale' }, resolution: 1, domain: [0, 1, 0, 1] })).toThrow(/resolution/);
    expect(() => resolveGrid('grid', { surface: { kind: 'beale' }, resolution: 8, domain: [1, 0, 0, 1] })).toThrow(/domain/);
  });
});
