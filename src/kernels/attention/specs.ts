/**
 * The binding tables of the softmax and attention kernels, one per WGSL file, in
 * binding order. Pure data (no GPU calls), so a Node test checks them against the
 * WGSL text with `parseWgslBindings`.
 */
import softmaxCode from '../../../shaders/softmax/softmax.wgsl?raw';
import softmaxRowsCode from '../../../shaders/softmax/rows.wgsl?raw';
import flashCode from '../../../shaders/attention/flash.wgsl?raw';
import flashDecodeCode from '../../../shaders/attention/flash_decode.wgsl?raw';
import flashMergeCode from '../../../shaders/attention/flash_merge.wgsl?raw';
import scoreCode from '../../../shaders/attention/score.wgsl?raw';
import naiveScoresCode from '../../../shaders/attention/naive_scores.wgsl?raw';
import linearWeightsCode from '../../../shaders/attention/linear_weights.wgsl?raw';
import linearPrefixCode from '../../../shaders/attention/linear_prefix.wgsl?raw';
import linearOutCode from '../../../shaders/attention/linear_out.wgsl?raw';
import linearFeaturesCode from '../../../shaders/attention/linear_features.wgsl?raw';
import type { KernelSpec } from '../../gpu/bindings';
import type { KernelDescription } from '../../gpu/launch';
import { paramsBlock, type UniformLayout } from '../../gpu/uniforms';

/** The uniform block every flash layout reads (flash.wgsl, flash_rows.wgsl, flash_decode.wgsl), in WGSL order. */
export const FLASH_UNIFORMS: UniformLayout = [
  ['nq', 'u32'],
  ['nk', 'u32'],
  ['d', 'u32'],
  ['dv', 'u32'],
  ['heads', 'u32'],
  ['qBlocks', 'u32'],
  ['dvBlocks', 'u32'],
  ['total', 'u32'],
  ['scale', 'f32'],
  ['causal', 'u32'],
  ['causalOffset', 'i32'],
  ['hasKeep', 'u32'],
  ['batches', 'u32'],
  ['biasRows', 'u32'],
  ['traceBh', 'u32'],
  ['traceQBlock', 'u32'],
  ['group', 'u32'],
  ['winLeft', 'i32'],
  ['winRight', 'i32'],
  ['softcap', 'f32'],
  ['slopeBase', 'u32'],
  ['splits', 'u32'],
  ['splitKeys', 'u32'],
  ['splitStart', 'u32'],
];

/** A flash layout's source followed by the score rule every layout shares (shaders/attention/score.wgsl). */
export function withScoreRule(code: string): string {
  return `${code}\n${scoreCode}`;
}

export const SOFTMAX_KERNEL: KernelSpec = {
  name: 'softmax',
  code: softmaxCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'keep', kind: 'read-only-storage' },
    { name: 'y', kind: 'storage' },
  ],
};

/**
 * Softmax's 'rows' variant (one invocation per row, vec4 sweeps). x, bias and keep are
 * each bound twice, as f32 and as vec4 views of the same buffer (read-only aliasing);
 * `tail` takes the last rows·len mod 4 outputs, which `y` (whole vec4 slots) cannot hold.
 */
export const SOFTMAX_ROWS_KERNEL: KernelSpec = {
  name: 'softmax:rows',
  code: softmaxRowsCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'x4', kind: 'read-only-storage' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'bias4', kind: 'read-only-storage' },
    { name: 'keep', kind: 'read-only-storage' },
    { name: 'keep4', kind: 'read-only-storage' },
    { name: 'y', kind: 'storage' },
    { name: 'tail', kind: 'storage' },
  ],
};

export const FLASH_KERNEL: KernelDescription = {
  name: 'attention:flash',
  code: withScoreRule(flashCode),
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'q', kind: 'read-only-storage' },
    { name: 'k', kind: 'read-only-storage' },
    { name: 'v', kind: 'read-only-storage' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'kinfo', kind: 'read-only-storage' },
    { name: 'o', kind: 'storage' },
    { name: 'trace', kind: 'storage' },
  ],
  uniforms: paramsBlock(FLASH_UNIFORMS),
};

/** Split-K decode, pass 1: flash.wgsl's inputs, and the partials (m, l, O) per (row, split). */
export const FLASH_DECODE_KERNEL: KernelDescription = {
  name: 'attention:flash-decode',
  code: withScoreRule(flashDecodeCode),
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'q', kind: 'read-only-storage' },
    { name: 'k', kind: 'read-only-storage' },
    { name: 'v', kind: 'read-only-storage' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'kinfo', kind: 'read-only-storage' },
    { name: 'part', kind: 'storage' },
  ],
  uniforms: paramsBlock(FLASH_UNIFORMS),
};

