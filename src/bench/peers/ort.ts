/**
 * ONNX Runtime Web with its WebGPU execution provider as a peer. Each case is a
 * one-op ONNX model built in code (onnx-model.ts), on a device we create on the
 * page's adapter and hand to ORT:
 * - matmul: `MatMul` (opset 17) on A[M,K], B[K,N];
 * - softmax: `Softmax` with axis −1 (opset 17);
 * - attention: ORT's contrib op `MultiHeadAttention` (domain com.microsoft), with
 *   q, k, v as [B, N, H·d] and `num_heads` = H. Its WebGPU kernel rejects
 *   `unidirectional`, so causal masking is its `attention_bias` input: [1, 1, N, N],
 *   0 on and below the diagonal and −1e9 above (the same additive mask TF.js gets).
 *
 * Inputs and the output are GPU buffers on that device, created and filled once in
 * `prepare` and bound as gpu-buffer tensors, so `run` times `session.run` (ORT's own
 * dispatch of the op) up to the queue being idle, with no upload and no read-back.
 * The layout change [B,H,N,d] ↔ [B,N,H·d] happens on the host, outside the timing.
 * Peak bytes are counted on that device (device-bytes.ts, `peakSource` 'device buffers'):
 * the most bytes held at once in buffers created and not destroyed from before the
 * inputs are uploaded to the end of the timed calls, ORT's own included.
 *
 * ORT's .wasm is served from node_modules through Vite (`?url`), never from a CDN.
 * The runtime runs single-threaded: the op runs on the GPU, and worker threads would
 * need the bundle re-imported from a URL that Vite's chunking does not keep.
 */
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { CaseInputs } from '../inputs';
import type { PreparedRun } from '../runner';
import type { BenchCase } from '../types';
import { causalBias, fromBsd, toBsd } from './layout';
import { encodeModel, type OnnxModel, type OnnxValue } from './onnx-model';
import { outputBuffer, peerAdapter, peerDevice, PeerUnavailableError, readBuffer, scoped, uploadBuffer } from './peer-device';
import type { Peer, PeerContext } from './types';
import { trackDeviceBytes } from './device-bytes';

const WHO = 'ort';
/** Default-domain opset of the models (Softmax acts on one axis since opset 13). */
const OPSET = 17;
/** Features ORT's WebGPU EP uses when present (it asks for these on a device of its own). */
const FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'];
/**
 * ORT's subgroup flash-attention path assumes subgroups of at least 16 lanes. With
 * SwiftShader's 4 it gave wrong outputs (max error ~0.3 at N ≥ 32, checked here),
 * so below this size ORT's device gets no 'subgroups' and ORT takes its general path.
 */
const MIN_SUBGROUP_SIZE = 16;

/** A one-op model's inputs and output, with host data for each input. */
interface Graph {
  model: OnnxModel;
  feeds: { value: OnnxValue; data: Float32Array }[];
  output: OnnxValue;
  /** Maps ORT's output back to the case's row-major layout. */
  unpack?: (y: Float32Array) => Float32Array;
}

function oneOp(name: string, node: OnnxModel['graph']['nodes'][number], inputs: OnnxValue[], output: OnnxValue, ms = false): OnnxModel {
  return {
    opsets: [{ domain: '', version: OPSET }, ...(ms ? [{ domain: 'com.microsoft', version: 1 }] : [])],
    graph: { name, nodes: [node], inputs, outputs: [output] },
  };
}

