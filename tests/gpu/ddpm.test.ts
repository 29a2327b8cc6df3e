/**
 * DDPM kernels on the GPU against the CPU references: Philox bit identity and
 * statistics, forward noising, one reverse step (DDPM and DDIM), determinism of the
 * sampler, validation before GPU work, and the exact denoiser's memorization.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

describe('Philox on the GPU', () => {
  it('gives the JS reference’s words bit for bit, and the same uniforms', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const ref = await window.ksImport('/src/reference/philox.ts');
      const gpu = window.gpu;
      const out: Record<string, number> = {};
      for (const [seed, stream, step, n] of [
        [0, 0, 0, 4099],
        [42, 1, 999, 1031],
        [0xffffffff, 7, 0xfffffffe, 257],
      ] as const) {
        const bits = await ddpm.randomBits(gpu, [n], { seed, stream, step });
        const words = new Uint32Array((await bits.read()).buffer);
        bits.destroy();
        const want = ref.philoxWords(seed, stream, step, n);
        let bad = 0;
        for (let i = 0; i < n; i++) if (words[i] !== want[i]) bad++;
        out[`bits ${seed}/${stream}/${step}`] = bad;
        const uni = await ddpm.randomUniform(gpu, [n], { seed, stream, step });
        const u = await uni.read();
        uni.destroy();
        let badU = 0;
        let max = 0;
        for (let i = 0; i < n; i++) {
          if (u[i] !== ref.uniformFromBits(want[i])) badU++;
          max = Math.max(max, u[i]!);
        }
        out[`uniform ${seed}/${stream}/${step}`] = badU;
        out.maxUniformBelowOne = Math.max(out.maxUniformBelowOne ?? 0, max < 1 ? 0 : 1);
        const nor = await ddpm.randomNormal(gpu, [n], { seed, stream, step });
        const z = await nor.read();
        nor.destroy();
        const zr = ref.philoxNormals(seed, stream, step, n);
        let err = 0;
        for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(z[i]! - zr[i]!));
        out.normalMaxAbsErr = Math.max(out.normalMaxAbsErr ?? 0, err);
      }
      return out;
    });
    for (const [k, v] of Object.entries(r)) if (k.startsWith('bits') || k.startsWith('uniform')) expect(v, k).toBe(0);
    expect(r.maxUniformBelowOne).toBe(0);
    // The normals go through f32 log/sqrt/sin/cos (our own series, not the loosely specified
    // builtins): they agree with the float64 reference to a few f32 ulps of |z| ≤ 5.8, not bits.
    expect(r.normalMaxAbsErr).toBeLessThan(5e-6);
    console.log(`Philox normals, GPU vs float64 JS: max |Δ| = ${r.normalMaxAbsErr!.toExponential(2)}`);
  });

  it('1e6 normals have mean 0 and variance 1 within 5σ, and repeat bit for bit', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const gpu = window.gpu;
      const n = 1_000_000;
      const t = await ddpm.randomNormal(gpu, [n], { seed: 2024, stream: 3, step: 17 });
      const z = await t.read();
      t.destroy();
      const t2 = await ddpm.randomNormal(gpu, [n], { seed: 2024, stream: 3, step: 17 });
      const z2 = await t2.read();
      t2.destroy();
      let s = 0;
      let s2 = 0;
      let s4 = 0;
      let maxAbs = 0;
      let same = true;
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        s += v;
        s2 += v * v;
        s4 += v * v * v * v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
        if (!Object.is(v, z2[i])) same = false;
      }
      const mean = s / n;
      return { mean, variance: s2 / n - mean * mean, kurtosis: s4 / n, maxAbs, same };
    });
    const n = 1e6;
    expect(Math.abs(r.mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(r.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(r.kurtosis - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(r.maxAbs).toBeLessThan(5.8);
    expect(r.same).toBe(true);
    console.log(`1e6 GPU normals: mean ${r.mean.toExponential(2)}, variance ${r.variance.toFixed(5)}, E[z⁴] ${r.kurtosis.toFixed(4)}`);
  });
});

describe('forward noising', () => {
  it('matches the reference at mixed t (tolerance rule), given ε or drawn from Philox', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const ref = await window.ksImport('/src/reference/ddpm.ts');
      const philox = await window.ksImport('/src/reference/philox.ts');
      const { mulberry32, normalArray, randInt, checkTolerance } = window.ks;
      const gpu = window.gpu;
      const out: { case: string; ratio: number; ok: boolean }[] = [];
      for (const schedule of [ddpm.linearSchedule(), ddpm.cosineSchedule()]) {
        for (const [rows, dim] of [
          [239, 2],
          [1, 256],
          [97, 7],
        ] as const) {
          const rng = mulberry32(rows * 31 + dim);
          const x0 = normalArray(rng, rows * dim, 1.5);
          const eps = normalArray(rng, rows * dim);
          const t = Array.from({ length: rows }, (_, i) => (i === 0 ? 0 : i === 1 ? 999 : randInt(rng, 0, 999)));
          const y = await ddpm.forwardNoise(gpu, schedule, { data: x0, shape: [rows, dim] }, t, { data: eps, shape: [rows, dim] });
          const got = await y.read();
          y.destroy();
          const v = checkTolerance(
            got,
            ref.forwardNoiseRef(schedule, x0, t, eps, dim),
            ref.forwardNoiseRef(schedule, x0, t, eps, dim, 'f32'),
          );
          out.push({ case: `${schedule.kind} [${rows},${dim}] eps`, ratio: v.ratio, ok: v.ok });
          // Philox noise: the oracle takes the float64 normals of the same address; the GPU's
          // transcendentals add a few ulps, covered by atol.
          const y2 = await ddpm.forwardNoise(gpu, schedule, { data: x0, shape: [rows, dim] }, t, { seed: 9, step: 4 });
          const got2 = await y2.read();
          y2.destroy();
          const z = philox.philoxNormals(9, philox.RNG_STREAM.forward, 4, rows * dim);
          const v2 = checkTolerance(
            got2,
            ref.forwardNoiseRef(schedule, x0, t, z, dim),
            ref.forwardNoiseRef(schedule, x0, t, Float32Array.from(z), dim, 'f32'),
            2e-5,
          );
          out.push({ case: `${schedule.kind} [${rows},${dim}] philox`, ratio: v2.ratio, ok: v2.ok });
        }
      }
      return out;
    });
    const worst = r.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    console.log(`forward noising: worst ratio ${worst.ratio.toFixed(3)} (${worst.case})`);
    for (const c of r) expect(c.ok, c.case).toBe(true);
  });
});

describe('one reverse step', () => {
  it('DDPM (β and β̃) and DDIM (η = 0, 0.5) steps match the reference given the same noise', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const ref = await window.ksImport('/src/reference/ddpm.ts');
      const { mulberry32, normalArray, checkTolerance } = window.ks;
      const gpu = window.gpu;
      const s = ddpm.linearSchedule();
      const n = 239 * 2;
      const rng = mulberry32(5);
      const x = normalArray(rng, n);
      const pred = normalArray(rng, n);
      const z = normalArray(rng, n);
      const cases: [string, { ca: number; cb: number; sigma: number }][] = [];
      for (const t of [0, 1, 500, 999]) {
        for (const variance of ['beta', 'posterior']) {
          for (const target of ['eps', 'x0'])
            cases.push([`ddpm t=${t} ${variance} ${target}`, ddpm.ddpmCoefficients(s, t, variance, target)]);
        }
      }
      for (const [t, tp] of [
        [999, 979],
        [500, 480],
        [20, -1],
      ]) {
        for (const eta of [0, 0.5]) {
          for (const target of ['eps', 'x0'])
            cases.push([`ddim ${t}→${tp} η=${eta} ${target}`, ddpm.ddimCoefficients(s, t, tp, eta, target)]);
        }
      }
      const out: { case: string; ratio: number; ok: boolean }[] = [];
      for (const [name, c] of cases) {
        const y = await ddpm.reverseStep(
          gpu,
          c,
          { data: x, shape: [239, 2] },
          { data: pred, shape: [239, 2] },
          { data: z, shape: [239, 2] },
        );
        const got = await y.read();
        y.destroy();
        const v = checkTolerance(got, ref.stepRef(c, x, pred, z), ref.stepRef(c, x, pred, z, 'f32'));
        out.push({ case: name, ratio: v.ratio, ok: v.ok });
      }
      // t = 0 adds no noise: with Philox noise requested, the step equals the noise-free one.
      const c0 = ddpm.ddpmCoefficients(s, 0, 'beta', 'eps');
      const a = await ddpm.reverseStep(gpu, c0, { data: x, shape: [n] }, { data: pred, shape: [n] }, { seed: 3 });
      const b = await ddpm.reverseStep(gpu, c0, { data: x, shape: [n] }, { data: pred, shape: [n] }, null);
      const av = await a.read();
      const bv = await b.read();
      a.destroy();
      b.destroy();
      return { out, t0same: av.every((v: number, i: number) => Object.is(v, bv[i])) };
    });
    const worst = r.out.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    console.log(`reverse step: ${r.out.length} cases, worst ratio ${worst.ratio.toFixed(3)} (${worst.case})`);
    for (const c of r.out) expect(c.ok, c.case).toBe(true);
    expect(r.t0same).toBe(true);
  });

  it('rejects bad input with typed errors before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const gpu = window.gpu;
      const s = ddpm.linearSchedule({ T: 10 });
      const before = gpu.memory.created;
      const errs: string[] = [];
      const tryIt = async (f: () => Promise<unknown>) => {
        try {
          await f();
          errs.push('no error');
        } catch (e) {
          errs.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      };
      const x = { data: new Float32Array(6), shape: [3, 2] };
      await tryIt(() => ddpm.forwardNoise(gpu, s, x, [0, 1], { seed: 1 }));
      await tryIt(() => ddpm.forwardNoise(gpu, s, x, [0, 1, 10], { seed: 1 }));
      await tryIt(() => ddpm.forwardNoise(gpu, s, x, [0, 1, 2], { data: new Float32Array(4), shape: [2, 2] }));
      await tryIt(() => ddpm.forwardNoise(gpu, s, x, [0, 1, 2], { seed: -1 }));
      await tryIt(() => ddpm.reverseStep(gpu, { ca: 1, cb: NaN, sigma: 0 }, x, x, null));
      await tryIt(() => ddpm.reverseStep(gpu, { ca: 1, cb: 1, sigma: 0 }, x, { data: new Float32Array(3), shape: [3] }, null));
      await tryIt(() => ddpm.randomNormal(gpu, [2, -1], { seed: 1 }));
      const refDdpm = await window.ksImport('/src/reference/ddpm.ts');
      const den = ddpm.hostDenoiser(gpu, refDdpm.optimalCpuDenoiser(new Float32Array([0, 0, 1, 1]), 2), 2);
      await tryIt(() => ddpm.sample(gpu, s, den, { sampler: 'ddim', steps: 11, seed: 1, n: 4 }));
      await tryIt(() => ddpm.sample(gpu, s, den, { sampler: 'ddim', steps: 5, seed: 1, n: 0 }));
      await tryIt(() => ddpm.sample(gpu, s, den, { sampler: 'plms', steps: 5, seed: 1, n: 4 }));
      await tryIt(() => ddpm.sample(gpu, s, den, { sampler: 'ddim', steps: 5, seed: 1, n: 4, eta: 2 }));
      return { errs, created: gpu.memory.created - before };
    });
    expect(r.created).toBe(0);
    expect(r.errs).toHaveLength(11);
    for (const e of r.errs) expect(e).toMatch(/^(ShapeError|InvalidArgumentError): (ddpm|ddim)/);
    expect(r.errs[1]).toMatch(/t\[2\] must be an integer in \[0, 9\]/);
    expect(r.errs[6]).toMatch(/^ShapeError/);
  });
});

describe('the exact denoiser on flash attention', () => {
  it('matches the float64 reference (tolerance rule) for points and glyphs across ᾱ, flash and fused', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const ref = await window.ksImport('/src/reference/ddpm.ts');
      const data = await window.ksImport('/src/data/index.ts');
      const { mulberry32, normalArray, checkTolerance } = window.ks;
      const gpu = window.gpu;
      const out: { case: string; ratio: number; ok: boolean; err: number }[] = [];
      for (const [name, m, n] of [
        ['two-moons', 239, 97],
        ['glyphs', 40, 9],
      ] as [string, number, number][]) {
        const info = data.dataset(name);
        const train = info.make(m, 2);
        for (const backend of info.dim <= 4 ? ['attention', 'fused'] : ['attention']) {
          const den = await ddpm.makeOptimalDenoiser(gpu, train, info.dim, backend);
          for (const abar of [0.999, 0.9, 0.5, 0.05, 1e-4]) {
            // x_t drawn near the forward process at this ᾱ, so the softmax is neither flat nor one-hot everywhere.
            const rng = mulberry32(Math.round(abar * 1e4) + m);
            const z = normalArray(rng, n * info.dim);
            const x = Float32Array.from(z, (v, i) => Math.sqrt(abar) * train[i % train.length]! + Math.sqrt(1 - abar) * v);
            const xt = window.ks.Tensor.fromData(gpu, x, [1, 1, n, info.dim]);
            const y = await den.predict(xt, { t: 0, alphaBar: abar });
            const got = await y.read();
            y.destroy();
            xt.destroy();
            const v = checkTolerance(
              got,
              ref.optimalDenoiserRef(train, info.dim, x, abar),
              ref.optimalDenoiserAttentionRef(train, info.dim, x, abar, 'f32'),
              1e-5,
            );
            out.push({ case: `${name} ${backend} ᾱ=${abar}`, ratio: v.ratio, ok: v.ok, err: v.err });
          }
          den.destroy();
        }
      }
      return out;
    });
    const worst = r.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    console.log(
      `exact denoiser (flash attention): worst ratio ${worst.ratio.toFixed(3)} (${worst.case}, err ${worst.err.toExponential(2)})`,
    );
    for (const c of r) expect(c.ok, `${c.case}: err ${c.err}`).toBe(true);
  });
});

describe('the sampler', () => {
  it('DDIM η = 0 is deterministic from x_T; the same seed gives bit-identical DDPM samples', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const data = await window.ksImport('/src/data/index.ts');
      const gpu = window.gpu;
      const s = ddpm.cosineSchedule();
      const train = data.twoMoons(128, 1);
      const den = await ddpm.makeOptimalDenoiser(gpu, train, 2);
      const xT = { data: window.ks.normalArray(window.ks.mulberry32(77), 256 * 2), shape: [256, 2] };
      const run = async (o: object) => {
        const y = await ddpm.sample(gpu, s, den, { n: 256, ...o });
        const v = await y.read();
        y.destroy();
        return v;
      };
      const a = await run({ sampler: 'ddim', steps: 20, seed: 1, xT });
      const b = await run({ sampler: 'ddim', steps: 20, seed: 2, xT });
      const c = await run({ sampler: 'ddpm', steps: 40, seed: 5 });
      const d = await run({ sampler: 'ddpm', steps: 40, seed: 5 });
      const e = await run({ sampler: 'ddpm', steps: 40, seed: 6 });
      den.destroy();
      const same = (p: Float32Array, q: Float32Array) => p.every((v, i) => Object.is(v, q[i]));
      return { ddim: same(a, b), ddpm: same(c, d), differs: !same(c, e), finite: c.every(Number.isFinite) };
    });
    expect(r).toEqual({ ddim: true, ddpm: true, differs: true, finite: true });
  });

  it('samples from the exact denoiser land on the training set (memorization)', async () => {
    const r = await harness().page.evaluate(async () => {
      const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
      const ref = await window.ksImport('/src/reference/ddpm.ts');
      const data = await window.ksImport('/src/data/index.ts');
      const gpu = window.gpu;
      const out: Record<string, number> = {};
      for (const [name, sampler, steps, schedule] of [
        ['two-moons', 'ddim', 50, 'cosine'],
        ['swiss-roll', 'ddpm', 1000, 'linear'],
        ['glyphs', 'ddim', 50, 'linear'],
      ]) {
        const info = data.dataset(name);
        const m = info.kind === 'images' ? 64 : sampler === 'ddpm' ? 128 : 256;
        const n = info.kind === 'images' ? 32 : sampler === 'ddpm' ? 256 : 512;
        const train = info.make(m, 1);
        const s = ddpm.makeSchedule(schedule);
        const den = await ddpm.makeOptimalDenoiser(gpu, train, info.dim);
        const y = await ddpm.sample(gpu, s, den, { sampler, steps, seed: 11, n });
        const x = await y.read();
        y.destroy();
        den.destroy();
        out[`${name} ${sampler}${steps}`] = ref.medianNearestDistance(x, train, info.dim);
        // For scale: the median distance between neighbouring training points.
        out[`${name} spacing`] = ref.medianSpacing(train, info.dim);
      }
      return out;
    });
    console.log('median nearest-training-point distance of exact-denoiser samples:', JSON.stringify(r));
    expect(r['two-moons ddim50']).toBeLessThan(1e-3);
    expect(r['swiss-roll ddpm1000']).toBeLessThan(1e-3);
    expect(r['glyphs ddim50']).toBeLessThan(1e-2);
  });
});
