/**
 * Training layers on the GPU, forward and backward, as standalone calls (Tensor or
 * host data in, new Tensors out). Each validates shapes on the CPU with the rules of
 * src/problem/train-layers.ts (a typed error naming the shapes) before any GPU work.
 *
 * - `linear`: y = x·W + b through the matmul ladder, then the bias epilogue;
 *   `linearBackward`: dx = dy·Wᵀ, dW = xᵀ·dy (matmul with transposes), db = Σ_rows dy.
 * - `activation` / `activationBackward`: ReLU, GELU (tanh form), SiLU, tanh.
 * - `timeEmbedding` / `timeEmbeddingBackward`: the sinusoidal embedding of t and ∂/∂t.
 *
 * CPU references: src/reference/train/layers.ts.
 */
import type { Gpu } from '../../gpu/device';
import { shapeOf, type Tensor, type TensorLike } from '../../gpu/tensor';
import {
  ACTIVATION_IDS,
  checkActivation,
  resolveLinear,
  resolveLinearBackward,
  resolveSameShape,
  resolveTimeEmbedding,
  timeFrequencies,
  type ActivationKind,
} from '../../problem/train-layers';
import { matmulLaunch, workgroupSize, type Launch } from './encode';
import { callKernels, groups } from './call';
import {
  ACT_BACKWARD_KERNEL,
  ACTIVATION_KERNEL,
  BIAS_ACT_KERNEL,
  COL_SUM_KERNEL,
  TIME_EMBED_BACKWARD_KERNEL,
  TIME_EMBED_KERNEL,
} from './specs';

/**
 * A dense layer: y[N, out] = x[N, in] · w[in, out] (+ b[out]).
 * @throws ShapeError when x, w and b disagree (before any GPU work)
 */
export async function linear(gpu: Gpu, x: TensorLike, w: TensorLike, b?: TensorLike | null): Promise<Tensor> {
  const op = 'linear';
  const p = resolveLinear(op, shapeOf(op, 'x', x), shapeOf(op, 'w', w), b ? shapeOf(op, 'b', b) : null);
  const wg = workgroupSize(gpu, 256);
  const out = await callKernels(
    gpu,
    op,
    [
      ['x', x],
      ['w', w],
      ['b', b ?? null],
    ],
    [['y', [p.N, p.outDim]]],
    (i, o, spare) => {
      const launches: Launch[] = [
        matmulLaunch(gpu, `${op}:matmul`, i.x!.shape, i.w!.shape, {}, i.x!.buffer, i.w!.buffer, o.y!.buffer, spare),
      ];
      if (i.b)
        launches.push({
          label: `${op}:bias`,
          spec: BIAS_ACT_KERNEL,
          constants: { WG: wg, ACT: 0 },
          uniform: { n: p.N * p.outDim, cols: p.outDim },
          buffers: { bias: i.b.buffer, z: o.y!.buffer, h: spare },
          workgroups: groups(p.N * p.outDim, wg),
        });
      return launches;
    },
  );
  return out.y!;
}

/** The linear layer's gradients. */
export interface LinearGrads {
  /** ∂L/∂x = dy·wᵀ, [N, in]. */
  dx: Tensor;
  /** ∂L/∂w = xᵀ·dy, [in, out]. */
  dw: Tensor;
  /** ∂L/∂b = Σ_rows dy, [out]. */
  db: Tensor;
}

/**
 * The backward pass of `linear` given the upstream gradient dy [N, out].
 * @throws ShapeError when x, w and dy disagree (before any GPU work)
 */
export async function linearBackward(gpu: Gpu, x: TensorLike, w: TensorLike, dy: TensorLike): Promise<LinearGrads> {
  const op = 'linearBackward';
  const p = resolveLinearBackward(op, shapeOf(op, 'x', x), shapeOf(op, 'w', w), shapeOf(op, 'dy', dy));
  const wg = workgroupSize(gpu, 64);
  const out = await callKernels(
    gpu,
    op,
    [
      ['x', x],
      ['w', w],
      ['dy', dy],
    ],
    [
      ['dx', [p.N, p.inDim]],
      ['dw', [p.inDim, p.outDim]],
      ['db', [p.outDim]],
    ],
    (i, o, spare) => [
      matmulLaunch(gpu, `${op}:dx`, i.dy!.shape, i.w!.shape, { transposeB: true }, i.dy!.buffer, i.w!.buffer, o.dx!.buffer, spare),
      matmulLaunch(gpu, `${op}:dw`, i.x!.shape, i.dy!.shape, { transposeA: true }, i.x!.buffer, i.dy!.buffer, o.dw!.buffer, spare),
      {
        label: `${op}:db`,
        spec: COL_SUM_KERNEL,
        constants: { WG: wg },
        uniform: { rows: p.N, cols: p.outDim },
        buffers: { x: i.dy!.buffer, out: o.db!.buffer },
        workgroups: p.outDim,
      },
    ],
  );
  return { dx: out.dx!, dw: out.dw!, db: out.db! };
}

