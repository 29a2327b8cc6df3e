/**
 * The MLP reference: backpropagation against central differences, deterministic
 * training to a low loss on two spirals, filter normalization, and the slice.
 */
import { describe, expect, it } from 'vitest';
import {
  MLP_SIZES,
  filterNormalizedDirection,
  initMlp,
  mlpLayout,
  mlpLoss,
  mlpLossAndGrad,
  sliceLossAndGrad,
  sliceReference,
  trainMlp,
  twoSpirals,
} from '../../src/reference/mlp';

describe('MLP reference', () => {
  const sizes = [...MLP_SIZES];
  const data = twoSpirals(30, 3);

  it('backpropagation matches central differences', () => {
    const p = initMlp(sizes, 5);
    const { grad } = mlpLossAndGrad(p, sizes, data);
    const h = 1e-6;
    let worst = 0;
    for (let k = 0; k < p.length; k += 7) {
      const q = Float64Array.from(p);
      q[k]! += h;
      const up = mlpLoss(q, sizes, data);
      q[k]! -= 2 * h;
      const down = mlpLoss(q, sizes, data);
      worst = Math.max(worst, Math.abs((up - down) / (2 * h) - grad[k]!));
    }
    expect(worst).toBeLessThan(1e-7);
  });

  it('trains deterministically on two spirals with the project’s Adam', () => {
    const t0 = performance.now();
    const a = trainMlp({ seed: 1 });
    const ms = performance.now() - t0;
    const b = trainMlp({ seed: 1, steps: 100 });
    const c = trainMlp({ seed: 1, steps: 100 });
    console.log(
      `trainMlp: loss ${a.history[0]!.toFixed(3)} → ${a.loss.toFixed(4)}, accuracy ${(a.accuracy * 100).toFixed(1)}%, ${ms.toFixed(0)} ms`,
    );
    expect(a.params.length).toBe(mlpLayout(sizes).count);
    expect(a.loss).toBeLessThan(0.1);
    expect(a.accuracy).toBeGreaterThan(0.95);
    expect(Array.from(b.params)).toEqual(Array.from(c.params));
  });

  it('filter-normalized directions: every filter has its parameter filter’s norm, biases are zero', () => {
    const p = initMlp(sizes, 9);
    const d = filterNormalizedDirection(p, sizes, 4);
    for (const L of mlpLayout(sizes).layers) {
      for (let j = 0; j < L.outDim; j++) {
        let nd = 0,
          np = 0;
        for (let k = 0; k < L.inDim; k++) {
          nd += d[L.w + k * L.outDim + j]! ** 2;
          np += p[L.w + k * L.outDim + j]! ** 2;
        }
        expect(Math.sqrt(nd)).toBeCloseTo(Math.sqrt(np), 5);
      }
      for (let j = 0; j < L.outDim; j++) expect(d[L.b + j]).toBe(0);
    }
  });

  it('the slice at the origin is the trained loss; its gradient matches differences', () => {
    const net = trainMlp({ seed: 2, steps: 300, data });
    const d1 = filterNormalizedDirection(net.params, sizes, 11);
    const d2 = filterNormalizedDirection(net.params, sizes, 12);
    const input = { sizes, params: net.params, d1, d2, data, resolution: 5, domain: [-1, 1, -1, 1] as [number, number, number, number] };
    const s = sliceReference(input);
    expect(s.data[12]).toBeCloseTo(net.loss, 12);
    const h = 1e-6;
    const g = sliceLossAndGrad(input, 0.3, -0.2).grad;
    const na = (sliceLossAndGrad(input, 0.3 + h, -0.2).loss - sliceLossAndGrad(input, 0.3 - h, -0.2).loss) / (2 * h);
    const nb = (sliceLossAndGrad(input, 0.3, -0.2 + h).loss - sliceLossAndGrad(input, 0.3, -0.2 - h).loss) / (2 * h);
    expect(g[0]).toBeCloseTo(na, 6);
    expect(g[1]).toBeCloseTo(nb, 6);
  });
});
