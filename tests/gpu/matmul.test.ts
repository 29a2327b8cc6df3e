/**
 * The matmul ladder on the GPU, every variant against the float64 CPU oracle with
 * the project's tolerance rule (2× the f32 baseline's error + 1e-6) AND the
 * elementwise bound |C − C*| ≤ 2·K·u·|α|(|A||B|): edge shapes around each
 * variant's tile, primes, transposes, batches and broadcasting, zero-size
 * dimensions, 100+ seeded random shapes per variant, dispatch folding, bad input
 * (typed errors, no GPU work), determinism and device loss.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import { MATMUL_CANDIDATES } from '../../src/kernels/tuned';
import type { MatmulCase, MatmulCaseResult } from './matmul-page';

const harness = useHarness();
const VARIANTS = ['naive', 'tiled', 'register', 'direct', 'subgroup'] as const;
/** The output block one workgroup covers along M/N, per variant (the T of the edge shapes). */
const TILE = { naive: 16, tiled: 16, register: 64, direct: 64, subgroup: 16 } as const;

/** The worst tolerance ratio seen per variant, logged at the end (docs/TESTING.md: report it). */
const worst = new Map<string, MatmulCaseResult & { boundLabel: string }>();
let checkedCases = 0;
afterAll(() => {
  for (const [variant, w] of worst) {
    console.log(
      `matmul ${variant}: worst tolerance ratio ${w.ratio.toFixed(4)} at ${w.label}; worst bound ratio ${w.boundRatio.toFixed(4)} at ${w.boundLabel}`,
    );
  }
  console.log(`matmul: ${checkedCases} cases checked against the float64 oracle`);
});

/** Runs `cases` on `variant` in the page, in one evaluate; fails listing every bad case. */
async function check(variant: string, cases: MatmulCase[]): Promise<MatmulCaseResult[]> {
  const results = await harness().page.evaluate(
    async (v, cs) => {
      const h = await window.ksImport('/tests/gpu/matmul-page.ts');
      if (v === 'subgroup' && !window.gpu.features.subgroups) return null;
      return (await h.runCases(window.gpu, v, cs)) as MatmulCaseResult[];
    },
    variant,
    cases,
  );
  if (results === null) {
    console.log(`matmul: skipping ${variant} cases: this adapter has no 'subgroups' feature`);
    return [];
  }
  checkedCases += results.length;
  for (const r of results) {
    const w = worst.get(variant);
    const bound =
      !w || r.boundRatio > w.boundRatio
        ? { boundRatio: r.boundRatio, boundLabel: r.label }
        : { boundRatio: w.boundRatio, boundLabel: w.boundLabel };
    worst.set(variant, !w || r.ratio > w.ratio ? { ...r, ...bound } : { ...w, ...bound });
  }
  const bad = results.filter((r) => !r.ok);
  expect(
    bad.map(
      (r) =>
        `${r.label}: ratio ${r.ratio.toFixed(3)}, bound ratio ${r.boundRatio.toFixed(3)}, err ${r.err}, f32 err ${r.baselineErr} ${r.problem}`,
    ),
  ).toEqual([]);
  return results;
}

function edgeCases(T: number, seed: number): MatmulCase[] {
  const dims: [number, number, number][] = [
    [T, T, T],
    [T - 1, T + 1, T],
    [T + 1, T - 1, T + 1],
    [1, 1, 1],
    [1, T, 2 * T + 1],
    [2 * T + 1, 1, T],
    [T, 2 * T + 1, 1],
    [97, 127, 129],
    [129, 97, 127],
    [127, 129, 97],
    [1, 129, 127],
    [129, 1, 97],
    [2, 3, 130],
  ];
  return dims.map(([M, N, K], i) => ({ a: [M, K], b: [K, N], seed: seed + i }));
}

