/**
 * The attributes of `<loss-landscape>`: kinds, ranges and defaults, read by
 * `AttributeElement` (see `attributes.ts`). The `optimizers` and `start` texts, and the
 * limits that depend on the mode, are read further by `parseLandscapeAttributes`.
 * Pure data, so tests can draw from it.
 */
import { choices, type AttributeSpecs } from '../attributes';
import { SURFACE_KINDS } from '../../problem/optim';
import { LANDSCAPE_LIMITS } from './config';

/** `<loss-landscape>`'s attributes, keyed by property. */
export const LOSS_LANDSCAPE_ATTRIBUTES = {
  mode: { kind: 'enum', values: choices(['analytic', 'mlp']), default: 'analytic' },
  surface: { kind: 'enum', values: choices(SURFACE_KINDS), default: 'rosenbrock' },
  optimizers: { kind: 'string', maxLength: 4000, default: null },
  lr: { kind: 'number', min: 0, max: 1e3, default: null },
  beta1: { kind: 'number', min: 0, max: 0.999999, default: null },
  beta2: { kind: 'number', min: 0, max: 0.999999, default: null },
  steps: { kind: 'integer', min: 0, max: LANDSCAPE_LIMITS.analytic.steps, default: null },
  start: { kind: 'string', maxLength: 2000, default: null },
  seed: { kind: 'integer', min: 0, max: 0xffffffff, default: 1 },
  noise: { kind: 'number', min: 0, max: 100, default: null },
  condition: { kind: 'number', min: 1, max: 1e4, default: null },
  rotation: { kind: 'number', min: -360, max: 360, default: null },
  resolution: { kind: 'integer', min: 8, max: LANDSCAPE_LIMITS.analytic.resolution, default: null },
  domain: { kind: 'list', item: 'number', min: -1e6, max: 1e6, minItems: 4, maxItems: 4, default: null },
  chart: { kind: 'enum', values: choices(['loss', 'step']), default: 'loss' },
  autoplay: { kind: 'boolean', default: false },
  // What the reader typed into the element's own inputs: it overrides every optimizer's value.
  lrAll: { kind: 'number', min: 0, max: 1e3, default: null },
  beta1All: { kind: 'number', min: 0, max: 0.999999, default: null },
  beta2All: { kind: 'number', min: 0, max: 0.999999, default: null },
} as const satisfies AttributeSpecs;
