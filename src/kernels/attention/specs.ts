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

export const FLASH_KERNEL: KernelSpec = {
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
};

/** Split-K decode, pass 1: flash.wgsl's inputs, and the partials (m, l, O) per (row, split). */
export const FLASH_DECODE_KERNEL: KernelSpec = {
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
};

/** Split-K decode, pass 2: the log-sum-exp merge of the partials into the output. */
export const FLASH_MERGE_KERNEL: KernelSpec = {
  name: 'attention:flash-merge',
  code: flashMergeCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'part', kind: 'read-only-storage' },
    { name: 'o', kind: 'storage' },
  ],
};

/** Naive attention's variant step on the scores in place: softcap, ALiBi, sliding window. */
export const NAIVE_SCORES_KERNEL: KernelSpec = {
  name: 'attention:naive-scores',
  code: naiveScoresCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'slopes', kind: 'read-only-storage' },
    { name: 's', kind: 'storage' },
  ],
};

export const LINEAR_WEIGHTS_KERNEL: KernelSpec = {
  name: 'attention:linear-weights',
  code: linearWeightsCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'bias', kind: 'read-only-storage' },
    { name: 'kinfo', kind: 'read-only-storage' },
    { name: 'w', kind: 'storage' },
  ],
};

export const LINEAR_FEATURES_KERNEL: KernelSpec = {
  name: 'attention:linear-features',
  code: linearFeaturesCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'y', kind: 'storage' },
  ],
};

export const LINEAR_PREFIX_KERNEL: KernelSpec = {
  name: 'attention:linear-prefix',
  code: linearPrefixCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'fk', kind: 'read-only-storage' },
    { name: 'v', kind: 'read-only-storage' },
    { name: 'w', kind: 'read-only-storage' },
    { name: 'state', kind: 'storage' },
  ],
};

export const LINEAR_OUT_KERNEL: KernelSpec = {
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

/** Keys per chunk of linear attention's prefix states (the CH override of both linear kernels). */
export const LINEAR_CHUNK = 64;
