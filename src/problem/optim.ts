/**
 * The optimizer race's configuration handling: validation of surfaces, optimizers,
 * races and grids (typed errors), rounding to f32, and the learning-rate schedule
 * table. The ids, types and defaults (optim-vocabulary.ts) and the packing into the
 * GPU's structs (optim-packing.ts) live beside it and are re-exported here.
 *
 * No GPU calls here: the CPU reference and the launchers both use it, so both
 * validate the same way and run from the same numbers (rounded to f32 once).
 */
import { InvalidArgumentError, ShapeError } from './errors';
import { assertHostElements } from './limits';
import {
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_IDS,
  OPTIMIZER_KINDS,
  SURFACE_IDS,
  SURFACE_KINDS,
  type OptimizerConfig,
  type ResolvedOptimizer,
  type ResolvedSurface,
  type SurfaceSpec,
} from './optim-vocabulary';

export * from './optim-vocabulary';
export * from './optim-packing';

const f32 = Math.fround;

/**
 * Whether `name` is one of `table`'s own keys. Never `name in table`: that also accepts
 * inherited names such as 'constructor', 'toString' or '__proto__'.
 */
export function isOwnKey<T extends object>(table: T, name: unknown): name is keyof T {
  return typeof name === 'string' && Object.hasOwn(table, name);
}

/** Whether `x` is a non-null object that is not an array (an options or description record). */
function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function finite(op: string, name: string, v: unknown, check: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new InvalidArgumentError(op, name, v, expected);
  return v;
}

