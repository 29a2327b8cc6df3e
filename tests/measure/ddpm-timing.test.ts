/**
 * One timing run, not a test of speed: 1000 DDPM steps and 50 DDIM steps of 4096
 * 2-D particles with the exact denoiser of 512 training points. It lives in the
 * `measure` project, which `npm test` does not run: `npm run measure -- ddpm-timing`.
 */
import { expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

it('times DDPM 1000 and DDIM 50 steps of 4096 particles', async () => {
  const r = await harness().page.evaluate(async () => {
    const ddpm = await window.ksImport('/src/kernels/ddpm/index.ts');
    const data = await window.ksImport('/src/data/index.ts');
    const gpu = window.gpu;
    const train = data.twoMoons(512, 12345);
    const s = ddpm.linearSchedule();
    const den = await ddpm.makeOptimalDenoiser(gpu, train, 2);
    const out: Record<string, number | string> = { adapter: `${gpu.info.vendor} ${gpu.info.architecture}`, denoiser: den.name };
    // warm-up: compile the pipelines
    const w = await ddpm.sample(gpu, s, den, { sampler: 'ddim', steps: 2, seed: 1, n: 4096 });
    await w.read();
    w.destroy();
    for (const [sampler, steps] of [
      ['ddim', 50],
      ['ddpm', 1000],
    ] as const) {
      const t0 = performance.now();
      const result = await ddpm.sample(gpu, s, den, { sampler, steps, seed: 7, n: 4096 });
      await result.read();
      result.destroy();
      // Wall time from the first submit to the samples read back (every step is a denoiser and a step kernel).
      out[`${sampler}${steps} ms`] = Math.round(performance.now() - t0);
    }
    den.destroy();
    return out;
  });
  console.log('DDPM timing, 4096 2-D particles, 512 training points:', JSON.stringify(r, null, 1));
  expect(Object.keys(r).length).toBeGreaterThan(2);
}, 900_000);
