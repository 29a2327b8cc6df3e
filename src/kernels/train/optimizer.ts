/**
 * Parameter updates on the GPU: the optimizer race's update rules (SGD, momentum,
 * Nesterov, AdaGrad, RMSProp, Adam, AdamW, AMSGrad; shaders/optim/rules.wgsl) applied
 * to a flat parameter vector, with gradient clipping by global norm (the squared
 * norm from one reduction, the clip factor applied inside the update). The learning
 * rate and β₁ᵗ, β₂ᵗ arrive per step, so the warm-up/cosine schedule and bias
 * correction are host arithmetic (src/problem/train-schedule.ts).
 *
 * CPU reference: `optimizerStep` in src/reference/optim.ts after `clipFactor`.
 */
import type { Gpu } from '../../gpu/device';
import { Tensor, assertArguments, shapeOf, type TensorLike } from '../../gpu/tensor';
import { InvalidArgumentError, ShapeError } from '../../problem/errors';
import { packOptimizers, resolveOptimizer, type OptimizerConfig, type ResolvedOptimizer } from '../../problem/optim';
import { launch } from '../../gpu/launch';
import { toDispatch, workgroupSize, type Binding, type Launch } from './encode';
import { callKernels, groups } from './call';
import { SUMSQ_KERNEL, UPDATE_KERNEL } from './specs';

/** The per-step values of an update. */
export interface UpdateStep {
  /** The learning rate of this step (after any schedule). */
  lr: number;
  /** β₁ᵗ and β₂ᵗ of this step (Adam family; 1-based t). */
  b1t: number;
  b2t: number;
  /** Clip the gradient to this global norm; 0: no clipping. */
  clipNorm: number;
}

/** The update kernel's `params` block. */
export function updateUniform(count: number, s: UpdateStep): Record<string, number> {
  return { pairs: count / 2, clip: s.clipNorm > 0 ? 1 : 0, maxNorm: s.clipNorm, lr: s.lr, b1t: s.b1t, b2t: s.b2t };
}

/** The uniform buffer holding one optimizer configuration (the `OptConfig` of rules.wgsl). */
export function configBuffer(gpu: Gpu, label: string, o: ResolvedOptimizer): GPUBuffer {
  return gpu.uniformBuffer(`${label}:config`, packOptimizers([o]));
}

/**
 * The two launches of an update over `count` values (even): the squared global norm
 * of the gradient into `normSq`, then the update of x, m, v, vmax.
 */
export function updateLaunches(
  gpu: Gpu,
  label: string,
  count: number,
  step: UpdateStep,
  b: Record<'config' | 'normSq' | 'grads' | 'x' | 'm' | 'v' | 'vmax', Binding>,
): Launch[] {
  const reduceWg = workgroupSize(gpu, 256);
  const wg = workgroupSize(gpu, 256);
  return [
    {
      label: `${label}:norm`,
      spec: SUMSQ_KERNEL,
      constants: { WG: reduceWg },
      uniform: { count },
      buffers: { g: b.grads, out: b.normSq },
      workgroups: 1,
    },
    {
      label: `${label}:update`,
      spec: UPDATE_KERNEL,
      constants: { WG: wg },
      uniform: updateUniform(count, step),
      buffers: { config: b.config, normSq: b.normSq, grads: b.grads, x: b.x, m: b.m, v: b.v, vmax: b.vmax },
      workgroups: groups(count / 2, wg),
    },
  ];
}

/** A parameter vector and its optimizer moments, updated in place. */
export interface ParameterState {
  params: Tensor;
  m: Tensor;
  v: Tensor;
  vmax: Tensor;
}

function checkStep(op: string, s: UpdateStep): void {
  if (typeof s !== 'object' || s === null) throw new InvalidArgumentError(op, 'step', s, 'a step {lr, b1t, b2t, clipNorm}');
  if (typeof s.lr !== 'number' || !(s.lr >= 0 && s.lr < Infinity))
    throw new InvalidArgumentError(op, 'step.lr', s.lr, 'a finite number ≥ 0');
  for (const k of ['b1t', 'b2t'] as const)
    if (typeof s[k] !== 'number' || !(s[k] >= 0 && s[k] <= 1)) throw new InvalidArgumentError(op, `step.${k}`, s[k], 'a number in [0, 1]');
  if (typeof s.clipNorm !== 'number' || !(s.clipNorm >= 0 && s.clipNorm < Infinity))
    throw new InvalidArgumentError(op, 'step.clipNorm', s.clipNorm, 'a finite number ≥ 0');
}

/**
 * One optimizer step on the GPU: `state` (params and moments, Tensors of one even
 * length) is updated in place from `grads`, clipped to `step.clipNorm` when it is > 0.
 * @throws InvalidArgumentError for a bad optimizer or step, ShapeError for mismatched or odd lengths
 */
export async function applyOptimizer(
  gpu: Gpu,
  optimizer: OptimizerConfig,
  state: ParameterState,
  grads: TensorLike,
  step: UpdateStep,
): Promise<void> {
  const op = 'applyOptimizer';
  const o = resolveOptimizer(op, optimizer);
  checkStep(op, step);
  if (typeof state !== 'object' || state === null)
    throw new InvalidArgumentError(op, 'state', state, 'a state {params, m, v, vmax} of Tensors');
  const names = ['params', 'm', 'v', 'vmax'] as const;
  for (const k of names)
    if (!(state[k] instanceof Tensor)) throw new InvalidArgumentError(op, `state.${k}`, state[k], 'a Tensor (updated in place)');
  const n = state.params.size;
  const shapes = Object.fromEntries([...names.map((k) => [k, state[k].shape] as const), ['grads', shapeOf(op, 'grads', grads)]]);
  for (const [k, s] of Object.entries(shapes)) {
    if (s.reduce((a, d) => a * d, 1) !== n) throw new ShapeError(op, `${k} must hold as many values as params (${n})`, shapes);
  }
  if (n % 2 !== 0) throw new ShapeError(op, `the parameter count ${n} must be even (pad the vector; the update takes pairs)`, shapes);
  await gpu.ready(op);
  assertArguments(
    gpu,
    op,
    names.map((k) => [k, state[k]]),
  );
  if (n === 0) return;
  await launch(gpu, op, async (scope) => {
    const [g] = scope.inputs([['grads', grads]]) as [Tensor];
    const buffers = {
      config: scope.upload('config', packOptimizers([o]), GPUBufferUsage.UNIFORM),
      normSq: scope.tensor([1], 'normSq').buffer,
      grads: g.buffer,
      x: state.params.buffer,
      m: state.m.buffer,
      v: state.v.buffer,
      vmax: state.vmax.buffer,
    };
    await scope.runAll(updateLaunches(gpu, op, n, step, buffers).map(toDispatch));
  });
}

/** Σ g², [1] (the squared global norm that clipping uses). */
export async function sumOfSquares(gpu: Gpu, g: TensorLike): Promise<Tensor> {
  const op = 'sumOfSquares';
  const n = shapeOf(op, 'g', g).reduce((a, d) => a * d, 1);
  const wg = workgroupSize(gpu, 256);
  const out = await callKernels(gpu, op, [['g', g]], [['out', [1]]], (i, o) => [
    {
      label: op,
      spec: SUMSQ_KERNEL,
      constants: { WG: wg },
      uniform: { count: n },
      buffers: { g: i.g!.buffer, out: o.out!.buffer },
      workgroups: 1,
    },
  ]);
  return out.out!;
}
