/**
 * Training on the CPU (issue 15), in Node: gradcheck itself (it passes correct
 * gradients, catches planted bugs, and its step-size sweep has its minimum where
 * theory puts it), every float64 backward reference against central differences,
 * the network reference's backpropagation, the layer shape rules (typed errors), the
 * warm-up/cosine schedule and clipping rules, and the parameter layout.
 */
import { describe, expect, it } from 'vitest';
import { gradcheck, finiteDifferenceSweep, logSteps, project, spreadIndices, unravel } from '../../src/reference/gradcheck';
import {
  activationBackwardRef,
  activationRef,
  linearBackwardRef,
  linearRef,
  timeEmbeddingBackwardRef,
  timeEmbeddingRef,
} from '../../src/reference/train/layers';
import { crossEntropyRef, layerNormBackwardRef, layerNormRef, mseRef } from '../../src/reference/train/norm-loss';
import { initNetworkRef, networkInput, networkLossAndGradRef } from '../../src/reference/train/network';
import { mulberry32, normalArray } from '../../src/reference/random';
import { F32 } from '../../src/reference/surfaces';
import {
  resolveLinear,
  resolveLinearBackward,
  resolveLayerNorm,
  resolveCrossEntropy,
  resolveTimeEmbedding,
} from '../../src/problem/train-layers';
import { clipFactor, warmupCosineLr, resolveWarmupCosine } from '../../src/problem/train-schedule';
import { networkLayout, DENOISER_NETWORK, CLASSIFIER_NETWORK, SLOT_ALIGN, toPackedMlp } from '../../src/problem/train-model';
import { InvalidArgumentError, ShapeError } from '../../src/problem/errors';

const rand = (n: number, seed: number, std = 1) => Float64Array.from(normalArray(mulberry32(seed), n, std));

describe('gradcheck', () => {
  it('passes a correct gradient and names the worst entry of a wrong one', async () => {
    const x = { data: [0.3, -1.2, 2.0], shape: [3] };
    const f = (v: Record<string, Float64Array>) => v.x!.reduce((s, a) => s + Math.sin(a) * a, 0);
    const good = await gradcheck({ f, grad: (v) => ({ x: v.x!.map((a) => Math.cos(a) * a + Math.sin(a)) }) }, { x });
    expect(good.ok).toBe(true);
    expect(good.tensors[0]!.maxRelError).toBeLessThan(1e-8);
    expect(good.evaluations).toBe(6);
    const bad = await gradcheck(
      { f, grad: (v) => ({ x: v.x!.map((a, i) => (i === 1 ? Math.sin(a) : Math.cos(a) * a + Math.sin(a))) }) },
      { x },
    );
    expect(bad.ok).toBe(false);
    expect(bad.tensors[0]!.worst.index).toBe(1);
    expect(bad.tensors[0]!.worst.coords).toEqual([1]);
  });

  it('catches a missing transpose in a linear layer’s dx', async () => {
    const N = 3;
    const D = 4;
    const x = rand(N * D, 1);
    const w = rand(D * D, 2, 0.5);
    const p = rand(N * D, 3);
    const f = (v: Record<string, Float64Array>) => project(linearRef(v.x!, [N, D], v.w!, [D, D], null), p);
    const good = (v: Record<string, Float64Array>) => ({ x: linearBackwardRef(v.x!, [N, D], v.w!, [D, D], p).dx });
    // dx = dy·w instead of dy·wᵀ: same shape, wrong values.
    const buggy = (v: Record<string, Float64Array>) => ({ x: linearRef(p, [N, D], v.w!, [D, D], null) });
    const inputs = { x: { data: x, shape: [N, D] }, w: { data: w, shape: [D, D] } };
    expect((await gradcheck({ f, grad: good }, inputs)).ok).toBe(true);
    const r = await gradcheck({ f, grad: buggy }, inputs);
    expect(r.ok).toBe(false);
    expect(r.tensors[0]!.maxRelError).toBeGreaterThan(0.1);
  });

  it('the step sweep is smallest near ∛u: about 1e-5 in float64, 1e-3–1e-2 in f32', async () => {
    const inputs = { x: { data: [0.7], shape: [1] } };
    const exact = Math.cos(0.7) * Math.exp(0.7) + Math.sin(0.7) * Math.exp(0.7);
    const f64 = (v: Record<string, Float64Array>) => Math.sin(v.x![0]!) * Math.exp(v.x![0]!);
    const f32 = (v: Record<string, Float64Array>) => {
      const a = Math.fround(v.x![0]!);
      return Math.fround(Math.fround(Math.sin(a)) * Math.fround(Math.exp(a)));
    };
    const hs = logSteps(1e-1, 1e-10, 4);
    const best = (pts: { h: number; relError: number }[]) => pts.reduce((a, b) => (b.relError < a.relError ? b : a)).h;
    const h64 = best(await finiteDifferenceSweep(f64, inputs, 'x', 0, exact, hs));
    const h32 = best(await finiteDifferenceSweep(f32, inputs, 'x', 0, exact, hs));
    expect(h64).toBeGreaterThan(1e-7);
    expect(h64).toBeLessThan(1e-3);
    expect(h32).toBeGreaterThan(1e-4);
    expect(h32).toBeLessThanOrEqual(1e-1);
  });

  it('helpers: unravel, spreadIndices, logSteps', () => {
    expect(unravel(7, [2, 4])).toEqual([1, 3]);
    expect(spreadIndices(10, 3)).toEqual([0, 5, 9]);
    expect(spreadIndices(3)).toEqual([0, 1, 2]);
    const hs = logSteps();
    expect(hs[0]).toBeCloseTo(0.1);
    expect(hs[hs.length - 1]).toBeCloseTo(1e-10, 20);
  });
});

