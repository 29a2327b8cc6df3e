/**
 * Training's per-step host rules, shared by the GPU training loop and the CPU
 * references: the learning rate under linear warm-up then cosine decay, the
 * clipping factor of gradient clipping by global norm, and the Adam family's
 * running products β₁ᵗ, β₂ᵗ. Pure: no GPU.
 */
import { InvalidArgumentError } from './errors';

/** Linear warm-up to `lr`, then cosine decay to `minLr` at step `total`. */
export interface WarmupCosine {
  /** Steps of linear warm-up (0: none). */
  warmup: number;
  /** The step at which the decay reaches `minLr` (and stays). */
  total: number;
  /** Floor of the decay; default 0. */
  minLr?: number;
}

/** Validates a warm-up + cosine schedule. @throws InvalidArgumentError naming the field */
export function resolveWarmupCosine(op: string, s: unknown): Required<WarmupCosine> {
  if (typeof s !== 'object' || s === null || Array.isArray(s))
    throw new InvalidArgumentError(op, 'schedule', s, 'a schedule {warmup, total, minLr?}');
  const { warmup, total, minLr = 0 } = s as Record<string, unknown>;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1)
    throw new InvalidArgumentError(op, 'schedule.total', total, 'an integer ≥ 1');
  if (typeof warmup !== 'number' || !Number.isInteger(warmup) || warmup < 0 || warmup > total)
    throw new InvalidArgumentError(op, 'schedule.warmup', warmup, `an integer in [0, total = ${total}]`);
  if (typeof minLr !== 'number' || !(minLr >= 0 && minLr <= 1e3))
    throw new InvalidArgumentError(op, 'schedule.minLr', minLr, 'a number in [0, 1000]');
  return { warmup, total, minLr };
}

/**
 * The learning rate of 1-based step t: lr·t/warmup during warm-up, then
 * minLr + ½(lr − minLr)(1 + cos(π·p)), p = min(1, (t − warmup)/(total − warmup)).
 * Without a schedule, `lr`. Evaluated on the host in float64 (WGSL's cos is loose);
 * the GPU receives it rounded to f32.
 */
export function warmupCosineLr(lr: number, s: Required<WarmupCosine> | null, t: number): number {
  if (!s) return lr;
  if (s.warmup > 0 && t <= s.warmup) return (lr * t) / s.warmup;
  const span = s.total - s.warmup;
  const p = span <= 0 ? 1 : Math.min(1, (t - s.warmup) / span);
  return s.minLr + 0.5 * (lr - s.minLr) * (1 + Math.cos(Math.PI * p));
}

/** Added to the norm before dividing, as PyTorch's `clip_grad_norm_` does. */
export const CLIP_EPS = 1e-6;

/**
 * The factor gradients are scaled by when clipping to global norm `maxNorm`:
 * min(1, maxNorm / (‖g‖ + 1e-6)). `maxNorm` ≤ 0 or ∞ means no clipping (factor 1).
 * The same formula is in shaders/train/update.wgsl.
 */
export function clipFactor(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0) || maxNorm === Infinity) return 1;
  return Math.min(1, maxNorm / (norm + CLIP_EPS));
}
