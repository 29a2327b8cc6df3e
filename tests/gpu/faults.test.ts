/**
 * Faults inside a submit: when the GPU process fails under the device (out of memory
 * during the work, a crash), `popErrorScope()` rejects with a raw `OperationError`.
 * The caller must get a typed error, never the raw one, and the next call must work.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

describe('faults during a submit', () => {
  it('a rejected error scope becomes DeviceLostError, and the next call re-acquires a device', async () => {
    const r = await harness().page.evaluate(async () => {
      const { matmul } = await window.ksImport('/src/kernels/matmul.ts');
      const gpu = window.gpu;
      const a = { data: new Float32Array(6).fill(1), shape: [2, 3] };
      const b = { data: new Float32Array(12).fill(2), shape: [3, 4] };
      const device = gpu.device;
      const generation = gpu.generation;
      const original = device.popErrorScope.bind(device);
      // Every scope of this device now fails the way Chrome's does when its GPU process dies.
      device.popErrorScope = () => {
        void original().catch(() => {});
        return Promise.reject(new DOMException('the GPU process failed', 'OperationError'));
      };
      let first = 'no error';
      try {
        (await matmul(gpu, a, b)).destroy();
      } catch (e) {
        first = `${(e as Error).name}: ${(e as Error).message}`;
      }
      const after = await matmul(gpu, a, b);
      const values = Array.from(await after.read());
      after.destroy();
      return { first, values, replaced: gpu.generation > generation, sameDevice: gpu.device === device };
    });
    expect(r.first).toMatch(/^(DeviceLostError|GpuOutOfMemoryError): /);
    expect(r.first).not.toMatch(/^OperationError/);
    expect(r.replaced).toBe(true);
    expect(r.sameDevice).toBe(false);
    expect(r.values).toEqual(new Array(8).fill(6));
  });

  it('a tensor of the abandoned device is refused with DeviceLostError before any GPU work', async () => {
    const r = await harness().page.evaluate(async () => {
      const { matmul } = await window.ksImport('/src/kernels/matmul.ts');
      const { Tensor } = window.ks;
      const gpu = window.gpu;
      const stale = Tensor.fromData(gpu, new Float32Array(4).fill(1), [2, 2]);
      gpu.destroy();
      await new Promise((res) => setTimeout(res, 50));
      await gpu.ready('test');
      const before = gpu.memory.created;
      let message = 'no error';
      try {
        await matmul(gpu, stale, { data: new Float32Array(4), shape: [2, 2] });
      } catch (e) {
        message = `${(e as Error).name}: ${(e as Error).message}`;
      }
      stale.destroy();
      return { message, created: gpu.memory.created - before };
    });
    expect(r.message).toMatch(/^DeviceLostError: /);
    expect(r.created).toBe(0);
  });
});
