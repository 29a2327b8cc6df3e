/**
 * The case runner: warm-up, then timed repeats until both a minimum count and a
 * minimum time are reached; then the peak bytes of one call and the error of its
 * output against the CPU reference. Any failure (a thrown error, out of memory, a
 * lost device) becomes a record with `status: 'failed'` and its reason, never an
 * exception, so a plan always runs to its end.
 */
import { gbps, gflops } from './flops';
import { gcdAll, summarize } from './stats';
import type { BenchCase, BenchRecord, ErrorReport, RepeatPolicy, RunConfig, RunOptions, Sample, TimerReport } from './types';

/** A case made ready to run: inputs uploaded, pipelines about to be built by the first call. */
export interface PreparedRun {
  /** One call, timed from the call to the GPU queue being idle. */
  run(): Promise<Sample>;
  /** Peak GPU bytes of one call: its inputs plus the most the call added at any moment. */
  peak(): Promise<{ bytes: number; source: string }>;
  /** The output of the last call, flat and row-major. */
  read(): Promise<Float32Array>;
  /** Frees everything `prepare` and the calls allocated. */
  dispose(): void | Promise<void>;
  /** The configuration every call runs (ours), when known. */
  config?: RunConfig;
}

/** What `runCase` needs to know about a case besides the case itself. */
export interface CaseDriver {
  prepare(): Promise<PreparedRun>;
  /** FLOPs and compulsory bytes of one call (see flops.ts). */
  work: { flops: number; bytes: number };
  /** Compares the output with the CPU reference; null when there is no reference. */
  check?(output: Float32Array): Promise<ErrorReport | null>;
}

/** The samples of one measurement. */
export interface Measurement {
  samples: Sample[];
  warmup: number;
}

/**
 * Calls `run` `policy.warmup` times (and until `warmupMs` has passed), untimed, then
 * times calls until there are `minRepeats` of them and `minTimeMs` has passed, or
 * `maxRepeats` is reached (the count minimum always holds).
 */
export async function measure(
  run: () => Promise<Sample>,
  policy: RepeatPolicy,
  now: () => number = () => performance.now(),
): Promise<Measurement> {
  let warmup = 0;
  const warmStart = now();
  while (warmup < policy.warmup || (warmup > 0 && now() - warmStart < policy.warmupMs)) {
    await run();
    warmup += 1;
    if (warmup >= Math.max(policy.warmup, policy.maxRepeats)) break;
  }
  const samples: Sample[] = [];
  const start = now();
  while (samples.length < policy.minRepeats || (now() - start < policy.minTimeMs && samples.length < policy.maxRepeats)) {
    samples.push(await run());
  }
  return { samples, warmup };
}

let wallResolution: number | null = null;

/** The resolution of `performance.now()` here, in ms: the smallest non-zero step seen. */
export function measureWallResolution(): number {
  if (wallResolution !== null) return wallResolution;
  let best = Infinity;
  const end = performance.now() + 20;
  let last = performance.now();
  while (last < end) {
    const t = performance.now();
    if (t > last) {
      best = Math.min(best, t - last);
      last = t;
    }
  }
  wallResolution = Number.isFinite(best) ? best : 1;
  return wallResolution;
}

/** The reason text of anything thrown. */
export function describeError(e: unknown): { errorName: string; reason: string } {
  if (e instanceof Error) return { errorName: e.name || 'Error', reason: e.message || String(e) };
  return { errorName: 'Error', reason: String(e) };
}

function timerReport(samples: Sample[]): TimerReport {
  const gpuTimer = samples.find((s) => s.gpuTimer)?.gpuTimer ?? null;
  let gpuResolutionMs: number | null = null;
  if (gpuTimer === 'timestamp-query') {
    const ns = samples.map((s) => Math.round((s.gpuMs ?? 0) * 1e6)).filter((v) => v > 0);
    const g = gcdAll(ns);
    gpuResolutionMs = g > 0 ? g / 1e6 : null;
  }
  return { primary: 'wall', wallResolutionMs: measureWallResolution(), gpu: gpuTimer, gpuResolutionMs };
}

/** Runs one case to a record. Never throws: failures are recorded with their reason. */
export async function runCase(c: BenchCase, driver: CaseDriver, options: RunOptions): Promise<BenchRecord> {
  const started = performance.now();
  const { flops, bytes } = driver.work;
  const base = { ...c, flops, bytes, intensity: bytes > 0 ? flops / bytes : Infinity };
  let prepared: PreparedRun | null = null;
  try {
    prepared = await driver.prepare();
    const p = prepared;
    const { samples, warmup } = await measure(() => p.run(), options.policy);
    const wall = summarize(
      samples.map((s) => s.wallMs),
      { seed: options.seed },
    );
    const gpuValues = samples.map((s) => s.gpuMs).filter((v): v is number => v !== null && Number.isFinite(v));
    const gpu = gpuValues.length === samples.length ? summarize(gpuValues, { seed: options.seed }) : null;
    const peak = await p.peak();
    const error = driver.check ? await driver.check(await p.read()) : null;
    const wrong = error && (error.nonFinite > 0 || error.maxAbsErr > options.wrongAbove * error.maxAbsRef);
    const config = p.config;
    return {
      ...base,
      // A configuration searched in this run (the roofline probes) is named in the params too.
      ...(config?.candidates ? { params: { ...c.params, config: config.label } } : {}),
      ...(config ? { config } : {}),
      status: wrong ? 'failed' : 'ok',
      ...(wrong
        ? {
            errorName: 'WrongOutput',
            reason: `wrong output: max abs error ${error.maxAbsErr.toExponential(2)} against outputs up to ${error.maxAbsRef.toExponential(2)}${error.nonFinite ? `, ${error.nonFinite} non-finite mismatches` : ''} (${error.count} of ${error.total} checked)`,
          }
        : {}),
      wall,
      gpu,
      timer: timerReport(samples),
      warmup,
      elapsedMs: performance.now() - started,
      gflops: flops > 0 ? gflops(flops, wall.median) : 0,
      gbps: gbps(bytes, wall.median),
      peakBytes: peak.bytes,
      peakSource: peak.source,
      error,
      finishedAt: new Date().toISOString(),
    };
  } catch (e) {
    const config = prepared?.config;
    return {
      ...base,
      ...(config ? { config } : {}),
      status: 'failed',
      ...describeError(e),
      elapsedMs: performance.now() - started,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    try {
      await prepared?.dispose();
    } catch {
      // A lost device has already freed everything.
    }
  }
}
