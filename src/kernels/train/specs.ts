/**
 * The training kernels' binding tables, uniform blocks and sources. WGSL has no includes: a kernel
 * that needs a library (activations, trig, Philox, the optimizer rules) gets it
 * prepended here, and unit tests check each table and uniform layout against its text. Pure data:
 * nothing here touches the GPU.
 */
import activationsLib from '../../../shaders/train/activations.wgsl?raw';
import trigLib from '../../../shaders/train/trig.wgsl?raw';
import philoxLib from '../../../shaders/rng/philox.wgsl?raw';
import rulesLib from '../../../shaders/optim/rules.wgsl?raw';
import biasActCode from '../../../shaders/train/bias_act.wgsl?raw';
import activationCode from '../../../shaders/train/activation.wgsl?raw';
import actBackwardCode from '../../../shaders/train/act_backward.wgsl?raw';
import colSumCode from '../../../shaders/train/col_sum.wgsl?raw';
import layerNormCode from '../../../shaders/train/layernorm.wgsl?raw';
import layerNormBackwardCode from '../../../shaders/train/layernorm_backward.wgsl?raw';
import layerNormParamsCode from '../../../shaders/train/layernorm_params.wgsl?raw';
import lossesCode from '../../../shaders/train/losses.wgsl?raw';
import timeEmbedCode from '../../../shaders/train/time_embed.wgsl?raw';
import timeEmbedBackwardCode from '../../../shaders/train/time_embed_backward.wgsl?raw';
import sumsqCode from '../../../shaders/train/sumsq.wgsl?raw';
import updateCode from '../../../shaders/train/update.wgsl?raw';
import initCode from '../../../shaders/train/init.wgsl?raw';
import ddpmBatchCode from '../../../shaders/train/ddpm_batch.wgsl?raw';
import scatterCode from '../../../shaders/train/scatter_cols.wgsl?raw';
import clipX0Code from '../../../shaders/train/clip_x0.wgsl?raw';
import type { BindingKind } from '../../gpu/bindings';
import type { KernelDescription } from '../../gpu/launch';
import { paramsBlock, type UniformLayout } from '../../gpu/uniforms';
import { OPTIMIZER_IDS } from '../../problem/optim';

/** A kernel whose uniform block `params` (the WGSL struct `Params`) has the fields `uniforms`. */
function spec(
  name: string,
  code: string,
  bindings: [string, BindingKind][],
  uniforms: UniformLayout,
  entryPoint?: string,
): KernelDescription {
  return Object.freeze({
    name,
    code,
    entryPoint,
    bindings: bindings.map(([n, kind]) => ({ name: n, kind })),
    uniforms: paramsBlock(uniforms),
  });
}

/** Uniform fields of these names, all u32. */
const u32 = (...names: string[]): UniformLayout => names.map((n) => [n, 'u32'] as const);
/** Uniform fields of these names, all f32. */
const f32 = (...names: string[]): UniformLayout => names.map((n) => [n, 'f32'] as const);

const U: BindingKind = 'uniform';
const R: BindingKind = 'read-only-storage';
const W: BindingKind = 'storage';

/** `const OPT_SGD: u32 = 0u; …` from OPTIMIZER_IDS: the ids rules.wgsl reads, written once in TS. */
export const OPTIMIZER_ID_CONSTS = Object.entries(OPTIMIZER_IDS)
  .map(([k, v]) => `const OPT_${k.toUpperCase()}: u32 = ${v}u;`)
  .join('\n');

