/**
 * The attributes of `<flash-tiles>`: kinds, ranges and defaults, read by
 * `AttributeElement` (see `attributes.ts`). Pure data, so tests can draw from it.
 */
import { choices, type AttributeSpecs } from '../attributes';

/** The largest sequence length (queries or keys) the element traces. */
export const FLASH_TILES_MAX_N = 2048;

/** `<flash-tiles>`'s attributes, keyed by property. */
export const FLASH_TILES_ATTRIBUTES = {
  n: { kind: 'integer', min: 1, max: FLASH_TILES_MAX_N, default: 256 },
  nk: { kind: 'integer', min: 1, max: FLASH_TILES_MAX_N, default: null },
  dim: { kind: 'integer', min: 8, max: 256, default: 32 },
  causal: { kind: 'boolean', default: false },
  keyLength: { kind: 'integer', min: 0, max: FLASH_TILES_MAX_N, default: null },
  window: { kind: 'integer', min: 0, max: FLASH_TILES_MAX_N, default: null },
  keysPerSplit: { kind: 'integer', min: 1, max: FLASH_TILES_MAX_N, default: null },
  pattern: { kind: 'enum', values: choices(['random', 'local', 'sink', 'previous']), default: 'random' },
  seed: { kind: 'integer', min: 0, max: 0xffffffff, default: 1 },
  queryBlock: { kind: 'integer', min: 0, max: FLASH_TILES_MAX_N - 1, default: 1 },
  rows: { kind: 'list', item: 'integer', min: 0, max: 255, minItems: 1, maxItems: 7, default: null },
  step: { kind: 'integer', min: 0, max: 1_000_000, default: null },
  playing: { kind: 'boolean', default: false },
  interval: { kind: 'integer', min: 50, max: 60_000, default: 700 },
  blockQ: { kind: 'integer', min: 1, max: 256, default: 16 },
  blockK: { kind: 'integer', min: 1, max: 256, default: 16 },
  backend: { kind: 'enum', values: choices(['auto', 'cpu']), default: 'auto' },
  noControls: { kind: 'boolean', default: false },
} as const satisfies AttributeSpecs;
