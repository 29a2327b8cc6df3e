/**
 * The optimizer race and the surface grid on the GPU against their CPU
 * references, under the tolerance rule of docs/TESTING.md (a float64 oracle and an
 * f32 baseline, both run in the page). Also: validation before GPU work, and
 * one throughput measurement (printed, never asserted).
 *
 * atol for trajectories: 1e-5. Positions are O(1) on every surface here, and
 * the adaptive rules divide by √v: near a minimum both g and √v are tiny, so
 * a 1-ulp difference in g (FMA contraction, a different sqrt or pow) becomes a
 * relative change of the step, which then carries through later steps. The
 * f32 baseline has the same sensitivity, so its error already scales the bound;
 * 1e-5 absorbs what remains (about 1/2000 of a pixel on a 4-unit wide, 512-px plot).
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

/** The whole comparison runs in the page: GPU race, f64 oracle, f32 baseline, tolerance rule. */
async function compareRace(input: unknown, atol: number) {
  return harness().page.evaluate(
    async (input: any, atol: number) => {
      const { race } = await window.ksImport('/src/kernels/optim.ts');
      const { raceReference } = await window.ksImport('/src/reference/optim.ts');
      const { checkTolerance } = window.ks;
      const out = await race(window.gpu, input);
      const gpu: Float32Array = await out.read();
      const shape = [...out.shape];
      out.destroy();
      const oracle = raceReference(input, 'f64').data;
      const base = raceReference(input, 'f32').data;
      // Split positions and losses: they live on different scales.
      const pick = (a: ArrayLike<number>, k: (i: number) => boolean) => Array.from(a).filter((_, i) => k(i % 3));
      const isPos = (c: number) => c < 2;
      const isLoss = (c: number) => c === 2;
      const pos = checkTolerance(pick(gpu, isPos), pick(oracle, isPos), pick(base, isPos), atol);
      const loss = checkTolerance(pick(gpu, isLoss), pick(oracle, isLoss), pick(base, isLoss), atol);
      const finite = Array.from(gpu).every(Number.isFinite);
      const points = shape[2] as number;
      // Name the worst trajectory: index → (optimizer, start, step).
      const where = (w: number) => {
        const traj = Math.floor(w / 2 / points);
        return { optimizer: Math.floor(traj / shape[1]!), start: traj % shape[1]!, step: Math.floor(w / 2) % points };
      };
      return { shape, pos, loss, finite, worst: where(pos.worstIndex) };
    },
    input as never,
    atol,
  );
}

const ALL_RULES = [
  { kind: 'sgd' },
  { kind: 'momentum' },
  { kind: 'nesterov' },
  { kind: 'adagrad' },
  { kind: 'rmsprop' },
  { kind: 'adam' },
  { kind: 'adam', biasCorrection: false },
  { kind: 'adamw', weightDecay: 0.1 },
  { kind: 'amsgrad' },
  { kind: 'sgd', weightDecay: 0.05, schedule: { kind: 'step', every: 25, gamma: 0.5 } },
  { kind: 'momentum', schedule: { kind: 'cosine', total: 100, minLr: 0.001 } },
  { kind: 'adam', schedule: { kind: 'warmup', warmup: 20 } },
];

