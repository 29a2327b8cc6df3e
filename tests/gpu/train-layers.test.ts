/**
 * The training layers on the GPU (issue 15): every backward kernel passes gradcheck
 * (its analytic gradient, computed on the GPU, against central differences of the
 * float64 CPU reference), every forward kernel passes the tolerance rule against the
 * float64 oracle and f32 baseline, one optimizer step equals `optimizerStep`, and bad
 * shapes raise typed errors before any GPU work. Sizes are tiny (SwiftShader).
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

type Report = { ok: boolean; tensors: { name: string; maxRelError: number; worst: unknown }[] };

/** Runs one layer's gradcheck in the page; `which` picks the case. Returns the report and forward verdicts. */
async function check(which: string): Promise<{ report: Report; forward: { ok: boolean; ratio: number }[] }> {
  return harness().page.evaluate(async (which: string) => {
    const L = await window.ksImport('/src/kernels/train/layers.ts');
    const NL = await window.ksImport('/src/kernels/train/norm-loss.ts');
    const R = await window.ksImport('/src/reference/train/layers.ts');
    const RN = await window.ksImport('/src/reference/train/norm-loss.ts');
    const { gradcheck, project } = await window.ksImport('/src/reference/gradcheck.ts');
    const { mulberry32, normalArray } = await window.ksImport('/src/reference/random.ts');
    const { F32 } = await window.ksImport('/src/reference/surfaces.ts');
    const { checkTolerance } = window.ks;
    const gpu = window.gpu;
    const rand = (n: number, seed: number, std = 1) =>
      Array.from(normalArray(mulberry32(seed), n, std) as Float32Array, (v) => Math.fround(v));
    const host = (data: ArrayLike<number>, shape: number[]) => ({ data: Float32Array.from(data), shape });
    const read = async (t: any) => {
      const v = await t.read();
      t.destroy();
      return v as Float32Array;
    };
    const forward: { ok: boolean; ratio: number }[] = [];
    const tol = (gpuOut: ArrayLike<number>, f64: ArrayLike<number>, f32: ArrayLike<number>, atol = 1e-6) => {
      const v = checkTolerance(gpuOut, f64, f32, atol);
      forward.push({ ok: v.ok, ratio: v.ratio });
    };
    const N = 5;
    let report: any;
    if (which === 'linear') {
      const [I, O] = [6, 7];
      const inputs = {
        x: { data: rand(N * I, 1), shape: [N, I] },
        w: { data: rand(I * O, 2, 0.5), shape: [I, O] },
        b: { data: rand(O, 3), shape: [O] },
      };
      const p = rand(N * O, 4);
      const y = await read(await L.linear(gpu, host(inputs.x.data, [N, I]), host(inputs.w.data, [I, O]), host(inputs.b.data, [O])));
      tol(
        y,
        R.linearRef(inputs.x.data, [N, I], inputs.w.data, [I, O], inputs.b.data),
        R.linearRef(inputs.x.data, [N, I], inputs.w.data, [I, O], inputs.b.data, F32),
      );
      report = await gradcheck(
        {
          f: (v: any) => project(R.linearRef(v.x, [N, I], v.w, [I, O], v.b), p),
          grad: async (v: any) => {
            const g = await L.linearBackward(gpu, host(v.x, [N, I]), host(v.w, [I, O]), host(p, [N, O]));
            return { x: await read(g.dx), w: await read(g.dw), b: await read(g.db) };
          },
        },
        inputs,
      );
    } else if (['relu', 'gelu', 'silu', 'tanh'].includes(which)) {
      const z = rand(N * 8, 5, 2);
      const p = rand(N * 8, 6);
      const y = await read(await L.activation(gpu, which, host(z, [N, 8])));
      tol(y, R.activationRef(which, z), R.activationRef(which, z, F32));
      report = await gradcheck(
        {
          f: (v: any) => project(R.activationRef(which, v.z), p),
          grad: async (v: any) => ({ z: await read(await L.activationBackward(gpu, which, host(v.z, [N, 8]), host(p, [N, 8]))) }),
        },
        { z: { data: z, shape: [N, 8] } },
      );
    } else if (which === 'layernorm') {
      const D = 6;
      const inputs = {
        x: { data: rand(N * D, 7, 2), shape: [N, D] },
        gamma: { data: rand(D, 8), shape: [D] },
        beta: { data: rand(D, 9), shape: [D] },
      };
      const p = rand(N * D, 10);
      const fw = await NL.layerNorm(gpu, host(inputs.x.data, [N, D]), host(inputs.gamma.data, [D]), host(inputs.beta.data, [D]));
      fw.stats.destroy();
      tol(
        await read(fw.y),
        RN.layerNormRef(inputs.x.data, [N, D], inputs.gamma.data, inputs.beta.data).y,
        RN.layerNormRef(inputs.x.data, [N, D], inputs.gamma.data, inputs.beta.data, 1e-5, F32).y,
      );
      report = await gradcheck(
        {
          f: (v: any) => project(RN.layerNormRef(v.x, [N, D], v.gamma, v.beta).y, p),
          grad: async (v: any) => {
            const x = host(v.x, [N, D]);
            const gamma = host(v.gamma, [D]);
            const f = await NL.layerNorm(gpu, x, gamma, host(v.beta, [D]));
            f.y.destroy();
            const g = await NL.layerNormBackward(gpu, x, gamma, host(p, [N, D]), f.stats);
            f.stats.destroy();
            return { x: await read(g.dx), gamma: await read(g.dgamma), beta: await read(g.dbeta) };
          },
        },
        inputs,
      );
    } else if (which === 'mse') {
      const target = rand(N * 2, 11);
      const pred = rand(N * 2, 12);
      const out = await NL.mseLoss(gpu, host(pred, [N, 2]), host(target, [N, 2]));
      const loss = await read(out.loss);
      out.grad.destroy();
      tol(loss, [RN.mseRef(pred, target).loss], [RN.mseRef(pred, target, F32).loss]);
      report = await gradcheck(
        {
          f: (v: any) => RN.mseRef(v.pred, target).loss,
          grad: async (v: any) => {
            const o = await NL.mseLoss(gpu, host(v.pred, [N, 2]), host(target, [N, 2]));
            o.loss.destroy();
            return { pred: await read(o.grad) };
          },
        },
        { pred: { data: pred, shape: [N, 2] } },
      );
    } else if (which === 'xent') {
      const C = 4;
      const labels = [0, 3, 1, 2, 3];
      const z = rand(N * C, 13, 3);
      z[0] = 80; // large logits stay finite: the row maximum is subtracted
      const out = await NL.softmaxCrossEntropy(gpu, host(z, [N, C]), host(labels, [N]));
      const loss = await read(out.loss);
      out.grad.destroy();
      tol(loss, [RN.crossEntropyRef(z, [N, C], labels).loss], [RN.crossEntropyRef(z, [N, C], labels, F32).loss]);
      report = await gradcheck(
        {
          f: (v: any) => RN.crossEntropyRef(v.z, [N, C], labels).loss,
          grad: async (v: any) => {
            const o = await NL.softmaxCrossEntropy(gpu, host(v.z, [N, C]), host(labels, [N]));
            o.loss.destroy();
            return { z: await read(o.grad) };
          },
        },
        { z: { data: z, shape: [N, C] } },
      );
    } else if (which === 'time') {
      const dim = 8;
      const t = [0, 1, 17, 500, 999];
      const p = rand(N * dim, 14);
      const emb = await read(await L.timeEmbedding(gpu, host(t, [N]), dim));
      tol(emb, R.timeEmbeddingRef(t, dim), R.timeEmbeddingRef(t, dim, undefined, F32));
      report = await gradcheck(
        {
          f: (v: any) => project(R.timeEmbeddingRef(v.t, dim), p),
          grad: async (v: any) => ({ t: await read(await L.timeEmbeddingBackward(gpu, host(v.t, [N]), host(p, [N, dim]), dim)) }),
        },
        { t: { data: t, shape: [N] } },
        // t reaches 999: a step of 1e-6 is below f32 resolution there, but f is float64 (the reference).
        { h: 1e-5 },
      );
    }
    return { report, forward };
  }, which);
}

