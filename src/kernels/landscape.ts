/**
 * `mlpSlice(gpu, input)`: a real network's loss on a 2-D slice of its parameter
 * space, L(α, β) = loss(θ* + α·d₁ + β·d₂), on a G×G grid — every grid point is
 * one parameter vector, and all of them run at once through batched matmul.
 *
 * Per chunk of grid points: `perturb` builds each layer's weights and biases as
 * [count, in, out] / [count, out] tensors; `matmul` (src/kernels/matmul.ts) runs
 * h ← h · W for the whole batch (the data X [N, in] is a rank-2 operand broadcast
 * over the batch); `bias-act` adds the bias and applies tanh in place; `xent`
 * turns the last layer into the mean cross-entropy of each parameter vector.
 *
 * CPU reference: `sliceReference` in src/reference/mlp.ts.
 */
import perturbCode from '../../shaders/landscape/perturb.wgsl?raw';
import biasActCode from '../../shaders/landscape/bias-act.wgsl?raw';
import xentCode from '../../shaders/landscape/xent.wgsl?raw';
import type { Gpu } from '../gpu/device';
import type { KernelSpec } from '../gpu/bindings';
import { InvalidArgumentError, LimitExceededError, ShapeError } from '../problem/errors';
import { Tensor } from '../gpu/tensor';
import { packScalars } from '../gpu/uniforms';
import { matmul } from './matmul';
import { mlpLayout, sliceCoordinates, type SliceInput } from '../problem/mlp';

export const PERTURB_KERNEL: KernelSpec = {
  name: 'landscape.perturb',
  code: perturbCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'dirs', kind: 'read-only-storage' },
    { name: 'out', kind: 'storage' },
  ],
};

export const BIAS_ACT_KERNEL: KernelSpec = {
  name: 'landscape.bias-act',
  code: biasActCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'h', kind: 'storage' },
  ],
};

export const XENT_KERNEL: KernelSpec = {
  name: 'landscape.xent',
  code: xentCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'logits', kind: 'read-only-storage' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'labels', kind: 'read-only-storage' },
    { name: 'loss', kind: 'storage' },
  ],
};

/** Largest slice side. */
export const MAX_SLICE_RESOLUTION = 256;
/** Bytes one activation tensor of a chunk may take (the chunk size follows from it). */
const CHUNK_BYTES = 32 * 2 ** 20;

export interface SliceOptions {
  /** Grid points per chunk (default: as many as fit in 32 MiB of activations). */
  chunk?: number;
}

/** Validates a slice request; throws typed errors naming the shapes, before any GPU work. */
export function validateSlice(op: string, input: SliceInput): { count: number; width: number } {
  if (typeof input !== 'object' || input === null) throw new InvalidArgumentError(op, 'input', input, 'a slice description');
  const { sizes, params, d1, d2, data } = input;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= 1024)) {
    throw new InvalidArgumentError(op, 'sizes', sizes, 'layer widths, at least two integers in [1, 1024]');
  }
  const { count } = mlpLayout(sizes);
  for (const [name, v] of [
    ['params', params],
    ['d1', d1],
    ['d2', d2],
  ] as const) {
    if (!(v instanceof Float32Array)) throw new InvalidArgumentError(op, name, v, 'a Float32Array');
    if (v.length !== count)
      throw new ShapeError(op, `${name} has ${v.length} values but layers [${sizes.join(', ')}] have ${count} parameters`, {
        [name]: [v.length],
      });
  }
  if (!data || !(data.x instanceof Float32Array) || !(data.labels instanceof Uint32Array))
    throw new InvalidArgumentError(op, 'data', data, '{x: Float32Array, labels: Uint32Array}');
  if (data.x.length !== data.n * sizes[0]! || data.labels.length !== data.n) {
    throw new ShapeError(op, `data must be x [N, ${sizes[0]}] and labels [N]`, { x: [data.x.length], labels: [data.labels.length] });
  }
  const C = sizes[sizes.length - 1]!;
  const bad = data.labels.findIndex((l) => l >= C);
  if (bad >= 0) throw new InvalidArgumentError(op, `data.labels[${bad}]`, data.labels[bad], `a class id below ${C}`);
  const G = input.resolution;
  if (!Number.isInteger(G) || G < 2 || G > MAX_SLICE_RESOLUTION)
    throw new InvalidArgumentError(op, 'resolution', G, `an integer in [2, ${MAX_SLICE_RESOLUTION}]`);
  const d = input.domain;
  if (!Array.isArray(d) || d.length !== 4 || !d.every(Number.isFinite) || !(d[1] > d[0]) || !(d[3] > d[2])) {
    throw new InvalidArgumentError(op, 'domain', d, '[α0, α1, β0, β1] with α1 > α0 and β1 > β0');
  }
  return { count, width: Math.max(...sizes.slice(1)) };
}

/**
 * The loss of the MLP at every point of a G×G slice grid; a Tensor [G, G] whose
 * row j is β_j = β0 + j·dβ and column i is α_i = α0 + i·dα.
 */
