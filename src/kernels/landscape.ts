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
import { InvalidArgumentError, LimitExceededError, ShapeError } from '../problem/errors';
import type { Tensor } from '../gpu/tensor';
import { launch, paramsBlock, type Dispatch, type KernelDescription, type LaunchScope } from '../gpu/launch';
import { matmul } from './matmul';
import { mlpLayout, sliceCoordinates, type SliceInput } from '../problem/mlp';

export const PERTURB_KERNEL: KernelDescription = {
  name: 'landscape.perturb',
  code: perturbCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'dirs', kind: 'read-only-storage' },
    { name: 'out', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['offset', 'u32'],
    ['size', 'u32'],
    ['first', 'u32'],
    ['count', 'u32'],
    ['res', 'u32'],
    ['a0', 'f32'],
    ['da', 'f32'],
    ['b0', 'f32'],
    ['db', 'f32'],
  ]),
};

export const BIAS_ACT_KERNEL: KernelDescription = {
  name: 'landscape.bias-act',
  code: biasActCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'h', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['count', 'u32'],
    ['rows', 'u32'],
    ['width', 'u32'],
    ['act', 'u32'],
  ]),
};

export const XENT_KERNEL: KernelDescription = {
  name: 'landscape.xent',
  code: xentCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'logits', kind: 'read-only-storage' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'labels', kind: 'read-only-storage' },
    { name: 'loss', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['count', 'u32'],
    ['rows', 'u32'],
    ['classes', 'u32'],
    ['first', 'u32'],
  ]),
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
  return launch(gpu, op, async (scope) => {
    const [dirs, x, labels] = scope.inputs([
      ['dirs', { data: dirsData, shape: [3, P] }],
      ['x', { data: input.data.x, shape: [N, input.sizes[0]!] }],
      ['labels', { data: Float32Array.from(input.data.labels), shape: [N] }],
    ]) as [Tensor, Tensor, Tensor];
    const loss = scope.output([G, G], 'loss');
    // 256 invocations, or fewer where the device allows fewer (compatibility mode: 128).
    const wg = Math.min(256, gpu.limits.maxComputeInvocationsPerWorkgroup, gpu.limits.maxComputeWorkgroupSizeX);
    for (let first = 0; first < total; first += chunk) {
      const count = Math.min(chunk, total - first);
      const grid = { first, count, res: G, a0: coords.a0, da: coords.da, b0: coords.b0, db: coords.db };
      // The chunk's weights and activations are freed when its scope ends.
      await launch(gpu, op, (s) => chunkLosses(s, layers, { dirs, x, labels, loss }, grid, N, wg));
    }
    return loss;
  });
}

/** One chunk of grid points: perturbed parameters, the forward pass, the losses into `t.loss`. */
async function chunkLosses(
  scope: LaunchScope,
  layers: ReturnType<typeof mlpLayout>['layers'],
  t: { dirs: Tensor; x: Tensor; labels: Tensor; loss: Tensor },
  grid: { first: number; count: number; res: number; a0: number; da: number; b0: number; db: number },
  N: number,
  wg: number,
): Promise<void> {
  const { op } = scope;
  const { count, first } = grid;
  // Weights [count, in, out] and biases [count, out] of every layer, for this chunk's grid points.
  const ws: Tensor[] = [];
  const bs: Tensor[] = [];
  const perturbs: Dispatch[] = [];
  const perturb = (out: Tensor, offset: number, size: number) =>
    perturbs.push({
      kernel: PERTURB_KERNEL,
      constants: { WG: wg },
      bindings: { params: { offset, size, ...grid }, dirs: t.dirs, out },
      workgroups: Math.ceil((count * size) / wg),
    });
  for (const L of layers) {
    ws.push(scope.tensor([count, L.inDim, L.outDim], 'w'));
    bs.push(scope.tensor([count, L.outDim], 'b'));
    perturb(ws[ws.length - 1]!, L.w, L.inDim * L.outDim);
    perturb(bs[bs.length - 1]!, L.b, L.outDim);
  }
  await scope.runAll(perturbs, { label: `${op}:perturb` });
  // Forward through the layers, all `count` networks at once.
  let h = t.x;
  for (let l = 0; l < layers.length; l++) {
    const L = layers[l]!;
    const z = scope.own(await matmul(scope.gpu, h, ws[l]!));
    const last = l === layers.length - 1;
    const dispatch: Dispatch = last
      ? {
          kernel: XENT_KERNEL,
          constants: { WG: 64 },
          bindings: { params: { count, rows: N, classes: L.outDim, first }, logits: z, bias: bs[l]!, labels: t.labels, loss: t.loss },
          workgroups: Math.ceil(count / 64),
        }
      : {
          kernel: BIAS_ACT_KERNEL,
          constants: { WG: wg },
          bindings: { params: { count, rows: N, width: L.outDim, act: 1 }, bias: bs[l]!, h: z },
          workgroups: Math.ceil((count * N * L.outDim) / wg),
        };
    await scope.runAll([dispatch], { label: `${op}:${last ? 'xent' : 'bias-act'}` });
    h = z;
  }
}