/** y = act(x), element-wise, any shape. @throws InvalidArgumentError for an unknown activation */
export async function activation(gpu: Gpu, kind: ActivationKind, x: TensorLike): Promise<Tensor> {
  const op = 'activation';
  const act = checkActivation(op, kind);
  const shape = shapeOf(op, 'x', x);
  const n = shape.reduce((a, d) => a * d, 1);
  const wg = workgroupSize(gpu, 256);
  const out = await callKernels(gpu, op, [['x', x]], [['y', shape]], (i, o) => [
    {
      label: `${op}:${act}`,
      spec: ACTIVATION_KERNEL,
      constants: { WG: wg, ACT: ACTIVATION_IDS[act] },
      uniform: { n },
      buffers: { x: i.x!.buffer, y: o.y!.buffer },
      workgroups: groups(n, wg),
    },
  ]);
  return out.y!;
}

/**
 * dz = dh ⊙ act′(z) for the pre-activation z and upstream gradient dh (same shape).
 * @throws ShapeError when z and dh differ, InvalidArgumentError for an unknown activation
 */
export async function activationBackward(gpu: Gpu, kind: ActivationKind, z: TensorLike, dh: TensorLike): Promise<Tensor> {
  const op = 'activationBackward';
  const act = checkActivation(op, kind);
  const shape = shapeOf(op, 'z', z);
  const n = resolveSameShape(op, 'z', shape, 'dh', shapeOf(op, 'dh', dh));
  const wg = workgroupSize(gpu, 256);
  const out = await callKernels(
    gpu,
    op,
    [
      ['z', z],
      ['dh', dh],
    ],
    [['dz', shape]],
    (i, o) => [
      {
        label: `${op}:${act}`,
        spec: ACT_BACKWARD_KERNEL,
        constants: { WG: wg, ACT: ACTIVATION_IDS[act] },
        uniform: { n },
        buffers: { z: i.z!.buffer, dh: i.dh!.buffer, dz: o.dz!.buffer },
        workgroups: groups(n, wg),
      },
    ],
  );
  return out.dz!;
}

/**
 * The sinusoidal embedding [N, dim] of timesteps t [N]: sin(t·ω_k) then cos(t·ω_k), k < dim/2.
 * @throws ShapeError unless t is [N]; InvalidArgumentError for an odd dim or a bad maxPeriod
 */
export async function timeEmbedding(gpu: Gpu, t: TensorLike, dim: number, maxPeriod?: number): Promise<Tensor> {
  const op = 'timeEmbedding';
  const p = resolveTimeEmbedding(op, shapeOf(op, 't', t), dim, maxPeriod);
  const half = p.dim / 2;
  const wg = workgroupSize(gpu, 256);
  const out = await callKernels(
    gpu,
    op,
    [
      ['t', t],
      ['freqs', { data: timeFrequencies(p.dim, p.maxPeriod), shape: [half] }],
    ],
    [['emb', [p.N, p.dim]]],
    (i, o) => [
      {
        label: op,
        spec: TIME_EMBED_KERNEL,
        constants: { WG: wg },
        uniform: { rows: p.N, half, stride: p.dim, offset: 0 },
        buffers: { t: i.t!.buffer, freqs: i.freqs!.buffer, out: o.emb!.buffer },
        workgroups: groups(p.N * half, wg),
      },
    ],
  );
  return out.emb!;
}

/**
 * ∂L/∂t [N] of the time embedding, given the upstream gradient demb [N, dim].
 * @throws ShapeError unless demb is [N, dim]
 */
export async function timeEmbeddingBackward(gpu: Gpu, t: TensorLike, demb: TensorLike, dim: number, maxPeriod?: number): Promise<Tensor> {
  const op = 'timeEmbeddingBackward';
  const p = resolveTimeEmbedding(op, shapeOf(op, 't', t), dim, maxPeriod);
  resolveSameShape(op, 'demb', shapeOf(op, 'demb', demb), '[N, dim]', [p.N, p.dim]);
  const half = p.dim / 2;
  const wg = workgroupSize(gpu, 64);
  const out = await callKernels(
    gpu,
    op,
    [
      ['t', t],
      ['demb', demb],
      ['freqs', { data: timeFrequencies(p.dim, p.maxPeriod), shape: [half] }],
    ],
    [['dt', [p.N]]],
    (i, o) => [
      {
        label: op,
        spec: TIME_EMBED_BACKWARD_KERNEL,
        constants: { WG: wg },
        uniform: { rows: p.N, half },
        buffers: { t: i.t!.buffer, freqs: i.freqs!.buffer, demb: i.demb!.buffer, dt: o.dt!.buffer },
        workgroups: groups(p.N, wg),
      },
    ],
  );
  return out.dt!;
}