/** The model and feeds of a case. */
export function caseGraph(c: BenchCase, inputs: CaseInputs): Graph {
  const p = c.params as Record<string, number>;
  switch (c.suite) {
    case 'matmul': {
      const a = { name: 'a', shape: inputs.a!.shape };
      const b = { name: 'b', shape: inputs.b!.shape };
      const y = { name: 'y', shape: [p.M!, p.N!] };
      return {
        model: oneOp('matmul', { opType: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }, [a, b], y),
        feeds: [
          { value: a, data: inputs.a!.data },
          { value: b, data: inputs.b!.data },
        ],
        output: y,
      };
    }
    case 'softmax': {
      const x = { name: 'x', shape: inputs.x!.shape };
      const y = { name: 'y', shape: inputs.x!.shape };
      const node = { opType: 'Softmax', inputs: ['x'], outputs: ['y'], attributes: [{ name: 'axis', int: -1 }] };
      return { model: oneOp('softmax', node, [x], y), feeds: [{ value: x, data: inputs.x!.data }], output: y };
    }
    case 'attention': {
      const { B, H, N, d } = p as { B: number; H: number; N: number; d: number };
      const bsd = [B, N, H * d];
      const feeds: Graph['feeds'] = ['q', 'k', 'v'].map((n) => ({
        value: { name: n, shape: bsd },
        data: toBsd(inputs[n]!.data, B, H, N, d),
      }));
      // MultiHeadAttention's inputs: query, key, value, bias, key_padding_mask, attention_bias.
      const names = ['q', 'k', 'v'];
      if (c.params.causal) {
        feeds.push({ value: { name: 'mask', shape: [1, 1, N, N] }, data: causalBias(N) });
        names.push('', '', 'mask');
      }
      const y = { name: 'y', shape: bsd };
      const node = {
        opType: 'MultiHeadAttention',
        domain: 'com.microsoft',
        inputs: names,
        outputs: ['y'],
        attributes: [
          { name: 'num_heads', int: H },
          { name: 'scale', float: 1 / Math.sqrt(d) },
        ],
      };
      return {
        model: oneOp(
          'attention',
          node,
          feeds.map((f) => f.value),
          y,
          true,
        ),
        feeds,
        output: y,
        unpack: (out) => fromBsd(out, B, H, N, d),
      };
    }
    default:
      throw new PeerUnavailableError(`${WHO} peer: no ${c.suite} implementation`);
  }
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

let device: Promise<GPUDevice> | null = null;
/** Whether ORT's device has 'subgroups' (see MIN_SUBGROUP_SIZE). */
let subgroups = false;

/** ORT's environment and our device, once per page (ORT keeps the first device it is given). */
async function ortDevice(ctx: PeerContext): Promise<GPUDevice> {
  device ??= (async () => {
    const adapter = await peerAdapter(WHO, ctx);
    const minSubgroup = adapter.info.subgroupMinSize ?? 0;
    subgroups = minSubgroup >= MIN_SUBGROUP_SIZE;
    const dev = await peerDevice(
      adapter,
      FEATURES.filter((f) => f !== 'subgroups' || subgroups),
    );
    ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, location.href).href };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = 'error';
    // ORT asks for a core adapter of its own unless given one: give it the page's.
    (ort.env.webgpu as { adapter: unknown }).adapter = adapter;
    trackDeviceBytes(dev);
    return dev;
  })();
  device.catch(() => (device = null));
  return device;
}

/** Creates (once per page) the ORT peer on its own device on the page's adapter. */
export async function createOrtPeer(ctx: PeerContext): Promise<Peer> {
  const dev = await ortDevice(ctx);
  const version = ort.env.versions.web ?? ort.env.versions.common;
  return {
    id: WHO,
    label: `ONNX Runtime Web ${version} (webgpu EP${subgroups ? '' : ', subgroups withheld'}; attention: com.microsoft MultiHeadAttention, causal via attention_bias)`,
    supports: (c) => c.suite === 'matmul' || c.suite === 'softmax' || c.suite === 'attention',
    async prepare(c: BenchCase, inputs: CaseInputs): Promise<PreparedRun> {
      const g = caseGraph(c, inputs);
      const held = trackDeviceBytes(dev);
      const mark = held.mark();
      const buffers: GPUBuffer[] = [];
      let session: ort.InferenceSession | null = null;
      try {
        const feeds: Record<string, ort.Tensor> = {};
        for (const f of g.feeds) {
          const buffer = uploadBuffer(dev, f.data);
          buffers.push(buffer);
          feeds[f.value.name] = ort.Tensor.fromGpuBuffer(buffer, { dataType: 'float32', dims: f.value.shape });
        }
        const outLength = size(g.output.shape);
        const out = outputBuffer(dev, outLength);
        buffers.push(out);
        const fetches = { [g.output.name]: ort.Tensor.fromGpuBuffer(out, { dataType: 'float32', dims: g.output.shape }) };
        session = await scoped(WHO, dev, () =>
          ort.InferenceSession.create(encodeModel(g.model), {
            executionProviders: [{ name: 'webgpu', device: dev } as ort.InferenceSession.WebGpuExecutionProviderOption],
            graphOptimizationLevel: 'all',
          }),
        );
        const s = session;
        let ran = false;
        return {
          async run() {
            let wallMs = 0;
            await scoped(WHO, dev, async () => {
              const t0 = performance.now();
              await s.run(feeds, fetches);
              await dev.queue.onSubmittedWorkDone();
              wallMs = performance.now() - t0;
            });
            ran = true;
            return { wallMs, gpuMs: null, gpuTimer: null };
          },
          async peak() {
            // A pool that reuses an earlier case's buffers hides them: never below what the case binds.
            const boundBytes = g.feeds.reduce((sum, f) => sum + f.data.byteLength, 0) + outLength * 4;
            return { bytes: Math.max(held.peakSince(mark), boundBytes), source: 'device buffers' };
          },
          async read() {
            if (!ran) throw new Error(`${WHO} peer: read() before any run`);
            const y = await readBuffer(dev, out, outLength);
            return g.unpack ? g.unpack(y) : y;
          },
          async dispose() {
            await s.release();
            for (const b of buffers) b.destroy();
          },
        };
      } catch (e) {
        await session?.release().catch(() => {});
        for (const b of buffers) b.destroy();
        throw e;
      }
    },
  };
}
