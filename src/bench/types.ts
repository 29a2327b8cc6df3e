/**
 * The benchmark's data model, shared by the runner, the bench page and the CLI:
 * a `BenchCase` says what to run, a `BenchRecord` is what one case measured
 * (one line of results.jsonl).
 */
import type { TimerKind } from '../gpu/timing';
import type { TuningRecord } from '../gpu/tuning';
import type { SampleSummary } from './stats';

export type SuiteName = 'matmul' | 'attention' | 'softmax' | 'roofline' | 'decode';
export const SUITES: readonly SuiteName[] = ['matmul', 'attention', 'softmax', 'roofline', 'decode'];
/** The suites a plan runs when none are named (`decode` runs when asked for). */
export const DEFAULT_SUITES: readonly SuiteName[] = ['matmul', 'attention', 'softmax', 'roofline'];

/** Who implements a case: kernelscope itself, or a peer library (e.g. 'tfjs'). */
export type Provider = 'kernelscope' | string;

/**
 * Case parameters: matmul {M,K,N}; attention {B,H,N,d,causal} and optionally Hkv, Nq, Nk, dv,
 * window, softcap, alibi (attention-case.ts); decode as attention; softmax {rows,cols};
 * roofline {probe sizes}.
 */
export type CaseParams = Record<string, number | boolean | string>;

/** One thing to measure. */
export interface BenchCase {
  /** Unique within a plan: `suite/impl/shape`. */
  id: string;
  suite: SuiteName;
  /** The variant ('naive', 'tiled', 'flash', …), or the peer's id for peer cases. */
  impl: string;
  provider: Provider;
  /** The shape key: cases with the same suite and shape are compared with each other. */
  shape: string;
  /** The series key for plots: cases of one series differ only in `n`. */
  series: string;
  /** The size plotted on the x axis (N, or the matmul's cube root of M·K·N). */
  n: number;
  params: CaseParams;
}

/** How long to measure. */
export interface RepeatPolicy {
  /** Untimed calls first (at least this many, and until `warmupMs` has passed). */
  warmup: number;
  warmupMs: number;
  /** Timed calls: at least `minRepeats`, and until `minTimeMs`, capped by `maxRepeats`. */
  minRepeats: number;
  minTimeMs: number;
  maxRepeats: number;
}

export const QUICK_POLICY: RepeatPolicy = { warmup: 1, warmupMs: 0, minRepeats: 3, minTimeMs: 50, maxRepeats: 10 };
export const FULL_POLICY: RepeatPolicy = { warmup: 1, warmupMs: 200, minRepeats: 5, minTimeMs: 1000, maxRepeats: 50 };

