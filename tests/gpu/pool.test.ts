/**
 * The runtime's pool of idle buffers for outputs a kernel fully overwrites: reuse by
 * size, honest accounting (pooled bytes are not live), zeroed tensors never pooled,
 * a bounded pool, and a lost device leaving nothing pooled behind.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

describe('overwritable buffer pool', () => {
  it('reuses a destroyed output of the same size, books it out while idle, and never pools zeros', async () => {
    const r = await harness().page.evaluate(async () => {
      const { Tensor } = window.ks;
      const gpu = window.gpu;
      gpu.trimPool();
      const live0 = gpu.memory.liveBytes;
      const a = Tensor.output(gpu, [64, 16], 'pool:a');
      const bufA = a.buffer;
      a.destroy();
      const idleLive = gpu.memory.liveBytes - live0;
      const pooled = gpu.pooledBytes;
      const b = Tensor.output(gpu, [16, 64], 'pool:b'); // same bytes, other shape
      const reused = b.buffer === bufA;
      const c = Tensor.output(gpu, [65, 16], 'pool:c'); // other size: a new buffer
      const fresh = c.buffer !== bufA;
      b.destroy();
      c.destroy();
      const z = Tensor.zeros(gpu, [64, 16], 'pool:z');
      const zeroFromPool = z.buffer === bufA;
      const zeros = Array.from(await z.read()).every((x) => x === 0);
      z.destroy();
      gpu.poolLimitBytes = 0;
      const d = Tensor.output(gpu, [8], 'pool:d');
      const before = gpu.pooledBytes;
      d.destroy();
      const overLimit = gpu.pooledBytes === before;
      gpu.poolLimitBytes = 256 * 1024 * 1024;
      gpu.trimPool();
      return { idleLive, pooled, reused, fresh, zeroFromPool, zeros, overLimit, after: gpu.pooledBytes };
    });
    expect(r.idleLive).toBe(0);
    expect(r.pooled).toBe(64 * 16 * 4);
    expect(r.reused).toBe(true);
    expect(r.fresh).toBe(true);
    expect(r.zeroFromPool).toBe(false);
    expect(r.zeros).toBe(true);
    expect(r.overLimit).toBe(true);
    expect(r.after).toBe(0);
  });

  it('matmul and softmax outputs written into reused buffers are exact, and a lost device empties the pool', async () => {
    const r = await harness().page.evaluate(async () => {
      const { matmul } = await window.ksImport('/src/kernels/matmul.ts');
      const { softmax } = await window.ksImport('/src/kernels/softmax.ts');
      const gpu = window.gpu;
      const a = { data: Float32Array.from({ length: 12 }, (_, i) => i - 5), shape: [3, 4] };
      const b = { data: Float32Array.from({ length: 20 }, (_, i) => (i % 3) - 1), shape: [4, 5] };
      const first = await matmul(gpu, a, b);
      const want = Array.from(await first.read());
      first.destroy(); // its buffer goes to the pool, holding `want`
      const junk = await softmax(gpu, { data: new Float32Array(15).fill(3), shape: [3, 5] }); // reuses it
      const soft = Array.from(await junk.read());
      junk.destroy();
      const again = await matmul(gpu, a, b);
      const got = Array.from(await again.read());
      again.destroy();
      const pooledBefore = gpu.pooledBytes;
      gpu.destroy();
      await new Promise((res) => setTimeout(res, 50));
      await gpu.ready('pool test');
      return { want, got, soft, pooledBefore, pooledAfter: gpu.pooledBytes };
    });
    expect(r.got).toEqual(r.want);
    for (const x of r.soft) expect(x).toBeCloseTo(0.2, 6);
    expect(r.pooledBefore).toBeGreaterThan(0);
    expect(r.pooledAfter).toBe(0);
  });
});
