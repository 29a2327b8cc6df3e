/**
 * The attributes of `<diffusion-steps>`: kinds, ranges and defaults, read by
 * `AttributeElement` (see `attributes.ts`), and the limits of a run. Pure data, so
 * tests can draw from it.
 */
import { choices, type AttributeSpecs } from '../attributes';
import { DATASET_NAMES } from '../../data/index';

/** Limits on the attributes: beyond them the element shows an error instead of running. */
export const DIFFUSION_LIMITS = Object.freeze({
  maxSamples: 8192,
  maxImageSamples: 256,
  cpuSamples: 256,
  cpuImageSamples: 36,
  maxSteps: 1000,
  maxTimesteps: 4000,
  maxFrames: 100,
});

/** `<diffusion-steps>`'s attributes, keyed by property. */
export const DIFFUSION_STEPS_ATTRIBUTES = {
  // `dataset` is HTMLElement's own property (data-* attributes): the attribute maps to `datasetName`.
  datasetName: { attribute: 'dataset', kind: 'enum', values: choices(DATASET_NAMES), default: 'two-moons' },
  schedule: { kind: 'enum', values: choices(['linear', 'cosine']), default: 'cosine' },
  sampler: { kind: 'enum', values: choices(['ddpm', 'ddim']), default: 'ddim' },
  // Default: 50, or T when T is smaller. At most T (checked with `timesteps`).
  steps: { kind: 'integer', min: 1, max: DIFFUSION_LIMITS.maxSteps, default: null },
  seed: { kind: 'integer', min: 0, max: 0xffffffff, default: 1 },
  // Default: 1024 points or 36 images. At most 256 images (checked with `dataset`).
  samples: { kind: 'integer', min: 1, max: DIFFUSION_LIMITS.maxSamples, default: null },
  timesteps: { kind: 'integer', min: 2, max: DIFFUSION_LIMITS.maxTimesteps, default: 1000 },
  mode: { kind: 'enum', values: choices(['reverse', 'forward']), default: 'reverse' },
  // Clamped to the recorded steps when drawn; null is the last.
  frame: { kind: 'integer', min: 0, max: 1_000_000_000, default: null },
  backend: { kind: 'enum', values: choices(['auto', 'cpu']), default: 'auto' },
  noControls: { kind: 'boolean', default: false },
} as const satisfies AttributeSpecs;