function layoutCases(seed: number): MatmulCase[] {
  const [M, N, K] = [33, 47, 29];
  const cases: MatmulCase[] = [];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      cases.push({
        a: transposeA ? [K, M] : [M, K],
        b: transposeB ? [N, K] : [K, N],
        opts: { transposeA, transposeB, alpha: -0.75 },
        seed: seed++,
      });
    }
  }
  cases.push(
    { a: [3, 33, 20], b: [3, 20, 17], seed: seed++ }, // batch
    { a: [3, 40, 24], b: [3, 24, 64], seed: seed++ }, // batch, B rows on vec4 boundaries (direct's B_VEC4 path)
    { a: [33, 20], b: [3, 20, 17], seed: seed++ }, // rank-2 A broadcast
    { a: [3, 33, 20], b: [20, 17], seed: seed++ }, // rank-2 B broadcast
    { a: [1, 33, 20], b: [3, 20, 17], seed: seed++ }, // batch-1 broadcast
    { a: [3, 20, 33], b: [17, 20], opts: { transposeA: true, transposeB: true }, seed: seed++ },
    { a: [4, 37, 16], b: [4, 37, 16], opts: { transposeB: true, alpha: 0.25 }, seed: seed++ }, // Q·Kᵀ per head
    { a: [33, 257], b: [257, 65], seed: seed++ }, // long K (register stages 32-deep slabs)
    { a: [2, 300, 67], b: [19, 300], opts: { transposeA: true, transposeB: true }, seed },
  );
  return cases;
}

/** `count` seeded random cases: dims 1..70, batch 1..3 or none, random transposes and alpha. */
function randomCases(seed: number, count: number): MatmulCase[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const cases: MatmulCase[] = [];
  for (let i = 0; i < count; i++) {
    const [M, N, K] = [int(1, 70), int(1, 70), int(1, 70)];
    const batch = int(0, 3);
    const transposeA = next() < 0.3;
    const transposeB = next() < 0.3;
    const broadcast = batch > 0 ? int(0, 2) : 0; // 0: both batched, 1: A rank 2, 2: B rank 2
    const a = transposeA ? [K, M] : [M, K];
    const b = transposeB ? [N, K] : [K, N];
    cases.push({
      a: batch > 0 && broadcast !== 1 ? [batch, ...a] : a,
      b: batch > 0 && broadcast !== 2 ? [batch, ...b] : b,
      opts: { transposeA, transposeB, ...(next() < 0.3 ? { alpha: Math.round((next() * 4 - 2) * 8) / 8 || 1 } : {}) },
      seed: seed * 1000 + i,
    });
  }
  return cases;
}

// Every configuration the tuner may choose passes the oracle cases and the random shapes.
describe.each(MATMUL_CANDIDATES.map((c) => [JSON.stringify(c), c] as const))('matmul tuned config %s', (label, config) => {
  it('matches the oracle on edge, layout and random shapes when auto runs it', async () => {
    const cases = [...edgeCases(64, 100), ...layoutCases(200), ...randomCases(0x7e5 + label.length, 40)];
    const results = await harness().page.evaluate(
      async (config, cs) => {
        const h = await window.ksImport('/tests/gpu/matmul-page.ts');
        const restore = h.installTunedMatmul(window.gpu, config);
        try {
          return (await h.runCases(window.gpu, 'auto', cs)) as MatmulCaseResult[];
        } finally {
          restore();
        }
      },
      config,
      cases,
    );
    expect(results.filter((r) => !r.ok).map((r) => `${r.label}: ratio ${r.ratio.toFixed(3)}`)).toEqual([]);
    expect(results.length).toBe(cases.length);
  });
});

