/**
 * The GPU runtime: adapter and features, tensors, buffer accounting, the pipeline
 * cache, dispatch folding, timing, device loss and recovery, missing WebGPU.
 */
import { describe, expect, inject, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();
/** The adapter the browser was launched for (KS_ADAPTER): swiftshader, lavapipe or default. */
const adapter = inject('adapter');

describe('requestGpu', () => {
  it('reports the adapter, its limits and optional features', async () => {
    const r = await harness().page.evaluate(() => ({
      info: window.gpu.info,
      features: window.gpu.features,
      maxWg: window.gpu.limits.maxComputeWorkgroupsPerDimension,
      maxInvocations: window.gpu.limits.maxComputeInvocationsPerWorkgroup,
    }));
    // One line in the log says what this run measured on.
    console.log(
      `adapter (${adapter}): ${JSON.stringify(r.info)} features ${JSON.stringify(r.features)} maxComputeInvocationsPerWorkgroup ${r.maxInvocations}`,
    );
    // The WebGPU spec lets every info string be empty (lavapipe through Dawn's GLES backend
    // reports none): check their types, and the name only where the adapter is known to give it.
    for (const field of ['vendor', 'architecture', 'device', 'description'] as const) {
      expect(typeof r.info[field], `info.${field}`).toBe('string');
    }
    if (adapter === 'swiftshader') expect(r.info.architecture).toBe('swiftshader');
    expect(r.info.featureLevel).toBe(inject('featureLevel'));
    expect(typeof r.info.isFallbackAdapter).toBe('boolean');
    // Subgroup sizes, where reported, are powers of two with min <= max; never assumed.
    const { subgroupMinSize: min, subgroupMaxSize: max } = r.info;
    if (min !== null && max !== null) {
      expect(min).toBeLessThanOrEqual(max);
      for (const size of [min, max]) expect(Math.log2(size) % 1, `subgroup size ${size}`).toBe(0);
    }
    expect(typeof r.features.subgroups).toBe('boolean');
    expect(typeof r.features.timestampQuery).toBe('boolean');
    expect(r.maxWg).toBeGreaterThanOrEqual(65535);
    // Core's default is 256; compatibility mode's is 128 (requestGpu raises it to the adapter's maximum).
    expect(r.maxInvocations).toBeGreaterThanOrEqual(r.info.featureLevel === 'compatibility' ? 128 : 256);
  });

  it('throws WebGPUUnavailableError when navigator.gpu is missing', async () => {
    const result = await harness().page.evaluate(async () => {
      Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
      try {
        await window.ks.requestGpu();
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      } finally {
        delete (navigator as unknown as Record<string, unknown>).gpu;
      }
    });
    expect(result).toMatch(/^WebGPUUnavailableError: .*navigator\.gpu is missing/);
  });

  it('throws WebGPUUnavailableError when requestAdapter() returns null', async () => {
    const result = await harness().page.evaluate(async () => {
      const original = navigator.gpu.requestAdapter;
      navigator.gpu.requestAdapter = async () => null;
      try {
        await window.ks.requestGpu();
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      } finally {
        navigator.gpu.requestAdapter = original;
      }
    });
    expect(result).toMatch(/^WebGPUUnavailableError: .*returned null/);
  });
});

describe('Tensor and buffer accounting', () => {
  it('uploads, reads back and books bytes in and out', async () => {
    const r = await harness().page.evaluate(async () => {
      const { Tensor } = window.ks;
      const gpu = window.gpu;
      const before = gpu.memory.liveBytes;
      const t = Tensor.fromData(gpu, [1, 2, 3, 4, 5, 6], [2, 3]);
      const during = gpu.memory.liveBytes - before;
      const back = Array.from(await t.read());
      t.destroy();
      t.destroy();
      return { back, during, after: gpu.memory.liveBytes - before, shape: t.shape };
    });
    expect(r.back).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.during).toBe(24);
    expect(r.after).toBe(0);
  });

  it('measures the peak and every allocation inside a window', async () => {
    const r = await harness().page.evaluate(async () => {
      const { Tensor } = window.ks;
      const gpu = window.gpu;
      const { memory } = await gpu.memory.measure(async () => {
        const a = Tensor.zeros(gpu, [256], 'a');
        const b = Tensor.zeros(gpu, [512], 'b');
        a.destroy();
        b.destroy();
        const c = Tensor.zeros(gpu, [64], 'c');
        c.destroy();
      });
      return memory;
    });
    expect(r.peakDeltaBytes).toBe(256 * 4 + 512 * 4);
    expect(r.allocations.map((a) => [a.label, a.bytes])).toEqual([
      ['a', 1024],
      ['b', 2048],
      ['c', 256],
    ]);
  });

  it('rejects data whose length is not the shape product, before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const created = window.gpu.memory.created;
      try {
        window.ks.Tensor.fromData(window.gpu, [1, 2, 3], [2, 2]);
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message} / created ${window.gpu.memory.created - created}`;
      }
    });
    expect(r).toBe('ShapeError: tensor: data has 3 values but its shape holds 4 (data=[2, 2]) / created 0');
  });

  it('a zero-size tensor has no buffer and reads back empty', async () => {
    const r = await harness().page.evaluate(async () => {
      const t = window.ks.Tensor.zeros(window.gpu, [0, 5]);
      const back = await t.read();
      t.destroy();
      return { n: back.length, size: t.size };
    });
    expect(r).toEqual({ n: 0, size: 0 });
  });
});

describe('kernels through the runtime (scale)', () => {
  it('computes alpha·x + beta and caches one pipeline for every size', async () => {
    const r = await harness().page.evaluate(async () => {
      const { scale, pipelineCount } = window.ks;
      const gpu = window.gpu;
      const outs: number[][] = [];
      for (const n of [1, 7, 300]) {
        const x = Float32Array.from({ length: n }, (_, i) => i - 3);
        const y = await scale(gpu, { data: x, shape: [n] }, 2, 0.5);
        outs.push(Array.from(await y.read()));
        y.destroy();
      }
      return { outs, pipelines: pipelineCount(gpu.device) };
    });
    expect(r.outs[1]).toEqual([-5.5, -3.5, -1.5, 0.5, 2.5, 4.5, 6.5]);
    expect(r.outs[2]![299]).toBe(2 * 296 + 0.5);
    expect(r.pipelines).toBe(1);
  });

  it('runs concurrent kernel calls on one device without mixing their error scopes', async () => {
    const r = await harness().page.evaluate(async () => {
      const { scale } = window.ks;
      const gpu = window.gpu;
      const outs = await Promise.all([1, 2, 3, 4, 5, 6].map((a) => scale(gpu, { data: [1, 2], shape: [2] }, a)));
      const values = await Promise.all(outs.map((t) => t.read()));
      outs.forEach((t) => t.destroy());
      return values.map((v) => Array.from(v));
    });
    expect(r).toEqual([1, 2, 3, 4, 5, 6].map((a) => [a, 2 * a]));
  });

  it('folds a dispatch past 65,535 workgroups and covers every element', async () => {
    const r = await harness().page.evaluate(async () => {
      const { scale, Tensor } = window.ks;
      const gpu = window.gpu;
      const n = 65_535 * 256 + 1000; // 65,539 workgroups of 256
      const x = Tensor.zeros(gpu, [n]);
      const y = await scale(gpu, x, 1, 3);
      const back = await y.read();
      x.destroy();
      y.destroy();
      let bad = 0;
      for (let i = 0; i < n; i++) if (back[i] !== 3) bad++;
      return { bad, last: back[n - 1] };
    });
    expect(r).toEqual({ bad: 0, last: 3 });
  });

  it('times GPU work with the best timer the device has', async () => {
    const r = await harness().page.evaluate(async () => {
      const { scale, Tensor } = window.ks;
      const gpu = window.gpu;
      const x = Tensor.zeros(gpu, [1 << 16]);
      const { result, timing } = await gpu.time(() => scale(gpu, x, 2, 1));
      result.destroy();
      x.destroy();
      return { timing, ts: gpu.features.timestampQuery };
    });
    expect(r.timing.timer).toBe(r.ts ? 'timestamp-query' : 'submit-to-done');
    expect(r.timing.passes).toBe(1);
    expect(r.timing.gpuMs).toBeGreaterThan(0);
    expect(r.timing.wallMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a failed allocation as a typed error (out of memory, or a lost device), then carries on', async () => {
    const r = await harness().page.evaluate(async () => {
      const { scale } = window.ks;
      const gpu = window.gpu;
      const generation = gpu.generation;
      // Two live buffers of maxBufferSize each, through the runtime's own allocator (a Tensor
      // that big is refused up front, past maxStorageBufferBindingSize): SwiftShader's device
      // heap cannot hold them, and the next submit settles their out-of-memory scopes.
      const bytes = gpu.limits.maxBufferSize;
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
      const huge: GPUBuffer[] = [];
      let outcome = 'ran';
      try {
        huge.push(gpu.createBuffer('huge-a', bytes, usage));
        huge.push(gpu.createBuffer('huge-b', bytes, usage));
        (await scale(gpu, { data: [1], shape: [1] }, 2)).destroy();
      } catch (e) {
        const name = e instanceof window.ks.KernelscopeError ? (e as Error).name : `untyped ${(e as Error).name}`;
        outcome = `${name}: ${(e as Error).message.split('\n')[0]}`;
      } finally {
        for (const buffer of huge) gpu.release(buffer);
      }
      const after = await scale(gpu, { data: [1, 2], shape: [2] }, 3);
      const values = Array.from(await after.read());
      after.destroy();
      return { outcome, values, replaced: gpu.generation - generation };
    });
    console.log(`failed allocation (${adapter}): ${r.outcome}`);
    const outOfMemory = /^GpuOutOfMemoryError: (huge-a|huge-b|scale[\w:]*): out of GPU memory allocating \d+ bytes/;
    // Dawn's OpenGL ES backend (lavapipe) cannot report it: glBufferData fails and the device is lost.
    // (Only the message's first line is kept: the driver's reason can span several.)
    const lost = /^DeviceLostError: [\w:.-]+: the GPU device was lost \(/;
    if (adapter === 'swiftshader') {
      expect(r.outcome).toMatch(outOfMemory);
    } else if (adapter === 'lavapipe') {
      expect(r.outcome, 'never "ran", never an untyped error').toSatisfy((o: string) => outOfMemory.test(o) || lost.test(o));
    } else if (r.outcome !== 'ran') {
      // A real GPU may hold both buffers; if it cannot, the error must still be typed.
      expect(r.outcome).toSatisfy((o: string) => outOfMemory.test(o) || lost.test(o));
    }
    // The next call works: on the same device after out-of-memory, on a new one after a loss.
    expect(r.values).toEqual([3, 6]);
    expect(r.replaced).toBe(r.outcome.startsWith('DeviceLostError') ? 1 : 0);
  });

  it('raises DeviceLostError when the device is destroyed mid-work, then recovers', async () => {
    const r = await harness().page.evaluate(async () => {
      const { scale, Tensor } = window.ks;
      const gpu = window.gpu;
      const generation = gpu.generation;
      const x = Tensor.fromData(gpu, [1, 2, 3], [3]);
      const y = await scale(gpu, x, 2);
      gpu.destroy();
      let first = 'no error';
      try {
        await y.read();
      } catch (e) {
        first = (e as Error).name;
      }
      let stale = 'no error';
      try {
        await scale(gpu, x);
      } catch (e) {
        stale = (e as Error).name;
      }
      const fresh = await scale(gpu, { data: [1, 2, 3], shape: [3] }, 2);
      const values = Array.from(await fresh.read());
      fresh.destroy();
      x.destroy();
      y.destroy();
      return { first, stale, values, regenerated: gpu.generation === generation + 1, live: gpu.memory.liveBuffers };
    });
    expect(r.first).toBe('DeviceLostError');
    expect(r.stale).toBe('DeviceLostError');
    expect(r.values).toEqual([2, 4, 6]);
    expect(r.regenerated).toBe(true);
  });
});
