/**
 * The optimizer race's vocabulary: the ids of optimizers, surfaces and learning-rate
 * schedules (the WGSL declares the same ids as `const`s, and a test checks the two
 * against each other), the configuration types, the per-optimizer defaults and the
 * surfaces' default views. Plain data, no validation (see optim.ts).
 */

/** Optimizer ids, in the order of the WGSL `OPT_*` constants. */
export const OPTIMIZER_IDS = {
  sgd: 0,
  momentum: 1,
  nesterov: 2,
  adagrad: 3,
  rmsprop: 4,
  adam: 5,
  adamw: 6,
  amsgrad: 7,
} as const;
export type OptimizerKind = keyof typeof OPTIMIZER_IDS;
export const OPTIMIZER_KINDS = Object.keys(OPTIMIZER_IDS) as OptimizerKind[];

/** Analytic surface ids, in the order of the WGSL `SURF_*` constants. */
export const SURFACE_IDS = {
  quadratic: 0,
  rosenbrock: 1,
  beale: 2,
  himmelblau: 3,
  saddle: 4,
  monkey: 5,
} as const;
export type SurfaceKind = keyof typeof SURFACE_IDS;
export const SURFACE_KINDS = Object.keys(SURFACE_IDS) as SurfaceKind[];

/** Learning-rate schedule ids (packed into `OptConfig.schedule`, for the record). */
export const SCHEDULE_IDS = {
  constant: 0,
  step: 1,
  cosine: 2,
  warmup: 3,
} as const;
export type ScheduleKind = keyof typeof SCHEDULE_IDS;

/**
 * A learning-rate schedule, as a function of the 1-based step t:
 * - `constant`: lr
 * - `step`: lr · gamma^⌊(t−1)/every⌋
 * - `cosine`: minLr + ½(lr − minLr)(1 + cos(π·min(t−1, total)/total))
 * - `warmup`: lr · min(1, t/warmup)
 */
export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; every: number; gamma: number }
  | { kind: 'cosine'; total: number; minLr?: number }
  | { kind: 'warmup'; warmup: number };

/** One optimizer and its hyperparameters. Missing fields take `OPTIMIZER_DEFAULTS`. */
export interface OptimizerConfig {
  kind: OptimizerKind;
  lr?: number;
  /** Momentum coefficient (momentum, Nesterov) or first-moment decay (Adam family). */
  beta1?: number;
  /** Second-moment decay (RMSProp, Adam family). */
  beta2?: number;
  eps?: number;
  /** L2 added to the gradient, except AdamW, where it is decoupled: x ← x − lr·wd·x. */
  weightDecay?: number;
  /** Adam family only: divide the moments by (1 − βᵗ). Default true. */
  biasCorrection?: boolean;
  schedule?: Schedule;
  /** Display name; plain text. */
  label?: string;
}

/** A configuration with every field filled in and every number rounded to f32. */
export interface ResolvedOptimizer {
  kind: OptimizerKind;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  biasCorrection: boolean;
  schedule: ScheduleKind;
  /** Schedule parameters: step (every, gamma), cosine (total, minLr), warmup (warmup, 0). */
  s0: number;
  s1: number;
  label: string;
}

/** Per-optimizer defaults (PyTorch's, except lr, which suits the 2-D surfaces). */
export const OPTIMIZER_DEFAULTS: Record<OptimizerKind, { lr: number; beta1: number; beta2: number; eps: number; label: string }> = {
  sgd: { lr: 0.01, beta1: 0, beta2: 0, eps: 0, label: 'SGD' },
  momentum: { lr: 0.01, beta1: 0.9, beta2: 0, eps: 0, label: 'Momentum' },
  nesterov: { lr: 0.01, beta1: 0.9, beta2: 0, eps: 0, label: 'Nesterov' },
  adagrad: { lr: 0.1, beta1: 0, beta2: 0, eps: 1e-10, label: 'AdaGrad' },
  rmsprop: { lr: 0.01, beta1: 0, beta2: 0.99, eps: 1e-8, label: 'RMSProp' },
  adam: { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, label: 'Adam' },
  adamw: { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, label: 'AdamW' },
  amsgrad: { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, label: 'AMSGrad' },
};

/** An analytic surface. `noise` adds seeded gradient noise (σ per component) to any of them. */
export interface SurfaceSpec {
  kind: SurfaceKind;
  /** Quadratic only: the condition number κ ≥ 1 (curvatures κ and 1). Default 10. */
  condition?: number;
  /** Quadratic only: rotation of the principal axes, in degrees. Default 0. */
  rotation?: number;
  /** Standard deviation of the additive gradient noise. Default 0. */
  noise?: number;
  /** Seed of the noise (a counter-based hash, so CPU and GPU draw the same values). */
  seed?: number;
}

/** A surface with its f32 parameters resolved (cos/sin of the rotation computed once, on the host). */
export interface ResolvedSurface {
  kind: SurfaceKind;
  condition: number;
  cosT: number;
  sinT: number;
  noise: number;
  seed: number;
}

/** Default view window `[x0, x1, y0, y1]` and a default start for each surface. */
export const SURFACE_VIEWS: Record<
  SurfaceKind,
  { domain: [number, number, number, number]; start: [number, number]; minimum: number | null; label: string }
> = {
  quadratic: { domain: [-2, 2, -2, 2], start: [-1.8, 1.2], minimum: 0, label: 'Quadratic' },
  rosenbrock: { domain: [-2, 2, -1, 3], start: [-1.5, 2.5], minimum: 0, label: 'Rosenbrock' },
  beale: { domain: [-4.5, 4.5, -4.5, 4.5], start: [-2, 2], minimum: 0, label: 'Beale' },
  himmelblau: { domain: [-5, 5, -5, 5], start: [0, 0], minimum: 0, label: 'Himmelblau' },
  saddle: { domain: [-2, 2, -2, 2], start: [-1.8, 1e-3], minimum: null, label: 'Saddle x² − y²' },
  monkey: { domain: [-2, 2, -2, 2], start: [-1.5, 0.2], minimum: null, label: 'Monkey saddle x³ − 3xy²' },
};