describe.each(VARIANTS)('matmul %s', (variant) => {
  it('matches the oracle on edge shapes (tile T, T±1, 1, 2T+1, primes)', async () => {
    await check(variant, edgeCases(TILE[variant], 100));
  });

  it('matches the oracle with transposes, alpha, batches and broadcasting', async () => {
    await check(variant, layoutCases(200));
  });

  it('matches the oracle on 120 seeded random shapes', async () => {
    const seed = 0x5eed + VARIANTS.indexOf(variant);
    const results = await check(variant, randomCases(seed, 120));
    if (results.length) expect(results.length, `random seed ${seed}`).toBe(120);
  });

  it('gives bit-identical results on a repeated run', async () => {
    const r = await harness().page.evaluate(async (v) => {
      if (v === 'subgroup' && !window.gpu.features.subgroups) return true;
      const h = await window.ksImport('/tests/gpu/matmul-page.ts');
      const c = { a: [2, 97, 129], b: [129, 127], seed: 9 };
      const first = await h.runBits(window.gpu, v, c);
      const second = await h.runBits(window.gpu, v, c);
      return first.length === 2 * 97 * 127 && first.every((x: number, i: number) => x === second[i]);
    }, variant);
    expect(r).toBe(true);
  });

  it('folds its dispatch into x·y and covers every tile (a narrow fold with a partial last row)', async () => {
    // Pretend the device allows only a few workgroups per dimension: the launcher
    // then folds the same way it does past 65,535, with a partial last row, cheaply.
    // Workgroups for [3,130,33]·[33,129]: naive/tiled 243, register 27, direct 9 (64×256 tiles), subgroup 6289.
    const perDim = { naive: 16, tiled: 16, register: 6, direct: 5, subgroup: 80 }[variant];
    const r = await harness().page.evaluate(
      async (v, perDim) => {
        const gpu = window.gpu;
        if (v === 'subgroup' && !gpu.features.subgroups) return { ok: true, label: 'skipped' };
        const h = await window.ksImport('/tests/gpu/matmul-page.ts');
        const real = gpu.limits;
        const fake: Record<string, number> = {};
        for (const key in real) fake[key] = (real as unknown as Record<string, number>)[key]!;
        fake.maxComputeWorkgroupsPerDimension = perDim;
        Object.defineProperty(gpu, 'limits', { value: fake, configurable: true });
        try {
          const [result] = await h.runCases(gpu, v, [{ a: [3, 130, 33], b: [33, 129], seed: 77 }]);
          return result;
        } finally {
          delete (gpu as unknown as Record<string, unknown>).limits;
        }
      },
      variant,
      perDim,
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

describe('matmul dispatch folding past 65,535 workgroups', () => {
  it('naive: 65,541 workgroups of one 1×1×1 product each', async () => {
    const n = 65_536 + 5;
    const r = await harness().page.evaluate(async (n) => {
      const { matmul } = await window.ksImport('/src/kernels/matmul.ts');
      const a = Float32Array.from({ length: n }, (_, i) => (i % 251) - 125);
      const b = Float32Array.from({ length: n }, (_, i) => (i % 13) - 6);
      const c = await matmul(window.gpu, { data: a, shape: [n, 1, 1] }, { data: b, shape: [n, 1, 1] }, { variant: 'naive' });
      const got = await c.read();
      c.destroy();
      let bad = 0;
      for (let i = 0; i < n; i++) if (got[i] !== a[i]! * b[i]!) bad++;
      return { bad, n: got.length };
    }, n);
    expect(r).toEqual({ bad: 0, n });
  });
});

describe('matmul zero-size dimensions', () => {
  it('gives an empty result, or zeros for K = 0, without a dispatch', async () => {
    const r = await harness().page.evaluate(async () => {
      const { matmul } = await window.ksImport('/src/kernels/matmul.ts');
      const gpu = window.gpu;
      const z = (shape: number[]) => ({ data: new Float32Array(shape.reduce((x, y) => x * y, 1)).fill(1), shape });
      const cases: [number[], number[]][] = [
        [
          [0, 5],
          [5, 3],
        ],
        [
          [4, 5],
          [5, 0],
        ],
        [
          [0, 4, 5],
          [5, 3],
        ],
        [
          [4, 0],
          [0, 3],
        ],
        [
          [2, 4, 0],
          [2, 0, 3],
        ],
      ];
      const out = [];
      for (const v of ['naive', 'tiled', 'register', 'direct', 'subgroup', 'auto']) {
        if (v === 'subgroup' && !gpu.features.subgroups) continue;
        for (const [a, b] of cases) {
          const created = gpu.memory.created;
          const c = await matmul(gpu, z(a), z(b), { variant: v });
          const values = Array.from(await c.read());
          c.destroy();
          out.push({ v, shape: [...c.shape], values, created: gpu.memory.created - created });
        }
      }
      return out;
    });
    for (const v of new Set(r.map((x) => x.v))) {
      const mine = r.filter((x) => x.v === v).map(({ shape, values, created }) => ({ shape, values, created }));
      expect(mine, v).toEqual([
        { shape: [0, 3], values: [], created: 0 },
        { shape: [4, 0], values: [], created: 0 },
        { shape: [0, 4, 3], values: [], created: 0 },
        // K = 0: the output buffer (zero-filled) and its readback staging, no uniforms, no inputs.
        { shape: [4, 3], values: Array(12).fill(0), created: 2 },
        { shape: [2, 4, 3], values: Array(24).fill(0), created: 2 },
      ]);
    }
  });
});

describe('matmul bad input', () => {
  it('throws the right typed error before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const { matmul } = await window.ksImport('/src/kernels/matmul.ts');
      const gpu = window.gpu;
      const t = (shape: number[], n = shape.reduce((x, y) => x * y, 1)) => ({ data: new Float32Array(Math.max(0, n)), shape });
      const dead = window.ks.Tensor.fromData(gpu, [1, 2, 3, 4], [2, 2]);
      dead.destroy();
      const calls: [string, () => Promise<unknown>][] = [
        ['shape mismatch', () => matmul(gpu, t([2, 3]), t([4, 5]))],
        ['transposed shape mismatch', () => matmul(gpu, t([2, 3]), t([4, 3]), { transposeA: true, transposeB: true })],
        ['batch mismatch', () => matmul(gpu, t([2, 2, 3]), t([3, 3, 4]))],
        ['rank 1', () => matmul(gpu, t([3]), t([3, 2]))],
        ['rank 4', () => matmul(gpu, t([1, 1, 2, 3]), t([3, 2]))],
        ['wrong data length', () => matmul(gpu, t([2, 3], 5), t([3, 2]))],
        ['negative size', () => matmul(gpu, { data: new Float32Array(0), shape: [-1, 3] }, t([3, 2]))],
        ['fractional size', () => matmul(gpu, t([2, 3]), { data: new Float32Array(3), shape: [3, 1.5] })],
        ['null argument', () => matmul(gpu, null, t([3, 2]))],
        ['number argument', () => matmul(gpu, t([2, 3]), 7)],
        ['plain array argument', () => matmul(gpu, [1, 2, 3], t([3, 2]))],
        ['data not numbers', () => matmul(gpu, { data: 'abc', shape: [1, 3] }, t([3, 2]))],
        ['destroyed tensor', () => matmul(gpu, dead, t([2, 2]))],
        ['unknown variant', () => matmul(gpu, t([2, 3]), t([3, 2]), { variant: 'fastest' })],
        ['non-finite alpha', () => matmul(gpu, t([2, 3]), t([3, 2]), { alpha: Infinity })],
        ['non-boolean transpose', () => matmul(gpu, t([2, 3]), t([3, 2]), { transposeB: 'yes' })],
        ['options not an object', () => matmul(gpu, t([2, 3]), t([3, 2]), 'tiled')],
        ['output past maxStorageBufferBindingSize', () => matmul(gpu, t([100_000, 1]), t([1, 100_000]))],
        ['batched output past the limit', () => matmul(gpu, t([2, 60_000, 1]), t([1, 60_000]), { variant: 'register' })],
        [
          'subgroup without the feature',
          async () => {
            const features = gpu.features;
            gpu.features = { ...features, subgroups: false };
            try {
              return await matmul(gpu, t([2, 3]), t([3, 2]), { variant: 'subgroup' });
            } finally {
              gpu.features = features;
            }
          },
        ],
      ];
      const out: Record<string, string> = {};
      for (const [name, call] of calls) {
        const created = gpu.memory.created;
        try {
          await call();
          out[name] = 'no error';
        } catch (e) {
          const err = e as Error & { limit?: string };
          out[name] =
            `${err.name}${err.limit ? `(${err.limit})` : ''}: ${err.message}${gpu.memory.created !== created ? ' [ALLOCATED]' : ''}`;
        }
      }
      return out;
    });
    const expected: Record<string, RegExp> = {
      'shape mismatch': /^ShapeError: matmul: inner dimensions differ: a has K = 3 but b has K = 4 \(a=\[2, 3\], b=\[4, 5\]\)$/,
      'transposed shape mismatch': /^ShapeError: .*aᵀ has K = 2 but bᵀ has K = 3/,
      'batch mismatch': /^ShapeError: .*batch sizes differ: 2 vs 3/,
      'rank 1': /^ShapeError: .*a must have rank 2 or 3, got rank 1/,
      'rank 4': /^ShapeError: .*a must have rank 2 or 3, got rank 4/,
      'wrong data length': /^ShapeError: .*a has 5 values but its shape holds 6/,
      'negative size': /^ShapeError: .*a dimension 0 is -1/,
      'fractional size': /^ShapeError: .*b dimension 1 is 1.5/,
      'null argument': /^InvalidArgumentError: matmul: a must be a Tensor or/,
      'number argument': /^InvalidArgumentError: matmul: b must be a Tensor or/,
      'plain array argument': /^InvalidArgumentError: matmul: a must be a Tensor or/,
      'data not numbers': /^InvalidArgumentError: matmul: a must be a Tensor or/,
      'destroyed tensor': /^InvalidArgumentError: matmul: a must be a live Tensor/,
      'unknown variant':
        /^InvalidArgumentError: matmul: variant must be 'auto' or one of 'naive', 'tiled', 'register', 'direct', 'subgroup', got "fastest"/,
      'non-finite alpha': /^InvalidArgumentError: .*alpha must be a finite number, got Infinity/,
      'non-boolean transpose': /^InvalidArgumentError: .*transposeB must be a boolean/,
      'options not an object': /^InvalidArgumentError: .*options must be an options object/,
      'output past maxStorageBufferBindingSize':
        /^LimitExceededError\(maxStorageBufferBindingSize\): matmul: needs maxStorageBufferBindingSize = 40000000000 but this device allows \d+ \(c: C is \[100000, 100000\]/,
      'batched output past the limit': /^LimitExceededError\(maxStorageBufferBindingSize\): .*C is \[2, 60000, 60000\]/,
      'subgroup without the feature':
        /^InvalidArgumentError: matmul: variant must be a variant this device supports \(it lacks the 'subgroups' feature\)/,
    };
    for (const [name, re] of Object.entries(expected)) expect(r[name], name).toMatch(re);
    for (const [name, msg] of Object.entries(r)) expect(msg, name).not.toMatch(/ALLOCATED/);
  });
});

describe('matmul auto and device loss', () => {
  it("'auto' picks a variant that matches the oracle, for square and GEMV-like shapes", async () => {
    await check('auto', [
      { a: [96, 80], b: [80, 72], seed: 1 },
      { a: [1, 300], b: [300, 40], seed: 2 },
      { a: [40, 300], b: [1, 300], opts: { transposeB: true }, seed: 3 },
      { a: [5, 7], b: [7, 3], seed: 4 },
    ]);
  });

  it('raises DeviceLostError when the device is destroyed mid-use, then recovers', async () => {
    const r = await harness().page.evaluate(async () => {
      const { matmul } = await window.ksImport('/src/kernels/matmul.ts');
      const gpu = window.gpu;
      const a = window.ks.Tensor.fromData(gpu, [1, 2, 3, 4], [2, 2]);
      const pending = matmul(gpu, a, { data: [1, 0, 0, 1], shape: [2, 2] }, { variant: 'register' });
      gpu.destroy();
      let first = 'no error';
      try {
        const c = await pending;
        await c.read();
        c.destroy();
      } catch (e) {
        first = (e as Error).name;
      }
      let stale = 'no error';
      try {
        await matmul(gpu, a, { data: [1, 0, 0, 1], shape: [2, 2] });
      } catch (e) {
        stale = (e as Error).name;
      }
      a.destroy();
      const fresh = await matmul(
        gpu,
        { data: [1, 2, 3, 4], shape: [2, 2] },
        { data: [0, 1, 1, 0], shape: [2, 2] },
        { variant: 'register' },
      );
      const values = Array.from(await fresh.read());
      fresh.destroy();
      return { first, stale, values };
    });
    expect(r).toEqual({ first: 'DeviceLostError', stale: 'DeviceLostError', values: [2, 1, 4, 3] });
  });
});