describe('float64 backward references pass gradcheck', () => {
  const N = 3;
  it('linear (x, w, b)', async () => {
    const p = rand(N * 5, 9);
    const f = (v: Record<string, Float64Array>) => project(linearRef(v.x!, [N, 4], v.w!, [4, 5], v.b!), p);
    const grad = (v: Record<string, Float64Array>) => {
      const g = linearBackwardRef(v.x!, [N, 4], v.w!, [4, 5], p);
      return { x: g.dx, w: g.dw, b: g.db };
    };
    const r = await gradcheck(
      { f, grad },
      { x: { data: rand(N * 4, 1), shape: [N, 4] }, w: { data: rand(20, 2), shape: [4, 5] }, b: { data: rand(5, 3), shape: [5] } },
    );
    expect(r.ok, JSON.stringify(r.tensors)).toBe(true);
  });

  it.each(['relu', 'gelu', 'silu', 'tanh'] as const)('%s', async (kind) => {
    const z = rand(12, 4, 1.5);
    const p = rand(12, 5);
    const f = (v: Record<string, Float64Array>) => project(activationRef(kind, v.z!), p);
    const r = await gradcheck({ f, grad: (v) => ({ z: activationBackwardRef(kind, v.z!, p) }) }, { z: { data: z, shape: [12] } });
    expect(r.ok, JSON.stringify(r.tensors)).toBe(true);
  });

  it('layernorm (x, γ, β)', async () => {
    const p = rand(N * 6, 8);
    const inputs = {
      x: { data: rand(N * 6, 1, 2), shape: [N, 6] },
      gamma: { data: rand(6, 2), shape: [6] },
      beta: { data: rand(6, 3), shape: [6] },
    };
    const f = (v: Record<string, Float64Array>) => project(layerNormRef(v.x!, [N, 6], v.gamma!, v.beta!).y, p);
    const grad = (v: Record<string, Float64Array>) => {
      const fw = layerNormRef(v.x!, [N, 6], v.gamma!, v.beta!);
      const g = layerNormBackwardRef(v.x!, [N, 6], v.gamma!, p, fw.mean, fw.rstd);
      return { x: g.dx, gamma: g.dgamma, beta: g.dbeta };
    };
    const r = await gradcheck({ f, grad }, inputs);
    expect(r.ok, JSON.stringify(r.tensors)).toBe(true);
  });

  it('mse and softmax cross-entropy', async () => {
    const target = rand(8, 3);
    const mse = await gradcheck(
      { f: (v) => mseRef(v.p!, target).loss, grad: (v) => ({ p: mseRef(v.p!, target).grad }) },
      { p: { data: rand(8, 1), shape: [8] } },
    );
    expect(mse.ok).toBe(true);
    const labels = [0, 2, 1, 2];
    const xent = await gradcheck(
      { f: (v) => crossEntropyRef(v.z!, [4, 3], labels).loss, grad: (v) => ({ z: crossEntropyRef(v.z!, [4, 3], labels).grad }) },
      { z: { data: rand(12, 2, 3), shape: [4, 3] } },
    );
    expect(xent.ok).toBe(true);
  });

  it('softmax cross-entropy is finite for huge logits', () => {
    const { loss, grad } = crossEntropyRef([1000, -1000, 0, 3000], [2, 2], [1, 0]);
    expect(loss).toBeCloseTo((2000 + 3000) / 2);
    expect([...grad].every(Number.isFinite)).toBe(true);
  });

  it('time embedding (t)', async () => {
    const p = rand(4 * 8, 6);
    const f = (v: Record<string, Float64Array>) => project(timeEmbeddingRef(v.t!, 8), p);
    const r = await gradcheck(
      { f, grad: (v) => ({ t: timeEmbeddingBackwardRef(v.t!, p, 8) }) },
      { t: { data: [0, 3, 250, 999], shape: [4] } },
    );
    expect(r.ok, JSON.stringify(r.tensors)).toBe(true);
  });

  it('the f32 references stay close to float64', () => {
    const z = rand(50, 11, 3);
    for (const kind of ['gelu', 'silu', 'tanh'] as const) {
      const a = activationRef(kind, z);
      const b = activationRef(kind, z, F32);
      for (let i = 0; i < 50; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(a[i]!)));
    }
  });

  it('the network’s backpropagation (DDPM-style MLP with a time embedding)', async () => {
    const spec = { inputs: 2, timeEmbedding: 4, hidden: [5, 3], outputs: 2, activation: 'gelu' as const };
    const layout = networkLayout('test', spec);
    const params = initNetworkRef(spec, 3);
    for (const s of layout.slots) if (s.initStd === 0) for (let i = 0; i < s.size; i++) params[s.offset + i] = 0.1 * (i + 1);
    const h0 = networkInput(layout, rand(6, 1), [3, 400, 999]);
    const target = rand(6, 2);
    const fn = {
      f: (v: Record<string, Float64Array>) => networkLossAndGradRef(layout, v.params!, h0, { kind: 'mse', values: target }).loss,
      grad: (v: Record<string, Float64Array>) => ({
        params: networkLossAndGradRef(layout, v.params!, h0, { kind: 'mse', values: target }).grad,
      }),
    };
    const r = await gradcheck(fn, { params: { data: params, shape: [layout.count] } });
    expect(r.ok, JSON.stringify(r.tensors[0]!.worst)).toBe(true);
  });
});

