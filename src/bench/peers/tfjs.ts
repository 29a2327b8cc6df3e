/**
 * TensorFlow.js's WebGPU backend as a peer: `tf.matMul`, `tf.softmax`, and
 * composed attention (matMul(q, kᵀ) · scale + causal mask → softmax → matMul with
 * v) on the same shapes and inputs. It gets its own device on the same adapter,
 * with the same raised limits as TF.js asks for itself. Time runs from the op call
 * to its queue being idle; peak bytes come from `tf.profile` (inputs plus the most
 * the op added, as for our side).
 */
import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { CaseInputs } from '../inputs';
import type { PreparedRun } from '../runner';
import type { BenchCase } from '../types';
import { causalBias } from './layout';
import { peerAdapter, peerDevice, scoped } from './peer-device';
import type { Peer, PeerContext } from './types';

// TF.js registers its kernels under the backend name 'webgpu', so our backend (same
// class, our device) must take that name: the default factory is replaced.
const BACKEND = 'webgpu';
let registered = false;

/** Creates (once per page) the TF.js peer on its own device. */
export async function createTfjsPeer(ctx: PeerContext): Promise<Peer> {
  if (!registered) {
    const adapter = await peerAdapter('tfjs', ctx);
    const device = await peerDevice(adapter, ['timestamp-query']);
    const info = adapter.info;
    if (tf.findBackendFactory(BACKEND)) tf.removeBackend(BACKEND);
    tf.registerBackend(BACKEND, () => new WebGPUBackend(device, info));
    registered = true;
  }
  // Run every op on the GPU, however small (TF.js otherwise forwards small ops to the CPU).
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  if (!(await tf.setBackend(BACKEND))) throw new Error('tfjs peer: the WebGPU backend failed to initialize');
  await tf.ready();
  const backend = tf.backend() as WebGPUBackend;

  // Flush what TF.js has batched (it submits every few dispatches on its own), then
  // wait for the queue: the same end point as our side's submit-to-done.
  const pending = backend as unknown as { commandEncoder: GPUCommandEncoder | null };
  const idle = async () => {
    backend.endComputePassEncoder();
    if (pending.commandEncoder) backend.submitQueue();
    await backend.queue.onSubmittedWorkDone();
  };

  function prepared(inputs: tf.Tensor[], op: () => tf.Tensor, inputBytes: number): PreparedRun {
    let last: tf.Tensor | null = null;
    const keep = (t: tf.Tensor) => {
      last?.dispose();
      last = t;
    };
    return {
      async run() {
        let wallMs = 0;
        await scoped('tfjs', backend.device, async () => {
          const t0 = performance.now();
          const y = op();
          await idle();
          wallMs = performance.now() - t0;
          keep(y);
        });
        return { wallMs, gpuMs: null, gpuTimer: null };
      },
      async peak() {
        last?.dispose();
        last = null;
        const before = tf.memory().numBytes;
        let y: tf.Tensor | null = null;
        const info = await scoped('tfjs', backend.device, () =>
          tf.profile(async () => {
            y = op();
            await idle();
            return y;
          }),
        );
        keep(y!);
        return { bytes: inputBytes + Math.max(0, info.peakBytes - before), source: 'tf.profile' };
      },
      async read() {
        if (!last) throw new Error('tfjs peer: read() before any run');
        return (await last.data()) as Float32Array;
      },
      dispose() {
        last?.dispose();
        last = null;
        for (const t of inputs) t.dispose();
      },
    };
  }

  const tensor = (x: CaseInputs[string]) => tf.tensor(x.data, [...x.shape], 'float32');

  return {
    id: 'tfjs',
    label: `TensorFlow.js ${tf.version_core} (webgpu)`,
    supports: (c) => c.suite === 'matmul' || c.suite === 'attention' || c.suite === 'softmax',
    async prepare(c: BenchCase, inputs: CaseInputs) {
      const bytesOf = (t: tf.Tensor) => t.size * 4;
      switch (c.suite) {
        case 'matmul': {
          const a = tensor(inputs.a!);
          const b = tensor(inputs.b!);
          return prepared([a, b], () => tf.matMul(a, b), bytesOf(a) + bytesOf(b));
        }
        case 'softmax': {
          const x = tensor(inputs.x!);
          return prepared([x], () => tf.softmax(x), bytesOf(x));
        }
        case 'attention': {
          const q = tensor(inputs.q!);
          const k = tensor(inputs.k!);
          const v = tensor(inputs.v!);
          const [, , N, d] = inputs.q!.shape as number[];
          const scale = tf.scalar(1 / Math.sqrt(d!));
          const held = [q, k, v, scale];
          let mask: tf.Tensor | null = null;
          if (c.params.causal) {
            // Additive mask, built once: 0 on and below the diagonal, −1e9 above.
            mask = tf.tensor2d(causalBias(N!), [N!, N!]);
            held.push(mask);
          }
          const op = () =>
            tf.tidy(() => {
              let s = tf.mul(tf.matMul(q, k, false, true), scale);
              if (mask) s = tf.add(s, mask);
              return tf.matMul(tf.softmax(s), v);
            });
          return prepared(
            held,
            op,
            held.reduce((sum, t) => sum + bytesOf(t), 0),
          );
        }
        default:
          throw new Error(`tfjs peer: no ${c.suite} implementation`);
      }
    },
  };
}
