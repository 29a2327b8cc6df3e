/**
 * LayerNorm and the losses on the GPU, forward and backward, as standalone calls.
 * Shapes are validated on the CPU first (src/problem/train-layers.ts), with typed
 * errors naming them; labels given as host data are checked to be class indices.
 *
 * - `layerNorm(x, γ, β, ε)` → y and the per-row stats (μ, ρ) the backward pass reuses;
 *   `layerNormBackward(x, γ, dy, stats)` → dx, dγ, dβ.
 * - `mseLoss(pred, target)` → the mean squared error [1] and ∂L/∂pred.
 * - `softmaxCrossEntropy(logits, labels)` → the mean cross-entropy [1] and ∂L/∂logits,
 *   fused and stable (log-sum-exp with the row maximum subtracted).
 *
 * CPU references: src/reference/train/norm-loss.ts.
 */
import type { Gpu } from '../../gpu/device';
import { isTensor, shapeOf, type Tensor, type TensorLike } from '../../gpu/tensor';
import { ShapeError } from '../../problem/errors';
import { checkLabels, resolveCrossEntropy, resolveLayerNorm, resolveSameShape } from '../../problem/train-layers';
import { workgroupSize, type Launch } from './encode';
import { callKernels, groups } from './call';
import { LAYERNORM_BACKWARD_KERNEL, LAYERNORM_KERNEL, LAYERNORM_PARAMS_KERNEL, MSE_KERNEL, XENT_KERNEL } from './specs';

/** LayerNorm's outputs: y [N, D] and stats [N, 2] (μ, ρ = 1/√(σ² + ε) per row). */
export interface LayerNormOutput {
  y: Tensor;
  stats: Tensor;
}

/**
 * LayerNorm over the last axis of x [N, D] with scale γ [D] and shift β [D].
 * @throws ShapeError for mismatched shapes, InvalidArgumentError for ε outside (0, 1)
 */
export async function layerNorm(gpu: Gpu, x: TensorLike, gamma: TensorLike, beta: TensorLike, eps = 1e-5): Promise<LayerNormOutput> {
  const op = 'layerNorm';
  const { N, D } = resolveLayerNorm(op, shapeOf(op, 'x', x), shapeOf(op, 'gamma', gamma), shapeOf(op, 'beta', beta), eps);
  const wg = workgroupSize(gpu, 64);
  const out = await callKernels(
    gpu,
    op,
    [
      ['x', x],
      ['gamma', gamma],
      ['beta', beta],
    ],
    [
      ['y', [N, D]],
      ['stats', [N, 2]],
    ],
    (i, o) => [
      {
        label: op,
        spec: LAYERNORM_KERNEL,
        constants: { WG: wg },
        uniform: { rows: N, D, eps },
        buffers: { x: i.x!.buffer, gamma: i.gamma!.buffer, beta: i.beta!.buffer, y: o.y!.buffer, stats: o.stats!.buffer },
        workgroups: groups(N, wg),
      },
    ],
  );
  return { y: out.y!, stats: out.stats! };
}

/** LayerNorm's gradients. */
export interface LayerNormGrads {
  dx: Tensor;
  dgamma: Tensor;
  dbeta: Tensor;
}

/**
 * The backward pass of `layerNorm` from the upstream gradient dy [N, D] and the saved stats [N, 2].
 * @throws ShapeError for mismatched shapes
 */
