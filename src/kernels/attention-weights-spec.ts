/**
 * The binding table and uniform block of `shaders/attention-map/weights.wgsl` (no GPU
 * globals here, so a Node test can check them against the WGSL text).
 */
import code from '../../shaders/attention-map/weights.wgsl?raw';
import type { KernelDescription } from '../gpu/launch';

export const ATTENTION_MAP_KERNEL: KernelDescription = {
  name: 'attention-map:weights',
  code,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'q', kind: 'read-only-storage' },
    { name: 'k', kind: 'read-only-storage' },
    { name: 'logits', kind: 'storage' },
    { name: 'weights', kind: 'storage' },
  ],
  uniforms: {
    binding: 'params',
    layout: [
      ['rows', 'u32'],
      ['nq', 'u32'],
      ['nk', 'u32'],
      ['d', 'u32'],
      ['scale', 'f32'],
      ['causal', 'u32'],
      ['key_length', 'u32'],
    ],
  },
};