/** Options for running cases. */
export interface RunOptions {
  policy: RepeatPolicy;
  /** Seed of the inputs, the error check's output sample and the bootstrap. */
  seed: number;
  /** Outputs whose reference costs more FLOPs than this are checked on a sample of rows. */
  fullCheckFlops: number;
  /** Rows checked when sampling. */
  sampleRows: number;
  /**
   * A case whose max error passes this fraction of the largest |reference| (or has a
   * non-finite mismatch) is recorded as failed: a wrong output's time means nothing.
   */
  wrongAbove: number;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = { policy: QUICK_POLICY, seed: 1234, fullCheckFlops: 1e8, sampleRows: 48, wrongAbove: 1e-2 };

/** One timed call. `wallMs` runs from the call to the queue being idle; `gpuMs` is the GPU's own clock when it has one. */
export interface Sample {
  wallMs: number;
  gpuMs: number | null;
  gpuTimer: TimerKind | null;
}

/** The clocks behind a record. */
export interface TimerReport {
  /** The clock of `wall` and of every ratio: 'wall' (performance.now(), call to queue idle). */
  primary: 'wall';
  /** Resolution of performance.now() in this page, in ms (measured). */
  wallResolutionMs: number;
  /** The GPU clock, when the implementation has one: timestamp-query, else submit-to-done. */
  gpu: TimerKind | null;
  /** Largest quantum that divides every timestamp-query duration seen (an upper bound on its resolution), in ms. */
  gpuResolutionMs: number | null;
}

/** What the error check compared. */
export interface ErrorReport {
  /** Largest |output − reference| (reference in float64). */
  maxAbsErr: number;
  /** 'all' outputs, or a seeded 'sample' of rows. */
  checked: 'all' | 'sample';
  /** Outputs compared, of `total`. */
  count: number;
  total: number;
  /** Outputs where the non-finite pattern differs (NaN vs number, …). */
  nonFinite: number;
  /** Largest |reference| among the compared outputs (the scale `maxAbsErr` is judged against). */
  maxAbsRef: number;
}

/** The configuration one of our cases ran with. */
export interface RunConfig {
  /** One line for tables, e.g. "direct WG_X=8 WG_Y=8 (tuned)". */
  label: string;
  /** The configuration itself: variant, override constants, layout, … */
  values: Record<string, unknown>;
  /** Whether it came from this device's tuning table, or a search in this run (false: the shipped default or an explicit variant). */
  tuned: boolean;
  /** For a configuration searched in this run (the roofline probes): every candidate, its median ms, or why it was left out. */
  candidates?: { label: string; medianMs: number | null; reason?: string }[];
}

/** One line of results.jsonl. */
export interface BenchRecord extends BenchCase {
  status: 'ok' | 'failed';
  /** Why it failed: the error's name and message. */
  reason?: string;
  errorName?: string;
  /** Wall time per call (the primary statistic). */
  wall?: SampleSummary;
  /** GPU time per call, where the implementation reports it. */
  gpu?: SampleSummary | null;
  timer?: TimerReport;
  warmup?: number;
  /** Milliseconds the case took in all (preparation, warm-up, repeats, checks). */
  elapsedMs: number;
  flops: number;
  bytes: number;
  /** flops / bytes: where the case sits on the roofline's x axis. */
  intensity: number;
  /** From the median wall time. */
  gflops?: number;
  gbps?: number;
  /** Peak GPU bytes of one call: its inputs plus the most it added at any moment. */
  peakBytes?: number;
  /** How peak bytes were measured: 'gpu.memory' (kernelscope's buffer accounting) or 'tf.profile'. */
  peakSource?: string;
  error?: ErrorReport | null;
  /** The configuration it ran with (our cases; absent for peers and for a case that failed before it ran). */
  config?: RunConfig;
  /** ISO time the case finished. */
  finishedAt: string;
}

/** The adapter and page the run used. */
export interface BenchEnvironment {
  adapter: Record<string, unknown>;
  limits: Record<string, number>;
  features: Record<string, boolean>;
  userAgent: string;
  crossOriginIsolated: boolean;
  wallResolutionMs: number;
  peers: Record<string, string>;
  startedAt: string;
  /** The tuning table the cases consulted (absent in runs before it was recorded). */
  tuning?: TuningSummary;
}

/** One `tune()` call of this run: every candidate's median, or why it was dropped. */
export interface TuneRun {
  kernel: string;
  shapeClass: string;
  candidates: { label: string; correct: boolean; medianMs: number | null; reason?: string }[];
}

/** What the kernels' tuning table held while the cases ran. */
export interface TuningSummary {
  /** false with `--no-tuning` (or the page's box unticked): every kernel ran its shipped default. */
  enabled: boolean;
  /** Where the records came from, in words ("tuned in this run", "loaded from bench-results/tuning.json", "IndexedDB", …), or "" for none. */
  source: string;
  /** This adapter's identity (`adapterIdentity`): only its records are listed. */
  adapter: string;
  /** The records for this adapter. */
  records: TuningRecord[];
  /** The `tune()` calls of this run, if it tuned. */
  runs: TuneRun[];
}