describe('gradcheck of every backward kernel (GPU analytic vs float64 central differences)', () => {
  it.each(['linear', 'relu', 'gelu', 'silu', 'tanh', 'layernorm', 'mse', 'xent', 'time'])('%s', async (which) => {
    const { report, forward } = await check(which);
    const summary = report.tensors.map((t) => `${t.name} ${t.maxRelError.toExponential(1)}`).join(', ');
    console.log(`gradcheck ${which}: ${summary}; forward ratio ${forward.map((f) => f.ratio.toFixed(2)).join(', ')}`);
    expect(report.ok, JSON.stringify(report.tensors)).toBe(true);
    for (const f of forward) expect(f.ok, `forward of ${which}: ratio ${f.ratio}`).toBe(true);
  });
});

describe('optimizer step kernel', () => {
  it('one step of each rule (with clipping) equals optimizerStep in float64, within the tolerance rule', async () => {
    const rows = await harness().page.evaluate(async () => {
      const { applyOptimizer } = await window.ksImport('/src/kernels/train/optimizer.ts');
      const { initialState, optimizerStep } = await window.ksImport('/src/reference/optim.ts');
      const { resolveOptimizer } = await window.ksImport('/src/problem/optim.ts');
      const { clipFactor } = await window.ksImport('/src/problem/train-schedule.ts');
      const { F32 } = await window.ksImport('/src/reference/surfaces.ts');
      const { mulberry32, normalArray } = await window.ksImport('/src/reference/random.ts');
      const { Tensor, checkTolerance } = window.ks;
      const gpu = window.gpu;
      const n = 64;
      const x0 = normalArray(mulberry32(1), n) as Float32Array;
      const g = normalArray(mulberry32(2), n, 3) as Float32Array;
      const m0 = normalArray(mulberry32(3), n, 0.1) as Float32Array;
      const v0 = Float32Array.from(normalArray(mulberry32(4), n, 0.1) as Float32Array, (a) => a * a);
      const out: { kind: string; ok: boolean; ratio: number }[] = [];
      const configs = [
        { kind: 'sgd', lr: 0.1 },
        { kind: 'momentum', lr: 0.1 },
        { kind: 'nesterov', lr: 0.1 },
        { kind: 'rmsprop', lr: 0.01 },
        { kind: 'adam', lr: 0.01 },
        { kind: 'adamw', lr: 0.01, weightDecay: 0.1 },
        { kind: 'amsgrad', lr: 0.01 },
      ];
      for (const c of configs) {
        const o = resolveOptimizer('test', c);
        const t = 3; // a step with history: β^t != β
        const b1t = Math.fround(Math.fround(Math.fround(o.beta1 * o.beta1) * o.beta1));
        const b2t = Math.fround(Math.fround(Math.fround(o.beta2 * o.beta2) * o.beta2));
        const clipNorm = 5;
        const st = {
          params: Tensor.fromData(gpu, x0, [n]),
          m: Tensor.fromData(gpu, m0, [n]),
          v: Tensor.fromData(gpu, v0, [n]),
          vmax: Tensor.fromData(gpu, v0, [n]),
        };
        await applyOptimizer(gpu, c, st, { data: g, shape: [n] }, { lr: o.lr, b1t, b2t, clipNorm });
        const got = await st.params.read();
        for (const k of ['params', 'm', 'v', 'vmax']) (st as any)[k].destroy();
        const ref = (r: any) => {
          const norm = Math.sqrt(g.reduce((s, a) => s + a * a, 0));
          const c1 = clipFactor(norm, clipNorm);
          const grad = Float64Array.from(g, (a) => r(a * c1));
          const x = Float64Array.from(x0);
          const s = initialState(n);
          s.m.set(m0);
          s.v.set(v0);
          s.vmax.set(v0);
          s.t = t - 1;
          s.b1t = r(r(o.beta1 * o.beta1));
          s.b2t = r(r(o.beta2 * o.beta2));
          optimizerStep(o, s, x, grad, r, o.lr);
          return x;
        };
        const v = checkTolerance(
          got,
          ref((a: number) => a),
          ref(F32),
          1e-6,
        );
        out.push({ kind: c.kind, ok: v.ok, ratio: v.ratio });
      }
      return out;
    });
    for (const r of rows) expect(r.ok, `${r.kind}: ratio ${r.ratio}`).toBe(true);
  });
});