export const BIAS_ACT_KERNEL = spec(
  'train.bias-act',
  `${activationsLib}\n${biasActCode}`,
  [
    ['params', U],
    ['bias', R],
    ['z', W],
    ['h', W],
  ],
  u32('n', 'cols'),
);
export const ACTIVATION_KERNEL = spec(
  'train.activation',
  `${activationsLib}\n${activationCode}`,
  [
    ['params', U],
    ['x', R],
    ['y', W],
  ],
  u32('n'),
);
export const ACT_BACKWARD_KERNEL = spec(
  'train.act-backward',
  `${activationsLib}\n${actBackwardCode}`,
  [
    ['params', U],
    ['z', R],
    ['dh', R],
    ['dz', W],
  ],
  u32('n'),
);
export const COL_SUM_KERNEL = spec(
  'train.col-sum',
  colSumCode,
  [
    ['params', U],
    ['x', R],
    ['out', W],
  ],
  u32('rows', 'cols'),
);
export const LAYERNORM_KERNEL = spec(
  'train.layernorm',
  layerNormCode,
  [
    ['params', U],
    ['x', R],
    ['gamma', R],
    ['beta', R],
    ['y', W],
    ['stats', W],
  ],
  [...u32('rows', 'D'), ...f32('eps')],
);
export const LAYERNORM_BACKWARD_KERNEL = spec(
  'train.layernorm-backward',
  layerNormBackwardCode,
  [
    ['params', U],
    ['x', R],
    ['gamma', R],
    ['dy', R],
    ['stats', R],
    ['dx', W],
  ],
  u32('rows', 'D'),
);
export const LAYERNORM_PARAMS_KERNEL = spec(
  'train.layernorm-params',
  layerNormParamsCode,
  [
    ['params', U],
    ['x', R],
    ['dy', R],
    ['stats', R],
    ['dgamma', W],
    ['dbeta', W],
  ],
  u32('rows', 'D'),
);
const LOSS_BINDINGS: [string, BindingKind][] = [
  ['params', U],
  ['pred', R],
  ['truth', R],
  ['grad', W],
  ['loss', W],
];
const LOSS_UNIFORMS = u32('n', 'cols');
export const MSE_KERNEL = spec('train.mse', lossesCode, LOSS_BINDINGS, LOSS_UNIFORMS, 'mse');
export const XENT_KERNEL = spec('train.xent', lossesCode, LOSS_BINDINGS, LOSS_UNIFORMS, 'xent');
export const TIME_EMBED_KERNEL = spec(
  'train.time-embed',
  `${trigLib}\n${timeEmbedCode}`,
  [
    ['params', U],
    ['t', R],
    ['freqs', R],
    ['out', W],
  ],
  u32('rows', 'half', 'stride', 'offset'),
);
export const TIME_EMBED_BACKWARD_KERNEL = spec(
  'train.time-embed-backward',
  `${trigLib}\n${timeEmbedBackwardCode}`,
  [
    ['params', U],
    ['t', R],
    ['freqs', R],
    ['demb', R],
    ['dt', W],
  ],
  u32('rows', 'half'),
);
export const SUMSQ_KERNEL = spec(
  'train.sumsq',
  sumsqCode,
  [
    ['params', U],
    ['g', R],
    ['out', W],
  ],
  u32('count'),
);
export const UPDATE_KERNEL = spec(
  'train.update',
  `${OPTIMIZER_ID_CONSTS}\n${rulesLib}\n${updateCode}`,
  [
    ['params', U],
    ['config', U],
    ['normSq', R],
    ['grads', R],
    ['x', W],
    ['m', W],
    ['v', W],
    ['vmax', W],
  ],
  [...u32('pairs', 'clip'), ...f32('maxNorm', 'lr', 'b1t', 'b2t')],
);
export const INIT_KERNEL = spec(
  'train.init',
  `${philoxLib}\n${initCode}`,
  [
    ['params', U],
    ['slots', R],
    ['x', W],
  ],
  u32('count', 'slots', 'seed', 'stream'),
);
export const DDPM_BATCH_KERNEL = spec(
  'train.ddpm-batch',
  `${philoxLib}\n${ddpmBatchCode}`,
  [
    ['params', U],
    ['data', R],
    ['coef', R],
    ['input', W],
    ['tcol', W],
    ['eps', W],
  ],
  u32('batch', 'dim', 'm', 'T', 'stride', 'seed', 'step', 'streamRow', 'streamTime', 'streamNoise'),
);
export const SCATTER_COLS_KERNEL = spec(
  'train.scatter-cols',
  scatterCode,
  [
    ['params', U],
    ['x', R],
    ['out', W],
  ],
  u32('rows', 'cols', 'stride', 'offset'),
);

export const CLIP_X0_KERNEL = spec(
  'train.clip-x0',
  clipX0Code,
  [
    ['params', U],
    ['x', R],
    ['eps', R],
    ['out', W],
  ],
  [...u32('n'), ...f32('s0', 's1', 'clip')],
);

/** Every training kernel (for the binding-table test). */
export const TRAIN_KERNELS: readonly KernelDescription[] = [
  BIAS_ACT_KERNEL,
  ACTIVATION_KERNEL,
  ACT_BACKWARD_KERNEL,
  COL_SUM_KERNEL,
  LAYERNORM_KERNEL,
  LAYERNORM_BACKWARD_KERNEL,
  LAYERNORM_PARAMS_KERNEL,
  MSE_KERNEL,
  XENT_KERNEL,
  TIME_EMBED_KERNEL,
  TIME_EMBED_BACKWARD_KERNEL,
  SUMSQ_KERNEL,
  UPDATE_KERNEL,
  INIT_KERNEL,
  DDPM_BATCH_KERNEL,
  SCATTER_COLS_KERNEL,
  CLIP_X0_KERNEL,
];

/** Kernels that prepend the Philox library (they get PHILOX_CONSTANTS as overrides). */
export const TRAIN_PHILOX_KERNELS: readonly KernelDescription[] = [INIT_KERNEL, DDPM_BATCH_KERNEL];
/** Kernels that prepend the activations library (they get ACT and GELU_CONSTANTS). */
export const TRAIN_ACTIVATION_KERNELS: readonly KernelDescription[] = [BIAS_ACT_KERNEL, ACTIVATION_KERNEL, ACT_BACKWARD_KERNEL];