/** Validates a surface and rounds its parameters to f32. Throws `InvalidArgumentError`. */
export function resolveSurface(op: string, s: SurfaceSpec): ResolvedSurface {
  if (!isRecord(s)) throw new InvalidArgumentError(op, 'surface', s, `a surface description {kind: ${SURFACE_KINDS.join(' | ')}, …}`);
  if (!isOwnKey(SURFACE_IDS, s.kind)) throw new InvalidArgumentError(op, 'surface.kind', s.kind, `one of ${SURFACE_KINDS.join(', ')}`);
  const condition = finite(op, 'surface.condition', s.condition ?? 10, (x) => x >= 1 && x <= 1e6, 'a number in [1, 1e6]');
  const rotation = finite(op, 'surface.rotation', s.rotation ?? 0, () => true, 'a finite number of degrees');
  const noise = finite(op, 'surface.noise', s.noise ?? 0, (x) => x >= 0 && x <= 1e3, 'a number in [0, 1000]');
  const seed = finite(op, 'surface.seed', s.seed ?? 0, (x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff, 'an integer in [0, 2³²)');
  const rad = (rotation * Math.PI) / 180;
  return { kind: s.kind, condition: f32(condition), cosT: f32(Math.cos(rad)), sinT: f32(Math.sin(rad)), noise: f32(noise), seed };
}

/** Validates an optimizer configuration, fills defaults and rounds every number to f32. */
export function resolveOptimizer(op: string, c: OptimizerConfig, index = 0): ResolvedOptimizer {
  const at = `optimizers[${index}]`;
  if (!isRecord(c)) throw new InvalidArgumentError(op, at, c, `an optimizer configuration {kind: ${OPTIMIZER_KINDS.join(' | ')}, …}`);
  if (!isOwnKey(OPTIMIZER_IDS, c.kind)) throw new InvalidArgumentError(op, `${at}.kind`, c.kind, `one of ${OPTIMIZER_KINDS.join(', ')}`);
  const d = OPTIMIZER_DEFAULTS[c.kind];
  const lr = finite(op, `${at}.lr`, c.lr ?? d.lr, (x) => x >= 0 && x <= 1e3, 'a number in [0, 1000]');
  const beta1 = finite(op, `${at}.beta1`, c.beta1 ?? d.beta1, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
  const beta2 = finite(op, `${at}.beta2`, c.beta2 ?? d.beta2, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
  const eps = finite(op, `${at}.eps`, c.eps ?? d.eps, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
  const weightDecay = finite(op, `${at}.weightDecay`, c.weightDecay ?? 0, (x) => x >= 0 && x <= 1e3, 'a number in [0, 1000]');
  const sched = c.schedule ?? { kind: 'constant' };
  if (!isRecord(sched))
    throw new InvalidArgumentError(op, `${at}.schedule`, sched, 'a schedule {kind: constant | step | cosine | warmup, …}');
  if (c.biasCorrection !== undefined && typeof c.biasCorrection !== 'boolean') {
    throw new InvalidArgumentError(op, `${at}.biasCorrection`, c.biasCorrection, 'a boolean');
  }
  if (c.label !== undefined && typeof c.label !== 'string') throw new InvalidArgumentError(op, `${at}.label`, c.label, 'a string');
  let s0 = 0;
  let s1 = 0;
  switch (sched.kind) {
    case 'constant':
      break;
    case 'step':
      s0 = finite(op, `${at}.schedule.every`, sched.every, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
      s1 = finite(op, `${at}.schedule.gamma`, sched.gamma, (x) => x > 0 && x <= 1, 'a number in (0, 1]');
      break;
    case 'cosine':
      s0 = finite(op, `${at}.schedule.total`, sched.total, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
      s1 = finite(op, `${at}.schedule.minLr`, sched.minLr ?? 0, (x) => x >= 0 && x <= 1e3, 'a number in [0, 1000]');
      break;
    case 'warmup':
      s0 = finite(op, `${at}.schedule.warmup`, sched.warmup, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
      break;
    default:
      throw new InvalidArgumentError(op, `${at}.schedule.kind`, (sched as { kind: unknown }).kind, 'constant, step, cosine or warmup');
  }
  const label = typeof c.label === 'string' && c.label.length > 0 ? c.label.slice(0, 60) : d.label;
  return {
    kind: c.kind,
    lr: f32(lr),
    beta1: f32(beta1),
    beta2: f32(beta2),
    eps: f32(eps),
    weightDecay: f32(weightDecay),
    biasCorrection: c.biasCorrection ?? true,
    schedule: sched.kind,
    s0: f32(s0),
    s1: f32(s1),
    label,
  };
}

/** A race: every optimizer from every start, for `steps` steps. */
export interface RaceInput {
  surface: SurfaceSpec;
  optimizers: readonly OptimizerConfig[];
  /** Starting points, `[[x, y], …]` or a flat `[x0, y0, x1, y1, …]`. */
  starts: readonly (readonly [number, number])[] | Float32Array | readonly number[];
  steps: number;
}

/** A validated race with f32 inputs. */
export interface ResolvedRace {
  surface: ResolvedSurface;
  optimizers: ResolvedOptimizer[];
  /** Flat [nStarts, 2], f32. */
  starts: Float32Array;
  nStarts: number;
  steps: number;
  /** Output shape: [optimizers, starts, steps + 1, 3] holding (x, y, loss) per step. */
  shape: [number, number, number, number];
}

/** Largest number of steps one race may take. */
export const MAX_RACE_STEPS = 100_000;

/** Validates a race (typed errors, no GPU work) and rounds its inputs to f32. */
export function resolveRace(op: string, input: RaceInput): ResolvedRace {
  if (!isRecord(input)) throw new InvalidArgumentError(op, 'input', input, 'a race description {surface, optimizers, starts, steps}');
  const surface = resolveSurface(op, input.surface);
  if (!Array.isArray(input.optimizers))
    throw new InvalidArgumentError(op, 'optimizers', input.optimizers, 'an array of optimizer configurations');
  // Array.from visits holes too (as undefined), where map would skip them.
  const optimizers = Array.from(input.optimizers as readonly unknown[], (c, i) => resolveOptimizer(op, c as OptimizerConfig, i));
  const steps = finite(
    op,
    'steps',
    input.steps,
    (x) => Number.isInteger(x) && x >= 0 && x <= MAX_RACE_STEPS,
    `an integer in [0, ${MAX_RACE_STEPS}]`,
  );
  const starts = flattenStarts(op, input.starts);
  const nStarts = starts.length / 2;
  const shape: [number, number, number, number] = [optimizers.length, nStarts, steps + 1, 3];
  // The path (and the CPU reference's copy of it) is allocated from these sizes: bound it first.
  assertHostElements(op, `the path [${shape.join(', ')}]`, shape[0] * shape[1] * shape[2] * shape[3]);
  assertHostElements(op, `the learning-rate table [${optimizers.length}, ${steps}]`, optimizers.length * steps);
  return { surface, optimizers, starts, nStarts, steps, shape };
}

/** Starting points as flat f32 pairs: from `[[x, y], …]`, a flat number array or a Float32Array; every coordinate finite. */
function flattenStarts(op: string, raw: unknown): Float32Array {
  // Array.from turns holes into undefined, so a sparse list of points is not taken for a dense one.
  const isPoints = Array.isArray(raw) && raw.length > 0 && Array.from(raw as unknown[]).every((p) => Array.isArray(p));
  if (!isPoints && !Array.isArray(raw) && !(raw instanceof Float32Array)) {
    throw new InvalidArgumentError(op, 'starts', raw, 'an array of [x, y] points, or a flat array of x, y pairs');
  }
  const flat: unknown[] = [];
  if (isPoints) {
    const points = raw as unknown[][];
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      if (p.length !== 2)
        throw new ShapeError(op, `starts[${i}] has ${p.length} coordinates, expected 2`, { starts: [points.length, p.length] });
      flat.push(p[0], p[1]);
    }
  } else {
    const list = raw as ArrayLike<unknown>;
    for (let i = 0; i < list.length; i++) flat.push(list[i]);
  }
  // Entries first: a sparse or mixed list is bad data, whatever its length.
  flat.forEach((v, i) => finite(op, `starts[${i >> 1}][${i & 1}]`, v, () => true, 'a finite coordinate'));
  if (flat.length % 2 !== 0)
    throw new ShapeError(op, `starts has ${flat.length} values, not a whole number of (x, y) pairs`, { starts: [flat.length] });
  return Float32Array.from(flat as number[]);
}

/** A grid request: R×R samples over `[x0, x1] × [y0, y1]`; row j lies at y = y0 + j·dy. */
export interface GridInput {
  surface: SurfaceSpec;
  resolution: number;
  domain: readonly [number, number, number, number];
}

/** A validated grid: f32 origin and spacing, computed once here for both GPU and CPU. */
export interface ResolvedGrid {
  surface: ResolvedSurface;
  res: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
}

/** Largest grid side the grid kernel accepts. */
export const MAX_GRID_RESOLUTION = 4096;

/** Validates a grid request (typed errors, no GPU work). */
export function resolveGrid(op: string, input: GridInput): ResolvedGrid {
  if (!isRecord(input)) throw new InvalidArgumentError(op, 'input', input, 'a grid description {surface, resolution, domain}');
  const surface = resolveSurface(op, input.surface);
  const res = finite(
    op,
    'resolution',
    input.resolution,
    (x) => Number.isInteger(x) && x >= 2 && x <= MAX_GRID_RESOLUTION,
    `an integer in [2, ${MAX_GRID_RESOLUTION}]`,
  );
  const d = input.domain;
  if (
    !Array.isArray(d) ||
    d.length !== 4 ||
    !d.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    !(d[1] > d[0]) ||
    !(d[3] > d[2])
  ) {
    throw new InvalidArgumentError(op, 'domain', d, '[x0, x1, y0, y1] with x1 > x0 and y1 > y0');
  }
  const [x0, x1, y0, y1] = d.map(f32) as [number, number, number, number];
  return { surface, res, x0, y0, dx: f32((x1 - x0) / (res - 1)), dy: f32((y1 - y0) / (res - 1)) };
}

/**
 * The learning rate at 1-based step t under the optimizer's schedule, rounded by `r`
 * after each operation (identity: float64; `Math.fround`: f32).
 */
export function scheduledLr(o: ResolvedOptimizer, t: number, r: (x: number) => number = (x) => x): number {
  switch (o.schedule) {
    case 'constant':
      return o.lr;
    case 'step':
      return r(o.lr * r(Math.pow(o.s1, Math.floor((t - 1) / o.s0))));
    case 'cosine': {
      const p = r(Math.min(t - 1, o.s0) / o.s0);
      return r(o.s1 + r(r(0.5 * r(o.lr - o.s1)) * r(1 + r(Math.cos(r(Math.PI * p))))));
    }
    case 'warmup':
      return r(o.lr * Math.min(1, r(t / o.s0)));
  }
}

/**
 * The schedule table the race kernel reads: lrs[o·steps + t − 1] is optimizer o's
 * rate at step t, in f32. Evaluated on the host because WGSL's cos and pow carry
 * absolute errors up to 2⁻¹¹, which would move trajectories visibly.
 */
export function scheduleTable(opts: readonly ResolvedOptimizer[], steps: number): Float32Array {
  const out = new Float32Array(Math.max(1, opts.length * steps));
  opts.forEach((o, i) => {
    for (let t = 1; t <= steps; t++) out[i * steps + t - 1] = scheduledLr(o, t, Math.fround);
  });
  return out;
}