/** Per surface, learning rates that keep every rule finite over 100 steps. */
const CASES = [
  {
    surface: { kind: 'quadratic', condition: 20, rotation: 30 },
    lrs: { sgd: 0.04, momentum: 0.02, nesterov: 0.02, adagrad: 0.3, rmsprop: 0.02, adam: 0.05, adamw: 0.05, amsgrad: 0.05 },
    starts: [
      [-1.8, 1.2],
      [1.5, 1.5],
      [0.3, -1.9],
    ],
  },
  {
    surface: { kind: 'rosenbrock' },
    lrs: { sgd: 1e-3, momentum: 2e-4, nesterov: 2e-4, adagrad: 0.2, rmsprop: 5e-3, adam: 0.05, adamw: 0.05, amsgrad: 0.05 },
    starts: [
      [-1.5, 2.5],
      [0.5, -0.5],
      [-0.5, 0.5],
    ],
  },
  {
    surface: { kind: 'beale' },
    lrs: { sgd: 1e-4, momentum: 1e-5, nesterov: 1e-5, adagrad: 0.3, rmsprop: 0.01, adam: 0.05, adamw: 0.05, amsgrad: 0.05 },
    starts: [
      [1, 1.5],
      [-1, -1],
      [2, -0.5],
    ],
  },
  {
    surface: { kind: 'himmelblau' },
    lrs: { sgd: 0.005, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.5, rmsprop: 0.02, adam: 0.1, adamw: 0.1, amsgrad: 0.1 },
    starts: [
      [0, 0],
      [-1, 3],
      [1, -4],
    ],
  },
  {
    surface: { kind: 'saddle', noise: 0.3, seed: 11 },
    lrs: { sgd: 0.02, momentum: 0.005, nesterov: 0.005, adagrad: 0.05, rmsprop: 0.005, adam: 0.01, adamw: 0.01, amsgrad: 0.01 },
    starts: [
      [-1.5, 0],
      [1, 1e-3],
      [0.2, -0.1],
    ],
  },
  {
    surface: { kind: 'monkey' },
    lrs: { sgd: 1e-3, momentum: 1e-4, nesterov: 1e-4, adagrad: 0.02, rmsprop: 1e-3, adam: 0.005, adamw: 0.005, amsgrad: 0.005 },
    starts: [
      [-0.5, 0.3],
      [0.8, 0.8],
      [0.5, -0.2],
    ],
  },
];

describe('race: every update rule, GPU vs CPU reference, 100 steps', () => {
  it.each(CASES)('$surface.kind', async (c) => {
    const optimizers = ALL_RULES.map((o) => ({ ...o, lr: (c.lrs as Record<string, number>)[o.kind] }));
    const r = await compareRace({ surface: c.surface, optimizers, starts: c.starts, steps: 100 }, 1e-5);
    expect(r.shape).toEqual([ALL_RULES.length, 3, 101, 3]);
    expect(r.finite).toBe(true);
    console.log(
      `race ${c.surface.kind}: positions err ${r.pos.err.toExponential(2)} bound ${r.pos.bound.toExponential(2)} (ratio ${r.pos.ratio.toFixed(3)}, worst at ${JSON.stringify(r.worst)}); losses ratio ${r.loss.ratio.toFixed(3)}`,
    );
    expect(r.pos.ok, JSON.stringify(r.pos)).toBe(true);
    expect(r.loss.ok, JSON.stringify(r.loss)).toBe(true);
  });

  it('Adam bias correction on the GPU: first steps by hand (x ← x − lr·sign(g) at t = 1)', async () => {
    const r = await harness().page.evaluate(async () => {
      const { race } = await window.ksImport('/src/kernels/optim.ts');
      const input = {
        surface: { kind: 'saddle' },
        optimizers: [
          { kind: 'adam', lr: 0.1 },
          { kind: 'adam', lr: 0.1, biasCorrection: false },
        ],
        starts: [[1, 0.5]],
        steps: 2,
      };
      const t = await race(window.gpu, input);
      const p = Array.from(await t.read()) as number[];
      t.destroy();
      return p;
    });
    const f = Math.fround;
    const [b1, b2, lr, eps] = [f(0.9), f(0.999), f(0.1), f(1e-8)];
    // saddle: g = (2x, −2y) at (1, 0.5) is (2, −1). With correction m̂ = g, v̂ = g², step = lr·g/(|g| + ε).
    expect(r[3]).toBeCloseTo(1 - lr * (2 / (2 + eps)), 6);
    expect(r[4]).toBeCloseTo(0.5 + lr * (1 / (1 + eps)), 6);
    // Step 2 by hand, x only: g₂ = 2·x₁.
    const x1 = r[3]!;
    const m1 = (1 - b1) * 2,
      v1 = (1 - b2) * 4;
    const g2 = 2 * x1;
    const m2 = b1 * m1 + (1 - b1) * g2,
      v2 = b2 * v1 + (1 - b2) * g2 * g2;
    expect(r[6]).toBeCloseTo(x1 - (lr * (m2 / (1 - b1 * b1))) / (Math.sqrt(v2 / (1 - b2 * b2)) + eps), 5);
    // Without correction the first step is (1 − β₁)/√(1 − β₂) ≈ 3.16 times as long.
    const off = r.slice(9);
    expect((1 - off[3]!) / (1 - r[3]!)).toBeCloseTo((1 - b1) / Math.sqrt(1 - b2), 3);
  });

  it('steps = 0 gives the starts and their losses; no optimizers gives an empty path', async () => {
    const r = await harness().page.evaluate(async () => {
      const { race } = await window.ksImport('/src/kernels/optim.ts');
      const a = await race(window.gpu, { surface: { kind: 'rosenbrock' }, optimizers: [{ kind: 'sgd' }], starts: [[0, 0]], steps: 0 });
      const b = await race(window.gpu, { surface: { kind: 'rosenbrock' }, optimizers: [], starts: [[0, 0]], steps: 5 });
      const out = { a: Array.from(await a.read()), shapeB: [...b.shape], sizeB: b.size };
      a.destroy();
      b.destroy();
      return out;
    });
    expect(r.a).toEqual([0, 0, 1]);
    expect(r.shapeB).toEqual([0, 1, 6, 3]);
  });

  it('rejects bad input with typed errors before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const { race, surfaceGrid } = await window.ksImport('/src/kernels/optim.ts');
      const gpu = window.gpu;
      const created = gpu.memory.created;
      const tries: [string, () => Promise<unknown>][] = [
        ['surface', () => race(gpu, { surface: { kind: 'ackley' }, optimizers: [{ kind: 'sgd' }], starts: [[0, 0]], steps: 1 })],
        ['optimizer', () => race(gpu, { surface: { kind: 'saddle' }, optimizers: [{ kind: 'lion' }], starts: [[0, 0]], steps: 1 })],
        ['starts', () => race(gpu, { surface: { kind: 'saddle' }, optimizers: [{ kind: 'sgd' }], starts: [0, 0, 1], steps: 1 })],
        [
          'limit',
          () =>
            race(gpu, {
              surface: { kind: 'saddle' },
              optimizers: [{ kind: 'sgd' }],
              starts: new Float32Array(2 * 100_000),
              steps: 100_000,
            }),
        ],
        ['grid', () => surfaceGrid(gpu, { surface: { kind: 'saddle' }, resolution: 1e6, domain: [0, 1, 0, 1] })],
      ];
      const names: string[] = [];
      for (const [, t] of tries) {
        try {
          await t();
          names.push('no error');
        } catch (e) {
          names.push((e as Error).name);
        }
      }
      return { names, created: gpu.memory.created - created };
    });
    expect(r.names).toEqual(['InvalidArgumentError', 'InvalidArgumentError', 'ShapeError', 'LimitExceededError', 'InvalidArgumentError']);
    expect(r.created).toBe(0);
  });
});

