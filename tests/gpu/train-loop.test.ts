/**
 * The GPU training loop (issue 15), at tiny sizes on SwiftShader: one whole step
 * equals the CPU reference (batch, forward, loss, backward, clipping, Adam), short
 * seeded runs reduce the loss by a stated factor (the spirals classifier and a small
 * DDPM ε-predictor), a run is reproducible from its seed bit for bit, checkpoints
 * round-trip (JSON and binary) and continue a run exactly, a non-finite loss stops
 * the run with NonFiniteLossError and the last good checkpoint, and bad configs raise
 * typed errors before any GPU work. One throughput line is printed, never asserted.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

/** Imports the page needs, and a tiny DDPM config (two moons, T = 100). */
const SETUP = `
  const T = await window.ksImport('/src/kernels/train/trainer.ts');
  const { twoMoons } = await window.ksImport('/src/data/points.ts');
  const { makeSchedule } = await window.ksImport('/src/problem/ddpm-schedule.ts');
  const ddpmConfig = (o = {}) => ({
    network: { inputs: 2, timeEmbedding: 8, hidden: [32, 32], outputs: 2, activation: 'silu' },
    task: { kind: 'ddpm', data: twoMoons(256, 1), schedule: makeSchedule('cosine', 100) },
    optimizer: { kind: 'adam', lr: 3e-3 },
    batch: 64,
    seed: 7,
    lossEvery: 10,
    ...o,
  });
`;

async function inPage<T>(body: string): Promise<T> {
  // The body is test code written here, run in the harness page (async function body).
  return harness().page.evaluate(`(async () => { ${SETUP} ${body} })()`) as Promise<T>;
}

