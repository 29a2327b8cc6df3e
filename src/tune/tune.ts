/**
 * `tune(gpu, kernel, shapeClass)`: the per-device autotuner. For each candidate
 * configuration of a kernel family (`TunableFamily.candidates`, the same list the
 * bench enumerates) it first checks the output against the float64 CPU reference on a
 * small case with ragged sizes (the tolerance rule), then times it on a representative
 * case of the shape class. The fastest correct candidate is stored in `gpu.tuning`,
 * keyed by adapter identity, family, shape class and the hash of the family's WGSL,
 * and saved to the given store. Kernels then use it for `variant: 'auto'`.
 *
 * The tuner sits above kernels and references (it imports both); kernels only read
 * the table. Timings come from an injectable `timer`, so the choice is testable.
 */
import type { Gpu } from '../gpu/device';
import { adapterClass, adapterIdentity } from '../gpu/adapter-class';
import { Tensor } from '../gpu/tensor';
import type { TuningRecord } from '../gpu/tuning';
import { InvalidArgumentError } from '../problem/errors';
import { attention } from '../kernels/attention';
import { matmul } from '../kernels/matmul';
import { softmax, type SoftmaxConfig } from '../kernels/softmax';
import { SOFTMAX_FAMILY } from '../kernels/softmax-tuning';
import { softmaxReference } from '../reference/softmax';
import { FLASH_FAMILY, MATMUL_FAMILY, type MatmulTuning, type TunableFamily } from '../kernels/tuned';
import type { FlashConfig } from '../kernels/attention/flash-config';
import { attentionReference } from '../reference/attention';
import { checkTolerance } from '../reference/compare';
import { matmulReference } from '../reference/matmul';
import { mulberry32, normalArray } from '../reference/random';
import { pickFastest, median, type CandidateResult } from './select';
import type { TuneStore } from './store';

/** Times one run of `work` in ms; the default is wall time to the GPU queue being idle. */
export type TuneTimer = (work: () => Promise<void>, label: string) => Promise<number>;

export interface TuneOptions {
  /** Timed runs per candidate after one warm-up (default 3). */
  repeats?: number;
  /** The tuning case's size: matmul N (default 512), attention sequence length (default 1024). */
  size?: number;
  timer?: TuneTimer;
  /** Where to persist the table after tuning (default: nowhere beyond `gpu.tuning`). */
  store?: TuneStore;
  /** Called after each candidate: (index, count, its label). */
  onProgress?: (i: number, n: number, label: string) => void;
}

export interface TuneResult {
  kernel: string;
  shapeClass: string;
  record: TuningRecord | null;
  candidates: { label: string; correct: boolean; medianMs: number | null; reason?: string }[];
}

/** How one family is exercised: a check against the reference and a timed case. */
interface TuneTarget<C> {
  family: TunableFamily<C>;
  shapeClasses: readonly string[];
  /** Runs `config` on a small ragged case; true when it meets the tolerance rule. */
  check(gpu: Gpu, config: C, shapeClass: string): Promise<boolean>;
  /** Allocates the timing case; returns one run and a clean-up. */
  prepare(gpu: Gpu, config: C, shapeClass: string, size: number): { run: () => Promise<void>; dispose: () => void; label: string };
}

const host = (data: Float32Array, shape: number[]) => ({ data, shape });

/** Runs `work` with `record` installed as this device's matmul choice for the shape class. */
async function withMatmulConfig<T>(gpu: Gpu, config: MatmulTuning, shapeClass: string, work: () => Promise<T>): Promise<T> {
  const key = { adapter: adapterIdentity(gpu.info), kernel: MATMUL_FAMILY.kernel, shapeClass, source: MATMUL_FAMILY.source };
  const previous = gpu.tuning.lookup(key.adapter, key.kernel, key.shapeClass, key.source);
  const wasEnabled = gpu.tuning.enabled;
  gpu.tuning.enabled = true;
  gpu.tuning.set({ ...key, config, ms: 0, defaultMs: 0, measuredOn: 'tuning' });
  try {
    return await work();
  } finally {
    if (previous) gpu.tuning.set(previous);
    else gpu.tuning.remove(key);
    gpu.tuning.enabled = wasEnabled;
  }
}

/** The matmul shapes of each class: a ragged check case and the timing case of size n. */
const MATMUL_SHAPES: Record<string, { check: [number, number, number]; time: (n: number) => [number, number, number] }> = {
  large: { check: [67, 45, 93], time: (n) => [n, n, n] },
  small: { check: [33, 50, 40], time: (n) => [48, n, n] },
  gemv: { check: [1, 300, 200], time: (n) => [1, 4 * n, n] },
};

