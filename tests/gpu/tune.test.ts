/**
 * The autotuner on the GPU: it checks every candidate against the reference, keeps
 * the fastest for a fake timer deterministically, and 'auto' then runs the tuned
 * configuration; with tuning off the shipped default table is used; records persist.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

describe('tune', () => {
  it('keeps the fastest correct matmul configuration for a fake timer, and auto uses it', async () => {
    const r = await harness().page.evaluate(async () => {
      const { tune } = await window.ksImport('/src/tune/tune.ts');
      const { planMatmul, resolveMatmulProblem, resolveMatmulOptions } = await window.ksImport('/src/kernels/matmul.ts');
      const gpu = window.gpu;
      gpu.tuning.clear();
      const problem = resolveMatmulProblem('matmul', [128, 128], [128, 128], resolveMatmulOptions('matmul', undefined));
      const before = planMatmul(gpu, 'matmul', problem, 'auto');
      // A fake clock: 'tiled' is "fastest", every other candidate slower, by label.
      const timer = async (work: () => Promise<void>, label: string) => {
        await work();
        return label.includes('"tiled"') ? 1 : 5 + label.length / 100;
      };
      const first = await tune(gpu, 'matmul', 'large', { timer, repeats: 2, size: 64 });
      const second = await tune(gpu, 'matmul', 'large', { timer, repeats: 2, size: 64 });
      const after = planMatmul(gpu, 'matmul', problem, 'auto');
      gpu.tuning.enabled = false;
      const off = planMatmul(gpu, 'matmul', problem, 'auto');
      gpu.tuning.enabled = true;
      gpu.tuning.clear();
      return {
        before: before.variant,
        chosen: first.record?.config,
        again: second.record?.config,
        allCorrect: first.candidates.every((c: { correct: boolean }) => c.correct),
        count: first.candidates.length,
        after: after.variant,
        afterTuned: after.tuned,
        off: off.variant,
        offTuned: off.tuned,
        measuredOn: first.record?.measuredOn,
      };
    });
    expect(r.allCorrect).toBe(true);
    expect(r.count).toBeGreaterThan(2);
    expect(r.chosen).toEqual({ variant: 'tiled' });
    expect(r.again).toEqual(r.chosen);
    expect(r.after).toBe('tiled');
    expect(r.afterTuned).toBe(true);
    expect(r.off).toBe(r.before);
    expect(r.offTuned).toBe(false);
    expect(r.measuredOn).toBe('matmul 64×64×64');
  });

  it('tunes the flash layout, checks each against the reference, and persists to IndexedDB', async () => {
    const r = await harness().page.evaluate(async () => {
      const { tune, loadTuning } = await window.ksImport('/src/tune/tune.ts');
      const { indexedDbStore } = await window.ksImport('/src/tune/store.ts');
      const { flashConfigFor } = await window.ksImport('/src/kernels/tuned.ts');
      const gpu = window.gpu;
      gpu.tuning.clear();
      const store = indexedDbStore(`ks-tune-test-${Date.now()}`);
      const timer = async (work: () => Promise<void>, label: string) => {
        await work();
        return label.includes('"WG":64') ? 1 : 3;
      };
      const result = await tune(gpu, 'attention:flash', 'd64', { timer, repeats: 1, size: 40, store });
      gpu.tuning.clear();
      const defaultAgain = flashConfigFor(gpu, { d: 64, dv: 64, causal: false });
      const loaded = await loadTuning(gpu, store);
      const tunedAgain = flashConfigFor(gpu, { d: 64, dv: 64, causal: false });
      const otherClass = flashConfigFor(gpu, { d: 128, dv: 128, causal: false });
      gpu.tuning.clear();
      return { result, defaultAgain, loaded, tunedAgain, otherClass };
    });
    expect(r.result.candidates.every((c: { correct: boolean }) => c.correct)).toBe(true);
    expect(r.result.record.config).toEqual({ layout: 'rows', WG: 64, R: 4, KB: 8, acc: 'buffer' });
    expect(r.loaded).toBe(1);
    expect(r.tunedAgain).toEqual({ layout: 'rows', WG: 64, R: 4, KB: 8, acc: 'buffer' });
    expect(r.defaultAgain).not.toEqual(r.tunedAgain);
    expect(r.otherClass).toEqual(r.defaultAgain);
  });

  it('tunes softmax for a row-length class, and softmax then runs the tuned configuration', async () => {
    const r = await harness().page.evaluate(async () => {
      const { tune } = await window.ksImport('/src/tune/tune.ts');
      const { resolveSoftmaxConfig } = await window.ksImport('/src/kernels/softmax.ts');
      const gpu = window.gpu;
      gpu.tuning.clear();
      const timer = async (work: () => Promise<void>, label: string) => {
        await work();
        return label.includes('"workgroupSize":128') && label.includes('rows') ? 1 : 2;
      };
      const result = await tune(gpu, 'softmax', 'medium', { timer, repeats: 1, size: 16 });
      const medium = resolveSoftmaxConfig('softmax', gpu, 100, 1000, undefined);
      const short = resolveSoftmaxConfig('softmax', gpu, 100, 100, undefined);
      gpu.tuning.clear();
      return { result, medium, short };
    });
    expect(r.result.candidates.every((c: { correct: boolean }) => c.correct)).toBe(true);
    expect(r.result.record.config).toEqual({ variant: 'rows', workgroupSize: 128, rowsPerInvocation: 1 });
    expect(r.medium).toEqual(r.result.record.config);
    expect(r.short).not.toEqual(r.result.record.config);
  });

  it('rejects an unknown kernel or shape class with InvalidArgumentError before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const { tune } = await window.ksImport('/src/tune/tune.ts');
      const gpu = window.gpu;
      const before = gpu.memory.created;
      const errs: string[] = [];
      for (const [k, c] of [
        ['conv', 'large'],
        ['matmul', 'huge'],
        ['constructor', 'large'],
        ['matmul', '__proto__'],
      ]) {
        try {
          await tune(gpu, k!, c!);
          errs.push('no error');
        } catch (e) {
          errs.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      }
      return { errs, created: gpu.memory.created - before };
    });
    expect(r.created).toBe(0);
    for (const e of r.errs) expect(e).toMatch(/^InvalidArgumentError: tune: (kernel|shapeClass) must be one of/);
  });
});
