/**
 * The binding table of `shaders/attention-map/weights.wgsl` (no GPU globals here, so
 * a Node test can check it against the WGSL text).
 */
import code from '../../shaders/attention-map/weights.wgsl?raw';
import type { KernelSpec } from '../gpu/bindings';

export const ATTENTION_MAP_KERNEL: KernelSpec = {
  name: 'attention-map:weights',
  code,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'q', kind: 'read-only-storage' },
    { name: 'k', kind: 'read-only-storage' },
    { name: 'logits', kind: 'storage' },
    { name: 'weights', kind: 'storage' },
  ],
};