export async function mlpSlice(gpu: Gpu, input: SliceInput, opts: SliceOptions = {}): Promise<Tensor> {
  const op = 'mlpSlice';
  const { count: P, width } = validateSlice(op, input);
  if (typeof opts !== 'object' || opts === null) throw new InvalidArgumentError(op, 'options', opts, 'an options object or undefined');
  const G = input.resolution;
  const total = G * G;
  const N = input.data.n;
  const perPoint = N * width * 4;
  const chunk = opts.chunk ?? Math.max(1, Math.floor(CHUNK_BYTES / perPoint));
  if (!Number.isInteger(chunk) || chunk < 1) throw new InvalidArgumentError(op, 'chunk', chunk, 'a positive integer');
  const binding = gpu.limits.maxStorageBufferBindingSize;
  if (Math.min(chunk, total) * perPoint > binding)
    throw new LimitExceededError(
      op,
      'maxStorageBufferBindingSize',
      Math.min(chunk, total) * perPoint,
      binding,
      `activations [${chunk}, ${N}, ${width}]`,
    );
  await gpu.ready(op);

  const { layers } = mlpLayout(input.sizes);
  const coords = sliceCoordinates(input);
  const dirsData = new Float32Array(3 * P);
  dirsData.set(input.params, 0);
  dirsData.set(input.d1, P);
  dirsData.set(input.d2, 2 * P);
  const owned: Tensor[] = [];
  const keep = <T extends Tensor>(t: T): T => (owned.push(t), t);
  const dirs = keep(Tensor.fromData(gpu, dirsData, [3, P], `${op}:dirs`));
  const x = keep(Tensor.fromData(gpu, input.data.x, [N, input.sizes[0]!], `${op}:x`));
  const labels = keep(Tensor.fromData(gpu, Float32Array.from(input.data.labels), [N], `${op}:labels`));
  const loss = Tensor.zeros(gpu, [G, G], `${op}:loss`);
  try {
    // 256 invocations, or fewer where the device allows fewer (compatibility mode: 128).
    const wg = Math.min(256, gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
    const [perturb, biasAct, xent] = await Promise.all([
      gpu.pipeline(PERTURB_KERNEL, { WG: wg }),
      gpu.pipeline(BIAS_ACT_KERNEL, { WG: wg }),
      gpu.pipeline(XENT_KERNEL, { WG: 64 }),
    ]);
    for (let first = 0; first < total; first += chunk) {
      const count = Math.min(chunk, total - first);
      const chunkOwned: Tensor[] = [];
      const chunkUniforms: GPUBuffer[] = []; // released at the end too: a submit may throw before taking them
      try {
        // Weights [count, in, out] and biases [count, out] of every layer, for this chunk's grid points.
        const ws: Tensor[] = [];
        const bs: Tensor[] = [];
        const uniforms: GPUBuffer[] = [];
        const jobs: [Tensor, number, number][] = [];
        for (const L of layers) {
          const w = Tensor.zeros(gpu, [count, L.inDim, L.outDim], `${op}:w`);
          const b = Tensor.zeros(gpu, [count, L.outDim], `${op}:b`);
          chunkOwned.push(w, b);
          ws.push(w);
          bs.push(b);
          jobs.push([w, L.w, L.inDim * L.outDim], [b, L.b, L.outDim]);
        }
        await gpu.submit(
          `${op}:perturb`,
          (encoder) => {
            const pass = gpu.beginComputePass(encoder, `${op}:perturb`);
            pass.setPipeline(perturb);
            for (const [t, offset, size] of jobs) {
              const u = gpu.uniformBuffer(
                `${op}:perturb-params`,
                packScalars([
                  ['u32', offset],
                  ['u32', size],
                  ['u32', first],
                  ['u32', count],
                  ['u32', G],
                  ['f32', coords.a0],
                  ['f32', coords.da],
                  ['f32', coords.b0],
                  ['f32', coords.db],
                ]),
              );
              uniforms.push(u);
              chunkUniforms.push(u);
              pass.setBindGroup(0, gpu.bindGroup(PERTURB_KERNEL, { params: u, dirs: dirs.buffer, out: t.buffer }));
              gpu.dispatch(pass, Math.ceil((count * size) / wg), op);
            }
            pass.end();
          },
          uniforms,
        );
        // Forward through the layers, all `count` networks at once.
        let h: Tensor = x;
        for (let l = 0; l < layers.length; l++) {
          const L = layers[l]!;
          const z = await matmul(gpu, h, ws[l]!);
          chunkOwned.push(z);
          if (l < layers.length - 1) {
            const u = gpu.uniformBuffer(
              `${op}:bias-act-params`,
              packScalars([
                ['u32', count],
                ['u32', N],
                ['u32', L.outDim],
                ['u32', 1],
              ]),
            );
            chunkUniforms.push(u);
            await gpu.submit(
              `${op}:bias-act`,
              (encoder) => {
                gpu.encodeKernel(
                  encoder,
                  `${op}:bias-act`,
                  BIAS_ACT_KERNEL,
                  biasAct,
                  { params: u, bias: bs[l]!.buffer, h: z.buffer },
                  Math.ceil((count * N * L.outDim) / wg),
                );
              },
              [u],
            );
          } else {
            const u = gpu.uniformBuffer(
              `${op}:xent-params`,
              packScalars([
                ['u32', count],
                ['u32', N],
                ['u32', L.outDim],
                ['u32', first],
              ]),
            );
            chunkUniforms.push(u);
            await gpu.submit(
              `${op}:xent`,
              (encoder) => {
                gpu.encodeKernel(
                  encoder,
                  `${op}:xent`,
                  XENT_KERNEL,
                  xent,
                  { params: u, logits: z.buffer, bias: bs[l]!.buffer, labels: labels.buffer, loss: loss.buffer },
                  Math.ceil(count / 64),
                );
              },
              [u],
            );
          }
          h = z;
        }
      } finally {
        for (const t of chunkOwned) t.destroy();
        for (const u of chunkUniforms) gpu.release(u);
      }
    }
    return loss;
  } catch (e) {
    loss.destroy();
    throw e;
  } finally {
    for (const t of owned) t.destroy();
  }
}
