/**
 * One measured comparison of naive, flash and linear attention in one browser
 * run: GPU time (median of repeats), measured peak bytes and the largest buffer.
 * It asserts no timing (benchmarks are not tests), only what memory must show:
 * flash allocates no Nq×Nk buffer and naive does.
 *
 * Default N = 128 (fast). The figure: KS_ATTENTION_N=1024 KS_ATTENTION_REPEATS=5.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();
const N = Number(process.env.KS_ATTENTION_N ?? 128);
const REPEATS = Number(process.env.KS_ATTENTION_REPEATS ?? 3);
const D = Number(process.env.KS_ATTENTION_D ?? 64);

describe('attention profile', () => {
  it(`times naive, flash and linear at N = ${N}, d = ${D}, one head, causal off, and measures their peak bytes`, async () => {
    const r = await harness().page.evaluate(
      async (N, d, repeats) => {
        const m = await window.ksImport('/src/kernels/attention.ts');
        const { Tensor, mulberry32, normalArray } = window.ks;
        const gpu = window.gpu;
        const rng = mulberry32(42);
        const shape = [1, 1, N, d];
        const q = Tensor.fromData(gpu, normalArray(rng, N * d), shape);
        const k = Tensor.fromData(gpu, normalArray(rng, N * d), shape);
        const v = Tensor.fromData(gpu, normalArray(rng, N * d), shape);
        const out: Record<string, { ms: number[]; peakDeltaBytes: number; largestBufferBytes: number; timer: string }> = {};
        for (const variant of ['naive', 'flash', 'linear']) {
          const warm = await m.attention(gpu, q, k, v, { variant });
          warm.destroy();
          const ms: number[] = [];
          let peak = 0;
          let largest = 0;
          let timer = '';
          // Interleaving would be fairer on a noisy machine, but compile/warm state is per variant: repeat per variant.
          for (let i = 0; i < repeats; i++) {
            const p = await m.profileAttention(gpu, q, k, v, { variant });
            ms.push(p.timing.gpuMs);
            timer = p.timing.timer;
            peak = Math.max(peak, p.memory.peakDeltaBytes);
            largest = Math.max(largest, p.largestBufferBytes);
            p.output.destroy();
          }
          out[variant] = { ms, peakDeltaBytes: peak, largestBufferBytes: largest, timer };
        }
        q.destroy();
        k.destroy();
        v.destroy();
        return out;
      },
      N,
      D,
      REPEATS,
    );
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const lines = Object.entries(r).map(
      ([name, x]) =>
        `${name.padEnd(6)} median ${median(x.ms).toFixed(1)} ms (${x.ms.map((t) => t.toFixed(1)).join(', ')}; ${x.timer}), peak +${x.peakDeltaBytes} B, largest buffer ${x.largestBufferBytes} B`,
    );
    const ratio = median(r.flash!.ms) / median(r.naive!.ms);
    console.log(
      `attention N=${N} d=${D} H=1 causal off\n${lines.join('\n')}\nflash/naive time ratio ${ratio.toFixed(3)}; N·N·4 = ${N * N * 4} B, N·d·4 = ${N * D * 4} B`,
    );
    expect(r.flash!.largestBufferBytes).toBeLessThan(N * N * 4);
    expect(r.naive!.largestBufferBytes).toBeGreaterThanOrEqual(N * N * 4);
  });
});