describe('surfaceGrid: GPU vs CPU reference', () => {
  it.each([
    { surface: { kind: 'beale' }, resolution: 97, domain: [-4.5, 4.5, -4.5, 4.5] },
    { surface: { kind: 'quadratic', condition: 100, rotation: 45 }, resolution: 129, domain: [-2, 2, -2, 2] },
    { surface: { kind: 'rosenbrock' }, resolution: 512, domain: [-2, 2, -1, 3] },
    { surface: { kind: 'himmelblau' }, resolution: 2, domain: [-5, 5, -5, 5] },
    { surface: { kind: 'monkey' }, resolution: 239, domain: [-2, 2, -2, 2] },
    { surface: { kind: 'saddle' }, resolution: 64, domain: [-1, 3, -2, 0.5] },
  ])('$surface.kind R=$resolution', async (input) => {
    const r = await harness().page.evaluate(async (input: any) => {
      const { surfaceGrid } = await window.ksImport('/src/kernels/optim.ts');
      const { surfaceGridReference } = await window.ksImport('/src/reference/optim.ts');
      const t = await surfaceGrid(window.gpu, input);
      const gpu = await t.read();
      const shape = [...t.shape];
      t.destroy();
      const v = window.ks.checkTolerance(gpu, surfaceGridReference(input, 'f64').data, surfaceGridReference(input, 'f32').data, 1e-6);
      return { shape, ok: v.ok, ratio: v.ratio, err: v.err, bound: v.bound };
    }, input as never);
    expect(r.shape).toEqual([input.resolution, input.resolution]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

describe('race throughput (measured, not asserted)', () => {
  it('trajectory-steps per second: GPU race vs CPU reference, same page', async () => {
    const r = await harness().page.evaluate(async () => {
      const { race } = await window.ksImport('/src/kernels/optim.ts');
      const { raceReference } = await window.ksImport('/src/reference/optim.ts');
      const kinds = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'amsgrad'];
      const make = (nStarts: number) => {
        const starts: number[] = [];
        for (let i = 0; i < nStarts; i++)
          starts.push(-1.5 + (3 * ((i * 37) % nStarts)) / nStarts, -0.5 + (3 * ((i * 101) % nStarts)) / nStarts);
        return { surface: { kind: 'rosenbrock' }, optimizers: kinds.map((kind) => ({ kind, lr: 1e-4 })), starts, steps: 200 };
      };
      const warm = await race(window.gpu, { ...make(8), steps: 2 });
      warm.destroy();
      const rows: { traj: number; inner: number; gpuMs: number; cpuMs: number; same: boolean }[] = [];
      for (const nStarts of [512]) {
        const input = make(nStarts);
        const t1 = performance.now();
        const ref = raceReference(input, 'f64');
        const cpuMs = performance.now() - t1;
        for (const inner of [1, 200]) {
          const t0 = performance.now();
          const out = await race(window.gpu, input, { stepsPerDispatch: inner });
          const data = await out.read();
          const gpuMs = performance.now() - t0;
          out.destroy();
          rows.push({
            traj: kinds.length * nStarts,
            inner,
            gpuMs,
            cpuMs,
            same: Number.isFinite(data[data.length - 1]!) && ref.data.length === data.length,
          });
        }
      }
      return { rows, adapter: window.gpu.info.description || window.gpu.info.vendor };
    });
    for (const row of r.rows) {
      const n = row.traj * 200;
      console.log(
        `race throughput on ${r.adapter}: ${row.traj} trajectories × 200 steps, ${row.inner === 1 ? 'one dispatch per step' : '200 steps per dispatch'}: GPU ${(n / row.gpuMs / 1e3).toFixed(2)} M traj-steps/s (${row.gpuMs.toFixed(0)} ms incl. readback) vs CPU reference ${(n / row.cpuMs / 1e3).toFixed(2)} M/s (${row.cpuMs.toFixed(0)} ms)`,
      );
      expect(row.same).toBe(true);
    }
  });

  it('steps per dispatch does not change the result', async () => {
    const same = await harness().page.evaluate(async () => {
      const { race } = await window.ksImport('/src/kernels/optim.ts');
      const input = {
        surface: { kind: 'beale', noise: 0.2, seed: 4 },
        optimizers: [
          { kind: 'adam', lr: 0.05 },
          { kind: 'nesterov', lr: 1e-5 },
        ],
        starts: [
          [1, 1.5],
          [-1, -1],
        ],
        steps: 37,
      };
      const a = await race(window.gpu, input);
      const b = await race(window.gpu, input, { stepsPerDispatch: 10 });
      const [x, y] = [await a.read(), await b.read()];
      a.destroy();
      b.destroy();
      return x.every((v: number, i: number) => Object.is(v, y[i]));
    });
    expect(same).toBe(true);
  });
});

describe('device loss', () => {
  it('a race in flight fails with DeviceLostError, and the next race recovers', async () => {
    const r = await harness().page.evaluate(async () => {
      const { race } = await window.ksImport('/src/kernels/optim.ts');
      const gpu = window.gpu;
      const input = { surface: { kind: 'rosenbrock' }, optimizers: [{ kind: 'adam', lr: 0.01 }], starts: [[0, 0]], steps: 50 };
      const pending = race(gpu, input);
      gpu.destroy();
      let first = 'no error';
      try {
        const t = await pending;
        await t.read();
        t.destroy();
      } catch (e) {
        first = (e as Error).name;
      }
      await new Promise((r) => setTimeout(r, 50));
      const t = await race(gpu, input);
      const back = await t.read();
      t.destroy();
      return { first, n: back.length, finite: Array.from(back).every(Number.isFinite), generation: gpu.generation };
    });
    expect(r.first).toBe('DeviceLostError');
    expect(r.n).toBe(51 * 3);
    expect(r.finite).toBe(true);
    expect(r.generation).toBeGreaterThan(0);
  });
});