export async function layerNormBackward(
  gpu: Gpu,
  x: TensorLike,
  gamma: TensorLike,
  dy: TensorLike,
  stats: TensorLike,
): Promise<LayerNormGrads> {
  const op = 'layerNormBackward';
  const xShape = shapeOf(op, 'x', x);
  const { N, D } = resolveLayerNorm(op, xShape, shapeOf(op, 'gamma', gamma), null, 1e-5);
  resolveSameShape(op, 'dy', shapeOf(op, 'dy', dy), 'x', xShape);
  resolveSameShape(op, 'stats', shapeOf(op, 'stats', stats), '[N, 2]', [N, 2]);
  const rowWg = workgroupSize(gpu, 64);
  const colWg = workgroupSize(gpu, 64);
  const out = await callKernels(
    gpu,
    op,
    [
      ['x', x],
      ['gamma', gamma],
      ['dy', dy],
      ['stats', stats],
    ],
    [
      ['dx', [N, D]],
      ['dgamma', [D]],
      ['dbeta', [D]],
    ],
    (i, o): Launch[] => [
      {
        label: `${op}:dx`,
        spec: LAYERNORM_BACKWARD_KERNEL,
        constants: { WG: rowWg },
        uniform: { rows: N, D },
        buffers: { x: i.x!.buffer, gamma: i.gamma!.buffer, dy: i.dy!.buffer, stats: i.stats!.buffer, dx: o.dx!.buffer },
        workgroups: groups(N, rowWg),
      },
      {
        label: `${op}:params`,
        spec: LAYERNORM_PARAMS_KERNEL,
        constants: { WG: colWg },
        uniform: { rows: N, D },
        buffers: { x: i.x!.buffer, dy: i.dy!.buffer, stats: i.stats!.buffer, dgamma: o.dgamma!.buffer, dbeta: o.dbeta!.buffer },
        workgroups: D,
      },
    ],
  );
  return { dx: out.dx!, dgamma: out.dgamma!, dbeta: out.dbeta! };
}

/** A loss and its gradient with respect to the prediction. */
export interface LossOutput {
  /** The mean loss, [1]. */
  loss: Tensor;
  grad: Tensor;
}

/**
 * Mean-squared error over every value: L = (1/n) Σ (pred − target)², grad = 2(pred − target)/n.
 * @throws ShapeError when pred and target differ
 */
export async function mseLoss(gpu: Gpu, pred: TensorLike, target: TensorLike): Promise<LossOutput> {
  const op = 'mseLoss';
  const shape = shapeOf(op, 'pred', pred);
  const n = resolveSameShape(op, 'pred', shape, 'target', shapeOf(op, 'target', target));
  const wg = workgroupSize(gpu, 256);
  const out = await callKernels(
    gpu,
    op,
    [
      ['pred', pred],
      ['target', target],
    ],
    [
      ['loss', [1]],
      ['grad', shape],
    ],
    (i, o) => [
      {
        label: op,
        spec: MSE_KERNEL,
        constants: { WG: wg },
        uniform: { n, cols: 0 },
        buffers: { pred: i.pred!.buffer, truth: i.target!.buffer, grad: o.grad!.buffer, loss: o.loss!.buffer },
        workgroups: 1,
      },
    ],
  );
  return { loss: out.loss!, grad: out.grad! };
}

/**
 * Mean softmax cross-entropy of logits [N, C] against labels [N] (class indices as
 * numbers), fused with its gradient (softmax − onehot)/N.
 * @throws ShapeError for mismatched shapes; InvalidArgumentError for a host label that is not a class in [0, C)
 */
export async function softmaxCrossEntropy(gpu: Gpu, logits: TensorLike, labels: TensorLike): Promise<LossOutput> {
  const op = 'softmaxCrossEntropy';
  const shape = shapeOf(op, 'logits', logits);
  const { N, D: C } = resolveCrossEntropy(op, shape, shapeOf(op, 'labels', labels));
  if (!isTensor(labels)) checkLabels(op, (labels as { data: ArrayLike<number> }).data, C);
  if (C === 0 && N > 0) throw new ShapeError(op, 'logits need at least one class', { logits: shape });
  const wg = workgroupSize(gpu, 256);
  const out = await callKernels(
    gpu,
    op,
    [
      ['logits', logits],
      ['labels', labels],
    ],
    [
      ['loss', [1]],
      ['grad', shape],
    ],
    (i, o) => [
      {
        label: op,
        spec: XENT_KERNEL,
        constants: { WG: wg },
        uniform: { n: N, cols: C },
        buffers: { pred: i.logits!.buffer, truth: i.labels!.buffer, grad: o.grad!.buffer, loss: o.loss!.buffer },
        workgroups: 1,
      },
    ],
  );
  return { loss: out.loss!, grad: out.grad! };
}
