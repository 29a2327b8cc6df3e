/**
 * The MLP loss slice on the GPU (perturb → batched matmul → bias+tanh → xent)
 * against its CPU reference: the slice at the origin is the trained loss, the
 * whole grid passes the tolerance rule (f64 oracle, f32 baseline), chunking
 * does not change the result, and bad input fails before any GPU work.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

describe('mlpSlice', () => {
  it('at the origin equals the trained loss, and the grid matches the CPU reference (chunked and not)', async () => {
    const r = await harness().page.evaluate(async () => {
      const { mlpSlice } = await window.ksImport('/src/kernels/landscape.ts');
      const M = await window.ksImport('/src/reference/mlp.ts');
      const data = M.twoSpirals(40, 3);
      const net = M.trainMlp({ seed: 3, steps: 200, data });
      const sizes = net.sizes;
      const input = {
        sizes,
        params: net.params,
        data,
        resolution: 7,
        domain: [-0.6, 0.6, -0.6, 0.6],
        d1: M.filterNormalizedDirection(net.params, sizes, 21),
        d2: M.filterNormalizedDirection(net.params, sizes, 22),
      };
      const t = await mlpSlice(window.gpu, input);
      const gpu = Array.from(await t.read()) as number[];
      t.destroy();
      const t2 = await mlpSlice(window.gpu, input, { chunk: 10 });
      const chunked = Array.from(await t2.read()) as number[];
      t2.destroy();
      const oracle = M.sliceReference(input).data;
      const base = M.sliceReference(input, Math.fround).data;
      const grid = window.ks.checkTolerance(gpu, oracle, base, 1e-6);
      const centre = 3 * 7 + 3;
      const origin = window.ks.checkTolerance([gpu[centre]!], [net.loss], [M.mlpLoss(net.params, sizes, data, Math.fround)], 1e-6);
      return {
        grid,
        origin,
        atOrigin: gpu[centre],
        trained: net.loss,
        chunkedSame: chunked.every((v, i) => v === gpu[i]),
        min: Math.min(...gpu),
        max: Math.max(...gpu),
      };
    });
    console.log(
      `mlpSlice: origin ${r.atOrigin} vs trained ${r.trained} (ratio ${r.origin.ratio.toFixed(3)}); grid ratio ${r.grid.ratio.toFixed(3)}, range ${r.min.toFixed(3)}…${r.max.toFixed(3)}`,
    );
    expect(r.origin.ok, JSON.stringify(r.origin)).toBe(true);
    expect(r.grid.ok, JSON.stringify(r.grid)).toBe(true);
    expect(r.chunkedSame).toBe(true);
    expect(r.max).toBeGreaterThan(r.min);
  });

  it('binding tables match the WGSL', async () => {
    const r = await harness().page.evaluate(async () => {
      const L = await window.ksImport('/src/kernels/landscape.ts');
      return [L.PERTURB_KERNEL, L.BIAS_ACT_KERNEL, L.XENT_KERNEL].map((spec: any) => ({
        table: spec.bindings,
        wgsl: window.ks.parseWgslBindings(spec.code).map((b: any) => ({ name: b.name, kind: b.kind })),
      }));
    });
    for (const k of r) expect(k.wgsl).toEqual(k.table);
  });

  it('rejects bad input with typed errors before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const { mlpSlice } = await window.ksImport('/src/kernels/landscape.ts');
      const M = await window.ksImport('/src/reference/mlp.ts');
      const sizes = [2, 4, 2];
      const P = M.mlpLayout(sizes).count;
      const data = M.twoSpirals(5, 1);
      const ok = {
        sizes,
        params: new Float32Array(P),
        d1: new Float32Array(P),
        d2: new Float32Array(P),
        data,
        resolution: 4,
        domain: [-1, 1, -1, 1],
      };
      const created = window.gpu.memory.created;
      const bad = [
        { ...ok, params: new Float32Array(P + 1) },
        { ...ok, resolution: 10_000 },
        { ...ok, domain: [1, -1, 0, 1] },
        { ...ok, sizes: [2, 0, 2] },
      ];
      const names: string[] = [];
      for (const b of bad) {
        try {
          await mlpSlice(window.gpu, b);
          names.push('no error');
        } catch (e) {
          names.push((e as Error).name);
        }
      }
      return { names, created: window.gpu.memory.created - created };
    });
    expect(r.names).toEqual(['ShapeError', 'InvalidArgumentError', 'InvalidArgumentError', 'InvalidArgumentError']);
    expect(r.created).toBe(0);
  });
});
