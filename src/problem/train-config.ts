/**
 * A training run's configuration: the network, the task (the simplified DDPM
 * objective on a point set, or softmax classification of a labelled set), the
 * optimizer (the optimizer race's rules and ids), the learning-rate schedule,
 * clipping, batch and seed; with validation that names the field at fault. Also the
 * Philox streams training draws from. Pure: no GPU.
 */
import { InvalidArgumentError, ShapeError } from './errors';
import { assertSchedule, type Schedule } from './ddpm-schedule';
import { resolveOptimizer, type OptimizerConfig, type ResolvedOptimizer } from './optim';
import { networkLayout, type NetworkLayout, type NetworkSpec } from './train-model';
import { resolveWarmupCosine, type WarmupCosine } from './train-schedule';
import { checkLabels } from './train-layers';
import { assertNumberArray } from './shape';

/**
 * Philox streams (the key's second word) of training: which data row, which
 * timestep, which noise, and the initial weights. Distinct from `RNG_STREAM`'s 0–7.
 */
export const TRAIN_STREAM = Object.freeze({ row: 16, time: 17, noise: 18, init: 19 });

/** The simplified DDPM objective E‖ε − ε_θ(√ᾱ_t x₀ + √(1−ᾱ_t) ε, t)‖², t uniform, on a point set. */
export interface DdpmTask {
  kind: 'ddpm';
  /** Training points, row-major [m, network.inputs]. */
  data: Float32Array;
  schedule: Schedule;
}

/** Full-batch softmax cross-entropy on labelled points. */
export interface ClassifyTask {
  kind: 'classify';
  /** Row-major [N, network.inputs]. */
  x: Float32Array;
  /** Class per row, in [0, network.outputs). */
  labels: ArrayLike<number>;
}

export type TrainTask = DdpmTask | ClassifyTask;

/** A training run. */
export interface TrainConfig {
  network: NetworkSpec;
  task: TrainTask;
  /** Any optimizer of the race (`schedule` must be absent or constant: use `schedule` below). Default Adam, lr 1e-3. */
  optimizer?: OptimizerConfig;
  /** Linear warm-up then cosine decay of the optimizer's lr; default none (constant). */
  schedule?: WarmupCosine | null;
  /** Clip gradients to this global norm; 0 or absent: no clipping. */
  clipNorm?: number;
  /** Rows per step (DDPM only; classification is full batch). Default 256. */
  batch?: number;
  seed?: number;
  /** Read the loss back every this many steps (it is logged every step on the GPU). Default 25. */
  lossEvery?: number;
}

/** A validated run. */
export interface ResolvedTrainConfig {
  layout: NetworkLayout;
  task: TrainTask;
  optimizer: ResolvedOptimizer;
  schedule: Required<WarmupCosine> | null;
  clipNorm: number;
  /** Rows per step. */
  batch: number;
  seed: number;
  lossEvery: number;
}

/** Largest batch, most rows of a data set and most DDPM timesteps (the GPU draws indices in 32-bit integers). */
export const MAX_TRAIN_BATCH = 1 << 16;

function intIn(op: string, name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new InvalidArgumentError(op, name, v, `an integer in [${lo}, ${hi}]`);
  return v;
}

/**
 * Validates a run: every number, the task's data against the network's widths, labels
 * against its outputs. Throws before anything is allocated.
 * @throws InvalidArgumentError naming the field; ShapeError when data and network disagree
 */
export function resolveTrainConfig(op: string, config: unknown): ResolvedTrainConfig {
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError(op, 'config', config, 'a training configuration');
  const c = config as TrainConfig;
  const layout = networkLayout(op, c.network);
  const spec = layout.spec;
  const optimizer = resolveOptimizer(op, c.optimizer ?? { kind: 'adam', lr: 1e-3 });
  if (optimizer.schedule !== 'constant')
    throw new InvalidArgumentError(op, 'optimizer.schedule', optimizer.schedule, "'constant' (set the run's schedule instead)");
  const schedule = c.schedule == null ? null : resolveWarmupCosine(op, c.schedule);
  const clipNorm = c.clipNorm ?? 0;
  if (typeof clipNorm !== 'number' || !(clipNorm >= 0 && clipNorm < Infinity))
    throw new InvalidArgumentError(op, 'clipNorm', clipNorm, 'a finite number ≥ 0 (0: no clipping)');
  const seed = intIn(op, 'seed', c.seed ?? 0, 0, 0xffffffff);
  const lossEvery = intIn(op, 'lossEvery', c.lossEvery ?? 25, 1, 10_000);
  const task = c.task;
  if (typeof task !== 'object' || task === null) throw new InvalidArgumentError(op, 'task', task, "a task {kind: 'ddpm' | 'classify', …}");
  let batch: number;
  if (task.kind === 'ddpm') {
    if (spec.timeEmbedding === 0) throw new InvalidArgumentError(op, 'network.timeEmbedding', 0, 'an even width ≥ 2 for a DDPM task');
    if (spec.outputs !== spec.inputs)
      throw new ShapeError(op, `an ε-predictor outputs what it takes: outputs ${spec.outputs} ≠ inputs ${spec.inputs}`);
    assertSchedule(op, task.schedule);
    if (task.schedule.T > MAX_TRAIN_BATCH)
      throw new InvalidArgumentError(op, 'task.schedule.T', task.schedule.T, `at most ${MAX_TRAIN_BATCH}`);
    checkRows(op, 'task.data', task.data, spec.inputs);
    batch = intIn(op, 'batch', c.batch ?? 256, 1, MAX_TRAIN_BATCH);
  } else if (task.kind === 'classify') {
    if (spec.timeEmbedding !== 0) throw new InvalidArgumentError(op, 'network.timeEmbedding', spec.timeEmbedding, '0 for a classify task');
    const n = checkRows(op, 'task.x', task.x, spec.inputs);
    assertNumberArray(op, 'task.labels', task.labels, 'a class index');
    if (task.labels.length !== n)
      throw new ShapeError(op, `task.labels has ${task.labels.length} entries for ${n} rows`, {
        x: [n, spec.inputs],
        labels: [task.labels.length],
      });
    checkLabels(op, task.labels, spec.outputs);
    if (c.batch !== undefined && c.batch !== n)
      throw new InvalidArgumentError(op, 'batch', c.batch, `absent or ${n} (classification is full batch)`);
    batch = n;
  } else {
    throw new InvalidArgumentError(op, 'task.kind', (task as { kind: unknown }).kind, "'ddpm' or 'classify'");
  }
  return { layout, task, optimizer, schedule, clipNorm, batch, seed, lossEvery };
}

/** Rows of a row-major Float32Array of `width` columns: at least 1, at most MAX_TRAIN_BATCH. */
function checkRows(op: string, name: string, data: unknown, width: number): number {
  if (!(data instanceof Float32Array)) throw new InvalidArgumentError(op, name, data, 'a Float32Array');
  if (data.length === 0 || data.length % width !== 0)
    throw new ShapeError(op, `${name} holds ${data.length} values, not a positive number of rows of ${width}`, { [name]: [data.length] });
  const n = data.length / width;
  if (n > MAX_TRAIN_BATCH) throw new InvalidArgumentError(op, `${name} rows`, n, `at most ${MAX_TRAIN_BATCH}`);
  return n;
}
