/**
 * The attributes of `<attention-map>`: kinds, ranges and defaults, read by
 * `AttributeElement` (see `attributes.ts`). Pure data, so tests can draw from it.
 */
import { choices, type AttributeSpecs } from '../attributes';
import { ATTENTION_PATTERNS } from './patterns';

/** Size limits, so a hostile attribute cannot ask for gigabytes. */
export const MAP_LIMITS = { maxN: 1024, maxHeads: 64, maxCells: 4 * 1024 * 1024, maxDim: 512, maxLabel: 200 } as const;

/** `<attention-map>`'s attributes, keyed by property. */
export const ATTENTION_MAP_ATTRIBUTES = {
  data: { kind: 'json', maxLength: 16 * 1024 * 1024, default: null },
  // '' (no pattern) is the default: then only `data` draws.
  pattern: { kind: 'enum', values: choices(['', ...ATTENTION_PATTERNS]), default: '' },
  seed: { kind: 'integer', min: 0, max: 0xffffffff, default: 1 },
  n: { kind: 'integer', min: 1, max: MAP_LIMITS.maxN, default: 32 },
  heads: { kind: 'integer', min: 1, max: MAP_LIMITS.maxHeads, default: 4 },
  dim: { kind: 'integer', min: 8, max: 256, default: 32 },
  window: { kind: 'number', min: 0.25, max: 1024, default: null },
  head: { kind: 'integer', min: 0, max: MAP_LIMITS.maxHeads - 1, keywords: { all: -1 }, default: 0 },
  temperature: { kind: 'number', min: 0.01, max: 100, default: 1 },
  causal: { kind: 'boolean', default: false },
  keyLength: { kind: 'integer', min: 0, max: MAP_LIMITS.maxN, default: null },
  slidingWindow: { kind: 'integer', min: 0, max: MAP_LIMITS.maxN, default: null },
  kvHeads: { kind: 'integer', min: 1, max: MAP_LIMITS.maxHeads, default: null },
  mode: { kind: 'enum', values: choices(['weights', 'logits']), default: 'weights' },
  canvasThreshold: { kind: 'integer', min: 0, max: MAP_LIMITS.maxCells, default: 4096 },
  size: { kind: 'integer', min: 64, max: 2048, default: 400 },
  colorScale: { kind: 'enum', values: choices(['linear', 'sqrt']), default: 'linear' },
  noControls: { kind: 'boolean', default: false },
  backend: { kind: 'enum', values: choices(['auto', 'cpu']), default: 'auto' },
  selectedQuery: { kind: 'integer', min: -1, max: MAP_LIMITS.maxN - 1, default: -1 },
} as const satisfies AttributeSpecs;