describe('training loop', () => {
  it('one step equals the float64 reference step (DDPM batch, MLP, MSE, backward, clipping, warm-up, Adam)', async () => {
    const r = await inPage<{ lossGpu: number; lossRef: number; ok: boolean; ratio: number; normRef: number }>(`
      const { resolveTrainConfig } = await window.ksImport('/src/problem/train-config.ts');
      const { initNetworkRef, trainStepRef } = await window.ksImport('/src/reference/train/network.ts');
      const { initialState } = await window.ksImport('/src/reference/optim.ts');
      const cfg = ddpmConfig({ clipNorm: 0.5, schedule: { warmup: 3, total: 10 }, lossEvery: 1 });
      const trainer = await T.Trainer.create(window.gpu, cfg);
      const before = await trainer.parameters.read();
      const p = await trainer.run(2);
      const after = await trainer.parameters.read();
      trainer.destroy();
      const resolved = resolveTrainConfig('test', cfg);
      const ref = Float64Array.from(initNetworkRef(cfg.network, cfg.seed));
      let initErr = 0;
      for (let i = 0; i < ref.length; i++) initErr = Math.max(initErr, Math.abs(ref[i] - before[i]));
      const st = initialState(ref.length);
      trainStepRef(resolved, ref, st);
      const step2 = trainStepRef(resolved, ref, st);
      // The f32 baseline of a whole step is not available; compare against the size of the update instead.
      let maxErr = 0, maxMove = 0;
      for (let i = 0; i < ref.length; i++) {
        maxErr = Math.max(maxErr, Math.abs(after[i] - ref[i]));
        maxMove = Math.max(maxMove, Math.abs(after[i] - before[i]));
      }
      return { lossGpu: p.loss, lossRef: step2.loss, normRef: step2.norm, ok: initErr < 1e-6 && maxErr < 0.01 * maxMove, ratio: maxErr / maxMove };
    `);
    console.log(`one step vs reference: loss ${r.lossGpu} vs ${r.lossRef}, parameter error / update size ${r.ratio.toExponential(2)}`);
    expect(Math.abs(r.lossGpu - r.lossRef)).toBeLessThan(1e-4 * Math.max(1, r.lossRef));
    expect(r.ok).toBe(true);
  });

  it('the spirals classifier: 300 full-batch Adam steps cut the loss at least 10×', async () => {
    const r = await inPage<{ first: number; last: number; reports: number }>(`
      const { twoSpirals } = await window.ksImport('/src/reference/mlp.ts');
      const data = twoSpirals(60, 1);
      const trainer = await T.Trainer.create(window.gpu, {
        network: { inputs: 2, timeEmbedding: 0, hidden: [16, 16], outputs: 2, activation: 'tanh' },
        task: { kind: 'classify', x: data.x, labels: Array.from(data.labels) },
        optimizer: { kind: 'adam', lr: 0.03 },
        seed: 2,
        lossEvery: 50,
      });
      const losses = [];
      let reports = 0;
      await trainer.run(300, { onProgress: (p) => { reports++; losses.push(...p.losses); } });
      trainer.destroy();
      return { first: losses[0], last: losses[losses.length - 1], reports };
    `);
    console.log(`classifier: loss ${r.first.toFixed(4)} → ${r.last.toFixed(4)} (${(r.first / r.last).toFixed(1)}×)`);
    expect(r.reports).toBe(6);
    expect(r.first / r.last).toBeGreaterThan(10);
  });

  it('a DDPM ε-predictor: 200 steps cut the mean loss of the last 20 steps to under 0.8× the first 20', async () => {
    const r = await inPage<{ first: number; last: number; sps: number }>(`
      const trainer = await T.Trainer.create(window.gpu, ddpmConfig({ lossEvery: 50 }));
      const all = [];
      const p = await trainer.run(200, { onProgress: (q) => all.push(...q.losses) });
      trainer.destroy();
      const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
      return { first: mean(all.slice(0, 20)), last: mean(all.slice(-20)), sps: p.stepsPerSecond };
    `);
    console.log(`DDPM (hidden 32×2, batch 64): loss ${r.first.toFixed(4)} → ${r.last.toFixed(4)}, ${r.sps.toFixed(1)} steps/s`);
    expect(r.last).toBeLessThan(0.8 * r.first);
  });

  it('is reproducible from its seed, and checkpoints (JSON, binary) continue a run bit for bit', async () => {
    const r = await inPage<Record<string, boolean>>(`
      const C = await window.ksImport('/src/problem/train-checkpoint.ts');
      const cfg = ddpmConfig({ lossEvery: 5 });
      const same = (a, b) => a.length === b.length && new Uint32Array(a.buffer).every((w, i) => w === new Uint32Array(b.buffer)[i]);
      const a = await T.Trainer.create(window.gpu, cfg);
      const b = await T.Trainer.create(window.gpu, cfg);
      const la = await a.run(10);
      const lb = await b.run(10);
      const seedRepro = same(la.losses, lb.losses) && same(await a.parameters.read(), await b.parameters.read());
      const ck = await a.checkpoint();
      const json = C.checkpointFromJson(C.checkpointToJson(ck));
      const bin = C.checkpointFromBytes(C.checkpointToBytes(ck));
      const c = await T.Trainer.create(window.gpu, cfg, json);
      const d = await T.Trainer.create(window.gpu, cfg);
      await d.load(bin);
      const ckc = await c.checkpoint();
      const roundTrip = C.checkpointToJson(ckc) === C.checkpointToJson(ck);
      const ra = await a.run(10);
      const rc = await c.run(10);
      const rd = await d.run(10);
      const continued = same(ra.losses, rc.losses) && same(ra.losses, rd.losses) && same(await a.parameters.read(), await c.parameters.read());
      const otherSeed = await T.Trainer.create(window.gpu, ddpmConfig({ seed: 8, lossEvery: 5 }));
      const lo = await otherSeed.run(5);
      const differs = !same(lo.losses, la.losses.slice(0, 5));
      for (const t of [a, b, c, d, otherSeed]) t.destroy();
      return { seedRepro, roundTrip, continued, differs, stepKept: ckc.step === 10 };
    `);
    expect(r).toEqual({ seedRepro: true, roundTrip: true, continued: true, differs: true, stepKept: true });
  });

  it('a non-finite loss stops the run with NonFiniteLossError and keeps the last good checkpoint', async () => {
    const r = await inPage<{ name: string; step: number; kept: number | null; finite: boolean; message: string }>(`
      const trainer = await T.Trainer.create(window.gpu, ddpmConfig({ optimizer: { kind: 'sgd', lr: 1000 }, lossEvery: 2 }));
      try {
        await trainer.run(200);
        return { name: 'none', step: -1, kept: null, finite: false, message: '' };
      } catch (e) {
        const ck = e.checkpoint;
        return { name: e.name, step: e.step, kept: ck ? ck.step : null, finite: ck ? ck.params.every(Number.isFinite) : false, message: e.message };
      } finally {
        trainer.destroy();
      }
    `);
    console.log(`non-finite: ${r.message}`);
    expect(r.name).toBe('NonFiniteLossError');
    expect(r.kept).not.toBeNull();
    expect(r.kept!).toBeLessThan(r.step);
    expect(r.finite).toBe(true);
  });

  it('bad configs raise typed errors before any GPU work', async () => {
    const out = await inPage<string[]>(`
      const cls = { network: { inputs: 2, timeEmbedding: 0, hidden: [4], outputs: 2, activation: 'relu' }, task: { kind: 'classify', x: new Float32Array(4), labels: [0, 1] } };
      return window.ksErrorsBeforeGpuWork([
        ['data rows', () => T.Trainer.create(window.gpu, ddpmConfig({ task: { kind: 'ddpm', data: new Float32Array(5), schedule: makeSchedule('cosine', 10) } }))],
        ['label range', () => T.Trainer.create(window.gpu, { ...cls, task: { ...cls.task, labels: [0, 2] } })],
        ['label count', () => T.Trainer.create(window.gpu, { ...cls, task: { ...cls.task, labels: [0] } })],
        ['activation', () => T.Trainer.create(window.gpu, ddpmConfig({ network: { inputs: 2, timeEmbedding: 8, hidden: [4], outputs: 2, activation: 'elu' } }))],
        ['batch', () => T.Trainer.create(window.gpu, ddpmConfig({ batch: 1.5 }))],
      ]);
    `);
    expect(out).toEqual([
      'data rows: ShapeError created 0',
      'label range: InvalidArgumentError created 0',
      'label count: ShapeError created 0',
      'activation: InvalidArgumentError created 0',
      'batch: InvalidArgumentError created 0',
    ]);
  });
});