const MATMUL_TARGET: TuneTarget<MatmulTuning> = {
  family: MATMUL_FAMILY,
  shapeClasses: Object.keys(MATMUL_SHAPES),
  async check(gpu, config, shapeClass) {
    const [M, K, N] = MATMUL_SHAPES[shapeClass]!.check;
    const rng = mulberry32(M * 131 + N);
    const a = host(normalArray(rng, M * K), [M, K]);
    const b = host(normalArray(rng, K * N), [K, N]);
    const c = await withMatmulConfig(gpu, config, shapeClass, () => matmul(gpu, a, b));
    const got = await c.read();
    c.destroy();
    return checkTolerance(got, matmulReference(a, b).data, matmulReference(a, b, {}, 'f32').data).ok;
  },
  prepare(gpu, config, shapeClass, n) {
    const [M, K, N] = MATMUL_SHAPES[shapeClass]!.time(n);
    const rng = mulberry32(7);
    const a = Tensor.fromData(gpu, normalArray(rng, M * K), [M, K], 'tune:a');
    const b = Tensor.fromData(gpu, normalArray(rng, K * N), [K, N], 'tune:b');
    return {
      label: `matmul ${M}×${K}×${N}`,
      run: () => withMatmulConfig(gpu, config, shapeClass, async () => (await matmul(gpu, a, b)).destroy()),
      dispose: () => {
        a.destroy();
        b.destroy();
      },
    };
  },
};

/** The head dim and mask of each flash shape class. */
function flashClass(shapeClass: string): { d: number; causal: boolean } {
  const [bucket, mask] = shapeClass.split(':');
  const d = { d32: 32, d64: 64, d128: 128, dbig: 256 }[bucket as 'd32'] ?? 64;
  return { d, causal: mask === 'causal' };
}

const FLASH_TARGET: TuneTarget<FlashConfig> = {
  family: FLASH_FAMILY,
  shapeClasses: ['d32', 'd64', 'd128', 'd64:causal', 'd128:causal'],
  async check(gpu, config, shapeClass) {
    const { d, causal } = flashClass(shapeClass);
    const [B, H, Nq, Nk] = [1, 2, 37, 45];
    const rng = mulberry32(d + (causal ? 1 : 0));
    const q = host(normalArray(rng, B * H * Nq * d), [B, H, Nq, d]);
    const k = host(normalArray(rng, B * H * Nk * d), [B, H, Nk, d]);
    const v = host(normalArray(rng, B * H * Nk * d), [B, H, Nk, d]);
    const o = await attention(gpu, q, k, v, { variant: 'flash', causal, config });
    const got = await o.read();
    o.destroy();
    const ref = (p: 'f64' | 'f32') => attentionReference(q, k, v, { variant: 'flash', causal }, p).data;
    return checkTolerance(got, ref('f64'), ref('f32')).ok;
  },
  prepare(gpu, config, shapeClass, n) {
    const { d, causal } = flashClass(shapeClass);
    const rng = mulberry32(11);
    const make = (name: string) => Tensor.fromData(gpu, normalArray(rng, n * d), [1, 1, n, d], `tune:${name}`);
    const [q, k, v] = [make('q'), make('k'), make('v')];
    return {
      label: `attention 1·1·${n}·${d}${causal ? ' causal' : ''}`,
      run: async () => (await attention(gpu, q, k, v, { variant: 'flash', causal, config })).destroy(),
      dispose: () => [q, k, v].forEach((t) => t.destroy()),
    };
  },
};

/** Softmax shape classes: a ragged check case and a timing case of `n` rows. */
const SOFTMAX_SHAPES: Record<string, { check: [number, number]; time: (n: number) => [number, number] }> = {
  short: { check: [37, 129], time: (n) => [4 * n, 256] },
  medium: { check: [9, 1031], time: (n) => [n, 1024] },
  long: { check: [3, 5001], time: (n) => [Math.max(1, n >> 2), 8192] },
};

const SOFTMAX_TARGET: TuneTarget<SoftmaxConfig> = {
  family: SOFTMAX_FAMILY,
  shapeClasses: Object.keys(SOFTMAX_SHAPES),
  async check(gpu, config, shapeClass) {
    const [rows, len] = SOFTMAX_SHAPES[shapeClass]!.check;
    const x = host(normalArray(mulberry32(rows + len), rows * len, 4), [rows, len]);
    const y = await softmax(gpu, x, { config });
    const got = await y.read();
    y.destroy();
    return checkTolerance(got, softmaxReference(x).data, softmaxReference(x, {}, 'f32').data).ok;
  },
  prepare(gpu, config, shapeClass, n) {
    const [rows, len] = SOFTMAX_SHAPES[shapeClass]!.time(n);
    const x = Tensor.fromData(gpu, normalArray(mulberry32(3), rows * len), [rows, len], 'tune:x');
    return {
      label: `softmax ${rows}×${len}`,
      run: async () => (await softmax(gpu, x, { config })).destroy(),
      dispose: () => x.destroy(),
    };
  },
};

