/**
 * jax-js (`@jax-js/jax`) with its WebGPU backend as a peer. Each case is one
 * `jit`-compiled function, jax-js's fast path (it fuses element-wise work into its
 * kernels):
 * - matmul: `np.matmul(a, b)`;
 * - softmax: `nn.softmax(x, -1)`;
 * - attention, composed from its ops: `softmax(q·kᵀ·(1/√d) + mask) · v` on
 *   [B,H,N,d], where the causal mask is an additive [N,N] array (0 on and below the
 *   diagonal, −1e9 above), built once, as for TF.js.
 *
 * Inputs are jax-js arrays placed on the WebGPU device once, in `prepare` (a jitted
 * call runs on its arguments' device). `run`
 * times the call and `blockUntilReady()` (jax-js is lazy: that dispatches the work
 * and waits for it on the GPU), then the queue being idle. Peak bytes are counted on
 * jax-js's device (device-bytes.ts, `peakSource` 'device buffers'): the most bytes held
 * at once in buffers created and not destroyed, from before the inputs are placed to
 * the end of the timed calls, its intermediates and pool included.
 *
 * jax-js creates its own device and asks `navigator.gpu.requestAdapter()` for a core
 * adapter. On a compatibility-only adapter (lavapipe through OpenGL ES) the page's
 * feature level is added to that one request, so it runs on the same adapter as ours.
 */
import { blockUntilReady, getWebGPUDevice, init, jit, nn, numpy as np, type Array as JaxArray } from '@jax-js/jax';
import type { CaseInputs } from '../inputs';
import type { PreparedRun } from '../runner';
import type { BenchCase } from '../types';
import { PeerUnavailableError, scoped } from './peer-device';
import { trackDeviceBytes } from './device-bytes';
import { causalBias } from './layout';
import type { Peer, PeerContext } from './types';

const WHO = 'jaxjs';
/** The version pinned in package.json (the package does not export it). */
const VERSION = '0.1.25';

let ready: Promise<GPUDevice> | null = null;

/**
 * Starts jax-js's WebGPU backend once per page. With a compatibility adapter,
 * `requestAdapter` gets the feature level for the duration of `init` only.
 */
async function startWebGpu(ctx: PeerContext): Promise<GPUDevice> {
  ready ??= (async () => {
    const gpu = navigator.gpu;
    if (!gpu) throw new PeerUnavailableError(`${WHO} peer: navigator.gpu is missing`);
    const patch = ctx.featureLevel === 'compatibility';
    if (patch) {
      // An own property shadows GPU.prototype.requestAdapter until it is deleted below.
      const original = gpu.requestAdapter;
      gpu.requestAdapter = (options?: GPURequestAdapterOptions) =>
        original.call(gpu, { ...options, featureLevel: 'compatibility' } as GPURequestAdapterOptions);
    }
    try {
      const devices = await init('webgpu');
      if (!devices.includes('webgpu')) throw new PeerUnavailableError(`${WHO} peer: jax-js found no WebGPU adapter or device here`);
    } finally {
      if (patch) delete (gpu as Partial<GPU>).requestAdapter;
    }
    const device = getWebGPUDevice();
    trackDeviceBytes(device);
    return device;
  })();
  ready.catch(() => (ready = null));
  return ready;
}

/** The case's jitted function and its held input arrays. */
function caseFunction(c: BenchCase, inputs: CaseInputs): { fn: ((...xs: JaxArray[]) => JaxArray) & { dispose(): void }; args: JaxArray[] } {
  const put = (x: CaseInputs[string]) => np.array(x.data, { shape: [...x.shape], device: 'webgpu' });
  switch (c.suite) {
    case 'matmul':
      return { fn: jit((a: JaxArray, b: JaxArray) => np.matmul(a, b)), args: [put(inputs.a!), put(inputs.b!)] };
    case 'softmax':
      return { fn: jit((x: JaxArray) => nn.softmax(x, -1)), args: [put(inputs.x!)] };
    case 'attention': {
      const { N, d } = c.params as Record<string, number>;
      const scale = 1 / Math.sqrt(d!);
      const args = [put(inputs.q!), put(inputs.k!), put(inputs.v!)];
      if (!c.params.causal) {
        const fn = jit((q: JaxArray, k: JaxArray, v: JaxArray) =>
          np.matmul(nn.softmax(np.matmul(q, np.swapaxes(k, -1, -2)).mul(scale), -1), v),
        );
        return { fn, args };
      }
      args.push(np.array(causalBias(N!), { shape: [N!, N!], device: 'webgpu' }));
      const fn = jit((q: JaxArray, k: JaxArray, v: JaxArray, mask: JaxArray) =>
        np.matmul(
          nn.softmax(
            np
              .matmul(q, np.swapaxes(k, -1, -2))
              .mul(scale)
              .add(mask),
            -1,
          ),
          v,
        ),
      );
      return { fn, args };
    }
    default:
      throw new PeerUnavailableError(`${WHO} peer: no ${c.suite} implementation`);
  }
}

/** Creates (once per page) the jax-js peer on its WebGPU backend. */
export async function createJaxjsPeer(ctx: PeerContext): Promise<Peer> {
  const device = await startWebGpu(ctx);
  return {
    id: WHO,
    label: `jax-js ${VERSION} (webgpu, jit)`,
    supports: (c) => c.suite === 'matmul' || c.suite === 'softmax' || c.suite === 'attention',
    async prepare(c: BenchCase, inputs: CaseInputs): Promise<PreparedRun> {
      const held = trackDeviceBytes(device);
      const mark = held.mark();
      const { fn, args } = caseFunction(c, inputs);
      await blockUntilReady(args);
      let last: JaxArray | null = null;
      const keep = (y: JaxArray | null) => {
        last?.dispose();
        last = y;
      };
      return {
        async run() {
          let wallMs = 0;
          await scoped(WHO, device, async () => {
            const t0 = performance.now();
            // jax-js functions own their arguments: pass new references, keep ours.
            const y = fn(...args.map((a) => a.ref));
            await y.blockUntilReady();
            await device.queue.onSubmittedWorkDone();
            wallMs = performance.now() - t0;
            keep(y);
          });
          return { wallMs, gpuMs: null, gpuTimer: null };
        },
        async peak() {
          if (!last) throw new Error(`${WHO} peer: peak() before any run`);
          // A pool that reuses an earlier case's buffers hides them: never below the inputs plus the output.
          const bound = args.reduce((sum, a) => sum + a.size * 4, 0) + (last as JaxArray).size * 4;
          return { bytes: Math.max(held.peakSince(mark), bound), source: 'device buffers' };
        },
        async read() {
          if (!last) throw new Error(`${WHO} peer: read() before any run`);
          const data = await (last as JaxArray).ref.data();
          return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
        },
        dispose() {
          keep(null);
          for (const a of args) a.dispose();
          fn.dispose();
        },
      };
    },
  };
}