describe('typed errors before any GPU work', () => {
  it('layer shape mismatches', async () => {
    const out = await harness().page.evaluate(async () => {
      const L = await window.ksImport('/src/kernels/train/layers.ts');
      const NL = await window.ksImport('/src/kernels/train/norm-loss.ts');
      const O = await window.ksImport('/src/kernels/train/optimizer.ts');
      const gpu = window.gpu;
      const h = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, d) => a * d, 1)), shape });
      return window.ksErrorsBeforeGpuWork([
        ['linear features', () => L.linear(gpu, h([4, 3]), h([2, 5]))],
        ['linear bias', () => L.linear(gpu, h([4, 3]), h([3, 5]), h([4]))],
        ['linearBackward dy', () => L.linearBackward(gpu, h([4, 3]), h([3, 5]), h([4, 6]))],
        ['activation kind', () => L.activation(gpu, 'swish', h([4]))],
        ['activationBackward shapes', () => L.activationBackward(gpu, 'relu', h([4]), h([5]))],
        ['layerNorm gamma', () => NL.layerNorm(gpu, h([2, 4]), h([3]), h([4]))],
        ['mse shapes', () => NL.mseLoss(gpu, h([2, 2]), h([2, 3]))],
        ['xent label', () => NL.softmaxCrossEntropy(gpu, h([2, 3]), { data: [0, 3], shape: [2] })],
        ['time dim', () => L.timeEmbedding(gpu, h([4]), 5)],
        ['optimizer odd', () => O.applyOptimizer(gpu, { kind: 'adam' }, {}, h([3]), { lr: 1, b1t: 0.9, b2t: 0.99, clipNorm: 0 })],
      ]);
    });
    expect(out).toEqual([
      'linear features: ShapeError created 0',
      'linear bias: ShapeError created 0',
      'linearBackward dy: ShapeError created 0',
      'activation kind: InvalidArgumentError created 0',
      'activationBackward shapes: ShapeError created 0',
      'layerNorm gamma: ShapeError created 0',
      'mse shapes: ShapeError created 0',
      'xent label: InvalidArgumentError created 0',
      'time dim: InvalidArgumentError created 0',
      'optimizer odd: InvalidArgumentError created 0',
    ]);
  });
});