const TARGETS: Record<string, TuneTarget<unknown>> = {
  softmax: SOFTMAX_TARGET as TuneTarget<unknown>,
  matmul: MATMUL_TARGET as TuneTarget<unknown>,
  'attention:flash': FLASH_TARGET as TuneTarget<unknown>,
};

/** The families `tune` knows, and the shape classes of each. */
export function tunableKernels(): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, t.shapeClasses]));
}

/** Wall time from the call, with the queue idle before it, to the GPU queue being idle after it. */
function wallTimer(gpu: Gpu): TuneTimer {
  return async (work) => {
    await gpu.done('tune');
    const t0 = performance.now();
    await work();
    await gpu.done('tune');
    return performance.now() - t0;
  };
}

/**
 * Tunes `kernel` ('matmul' or 'attention:flash') for `shapeClass` on this device.
 * @throws InvalidArgumentError for an unknown kernel or shape class, before any GPU work.
 */
export async function tune(gpu: Gpu, kernel: string, shapeClass: string, opts: TuneOptions = {}): Promise<TuneResult> {
  const op = 'tune';
  const target = Object.hasOwn(TARGETS, kernel) ? TARGETS[kernel]! : null;
  if (!target) throw new InvalidArgumentError(op, 'kernel', kernel, `one of ${Object.keys(TARGETS).join(', ')}`);
  if (!target.shapeClasses.includes(shapeClass))
    throw new InvalidArgumentError(op, 'shapeClass', shapeClass, `one of ${target.shapeClasses.join(', ')}`);
  const repeats = opts.repeats ?? 3;
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 100)
    throw new InvalidArgumentError(op, 'repeats', repeats, 'an integer in [1, 100]');
  const size = opts.size ?? (kernel === 'matmul' ? 512 : 1024); // softmax: 1024 rows of the class's length
  if (!Number.isInteger(size) || size < 1 || size > 16384) throw new InvalidArgumentError(op, 'size', size, 'an integer in [1, 16384]');
  const timer = opts.timer ?? wallTimer(gpu);
  await gpu.ready(op);

  const candidates = target.family.candidates(gpu);
  const results: CandidateResult<unknown>[] = [];
  let measuredOn = '';
  for (const [i, config] of candidates.entries()) {
    const label = JSON.stringify(config);
    const result: CandidateResult<unknown> = { config, correct: false, times: [] };
    try {
      result.correct = await target.check(gpu, config, shapeClass);
      if (!result.correct) result.reason = 'output outside the tolerance rule';
      else {
        const c = target.prepare(gpu, config, shapeClass, size);
        measuredOn = c.label;
        try {
          await c.run(); // warm-up: pipeline compilation lands here
          for (let r = 0; r < repeats; r++) result.times.push(await timer(c.run, label));
        } finally {
          c.dispose();
        }
      }
    } catch (e) {
      result.correct = false;
      result.reason = (e as Error).message;
    }
    results.push(result);
    opts.onProgress?.(i + 1, candidates.length, label);
  }

  const best = pickFastest(results);
  const fallback = target.family.defaultConfig(adapterClass(gpu.info), shapeClass);
  const defaultResult = results.find((r) => JSON.stringify(r.config) === JSON.stringify(fallback));
  let record: TuningRecord | null = null;
  if (best >= 0) {
    const winner = results[best]!;
    record = {
      adapter: adapterIdentity(gpu.info),
      kernel: target.family.kernel,
      shapeClass,
      source: target.family.source,
      config: winner.config,
      ms: median(winner.times),
      defaultMs: defaultResult && defaultResult.times.length ? median(defaultResult.times) : null,
      measuredOn,
    };
    gpu.tuning.set(record);
    await opts.store?.save(gpu.tuning.all());
  }
  return {
    kernel,
    shapeClass,
    record,
    candidates: results.map((r) => ({
      label: JSON.stringify(r.config),
      correct: r.correct,
      medianMs: r.times.length ? median(r.times) : null,
      reason: r.reason,
    })),
  };
}

/** Loads persisted records into `gpu.tuning`; returns how many were taken. */
export async function loadTuning(gpu: Gpu, store: TuneStore): Promise<number> {
  return gpu.tuning.load(await store.load());
}