/** Split-K decode, pass 2: the log-sum-exp merge of the partials into the output. */
export const FLASH_MERGE_KERNEL: KernelDescription = {
  name: 'attention:flash-merge',
  code: flashMergeCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'part', kind: 'read-only-storage' },
    { name: 'o', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['rows', 'u32'],
    ['dv', 'u32'],
    ['splits', 'u32'],
    ['total', 'u32'],
  ]),
};

/** Naive attention's variant step on the scores in place: softcap, ALiBi, sliding window. */
export const NAIVE_SCORES_KERNEL: KernelDescription = {
  name: 'attention:naive-scores',
  code: naiveScoresCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'slopes', kind: 'read-only-storage' },
    { name: 's', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['count', 'u32'],
    ['nq', 'u32'],
    ['nk', 'u32'],
    ['heads', 'u32'],
    ['causalOffset', 'i32'],
    ['winLeft', 'i32'],
    ['winRight', 'i32'],
    ['softcap', 'f32'],
  ]),
};

export const LINEAR_WEIGHTS_KERNEL: KernelDescription = {
  name: 'attention:linear-weights',
  code: linearWeightsCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'kinfo', kind: 'read-only-storage' },
    { name: 'w', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['nk', 'u32'],
    ['batches', 'u32'],
    ['hasBias', 'u32'],
    ['hasKeep', 'u32'],
  ]),
};

export const LINEAR_FEATURES_KERNEL: KernelDescription = {
  name: 'attention:linear-features',
  code: linearFeaturesCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'y', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['n', 'u32'],
    ['rootScale', 'f32'],
    ['_p0', 'u32', 0],
    ['_p1', 'u32', 0],
  ]),
};

export const LINEAR_PREFIX_KERNEL: KernelDescription = {
  name: 'attention:linear-prefix',
  code: linearPrefixCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'fk', kind: 'read-only-storage' },
    { name: 'v', kind: 'read-only-storage' },
    { name: 'w', kind: 'read-only-storage' },
    { name: 'state', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['nk', 'u32'],
    ['d', 'u32'],
    ['dv', 'u32'],
    ['heads', 'u32'],
    ['chunks', 'u32'],
    ['total', 'u32'],
    ['_p0', 'u32', 0],
    ['_p1', 'u32', 0],
  ]),
};

export const LINEAR_OUT_KERNEL: KernelDescription = {
  name: 'attention:linear-out',
  code: linearOutCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'fq', kind: 'read-only-storage' },
    { name: 'fk', kind: 'read-only-storage' },
    { name: 'v', kind: 'read-only-storage' },
    { name: 'w', kind: 'read-only-storage' },
    { name: 'state', kind: 'read-only-storage' },
    { name: 'o', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['nq', 'u32'],
    ['nk', 'u32'],
    ['d', 'u32'],
    ['dv', 'u32'],
    ['heads', 'u32'],
    ['chunks', 'u32'],
    ['total', 'u32'],
    ['causal', 'u32'],
    ['causalOffset', 'i32'],
    ['group', 'u32'],
    ['_p1', 'u32', 0],
    ['_p2', 'u32', 0],
  ]),
};

/** Every kernel of this module, for the binding-table test. */
export const ATTENTION_KERNELS: readonly KernelSpec[] = [
  SOFTMAX_KERNEL,
  SOFTMAX_ROWS_KERNEL,
  FLASH_KERNEL,
  FLASH_DECODE_KERNEL,
  FLASH_MERGE_KERNEL,
  NAIVE_SCORES_KERNEL,
  LINEAR_WEIGHTS_KERNEL,
  LINEAR_FEATURES_KERNEL,
  LINEAR_PREFIX_KERNEL,
  LINEAR_OUT_KERNEL,
];

/** The attention kernels launched through src/gpu/launch.ts, with their uniform blocks (for the layout test). */
export const ATTENTION_LAUNCHED: readonly KernelDescription[] = [
  FLASH_KERNEL,
  FLASH_DECODE_KERNEL,
  FLASH_MERGE_KERNEL,
  NAIVE_SCORES_KERNEL,
  LINEAR_WEIGHTS_KERNEL,
  LINEAR_FEATURES_KERNEL,
  LINEAR_PREFIX_KERNEL,
  LINEAR_OUT_KERNEL,
];

/** Keys per chunk of linear attention's prefix states (the CH override of both linear kernels). */
export const LINEAR_CHUNK = 64;