describe('shape rules and typed errors', () => {
  it('linear: mismatched features, outputs, bias and dy name the shapes', () => {
    expect(() => resolveLinear('linear', [4, 3], [2, 5], null)).toThrow(ShapeError);
    expect(() => resolveLinear('linear', [4, 3], [2, 5], null)).toThrow(/x=\[4, 3\], w=\[2, 5\]/);
    expect(() => resolveLinear('linear', [4, 3], [3, 5], [4])).toThrow(/b has 4 entries/);
    expect(() => resolveLinear('linear', [4, 3, 1], [3, 5], null)).toThrow(/rank 2/);
    expect(() => resolveLinearBackward('linearBackward', [4, 3], [3, 5], [4, 6])).toThrow(ShapeError);
    expect(resolveLinear('linear', [4, 3], [3, 5], [5])).toEqual({ N: 4, inDim: 3, outDim: 5 });
  });
  it('layernorm, cross-entropy and the time embedding', () => {
    expect(() => resolveLayerNorm('layerNorm', [2, 4], [3], [4], 1e-5)).toThrow(ShapeError);
    expect(() => resolveLayerNorm('layerNorm', [2, 4], [4], [4], 0)).toThrow(InvalidArgumentError);
    expect(() => resolveCrossEntropy('xent', [2, 4], [3])).toThrow(ShapeError);
    expect(() => crossEntropyRef([0, 0, 0, 0], [2, 2], [0, 2])).toThrow(/labels\[1\]/);
    expect(() => resolveTimeEmbedding('timeEmbedding', [4], 7)).toThrow(InvalidArgumentError);
    expect(() => resolveTimeEmbedding('timeEmbedding', [4, 1], 8)).toThrow(ShapeError);
  });
});

describe('schedule, clipping, layout', () => {
  it('warm-up is linear, then cosine decays to minLr', () => {
    const s = resolveWarmupCosine('t', { warmup: 10, total: 110, minLr: 0.1 });
    expect(warmupCosineLr(1, s, 5)).toBeCloseTo(0.5);
    expect(warmupCosineLr(1, s, 10)).toBeCloseTo(1);
    expect(warmupCosineLr(1, s, 60)).toBeCloseTo(0.55);
    expect(warmupCosineLr(1, s, 110)).toBeCloseTo(0.1);
    expect(warmupCosineLr(1, s, 500)).toBeCloseTo(0.1);
    expect(warmupCosineLr(0.3, null, 7)).toBe(0.3);
    expect(() => resolveWarmupCosine('t', { warmup: 20, total: 10 })).toThrow(/warmup/);
  });
  it('clipping scales to maxNorm only above it', () => {
    expect(clipFactor(10, 1)).toBeCloseTo(0.1);
    expect(clipFactor(0.5, 1)).toBe(1);
    expect(clipFactor(10, 0)).toBe(1);
  });
  it('layouts align every tensor to 256 bytes; the denoiser has ~35k parameters', () => {
    const d = networkLayout('t', DENOISER_NETWORK);
    expect(d.slots.every((s) => s.offset % SLOT_ALIGN === 0)).toBe(true);
    expect(d.parameters).toBe(18 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 2 + 2);
    const c = networkLayout('t', CLASSIFIER_NETWORK);
    const flat = Float32Array.from({ length: c.count }, (_, i) => i);
    expect(toPackedMlp(c, flat).length).toBe(2 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2);
    expect(() => networkLayout('t', { ...DENOISER_NETWORK, timeEmbedding: 3 })).toThrow(/timeEmbedding/);
    expect(() => networkLayout('t', { ...DENOISER_NETWORK, activation: 'swish' as never })).toThrow(/activation/);
  });
});
