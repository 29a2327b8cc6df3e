/**
 * `window.ksBench`: the API the CLI drives the bench page through (puppeteer), one
 * case per call, with tuning and reports built from the records it passes back.
 */
import type { TuningRecord } from '../src/gpu/tuning';
import {
  allPlots,
  markdownReport,
  planCases,
  toCsv,
  type BenchCase,
  type BenchEnvironment,
  type BenchRecord,
  type PlanOptions,
  type RunOptions,
  type TuneRun,
  type TuningNeed,
} from '../src/bench/index';
import { configure, currentSession, environment, gpuReady, ready, unavailable } from './bench-session';
import { showTuning } from './bench-view';

/** The API the CLI uses through puppeteer. */
export interface KsBenchApi {
  /** Resolves to 'ok' once the GPU is ready, or to 'error: …'. */
  ready: Promise<string>;
  plan(options: PlanOptions): BenchCase[];
  configure(options: Partial<RunOptions> & { quick?: boolean; minRepeats?: number }): void;
  run(c: BenchCase): Promise<BenchRecord>;
  environment(): BenchEnvironment;
  report(
    records: BenchRecord[],
    env: BenchEnvironment | null,
    command?: string,
    note?: string,
  ): { markdown: string; csv: string; svgs: Record<string, string> };
  /** The (kernel, shape class) pairs the cases consult in the tuning table. */
  tuningNeeds(cases: BenchCase[]): Promise<{ needs: TuningNeed[]; skipped: string[] }>;
  /** Tunes one pair on this device (progress through `window.ksBenchTuneProgress`, when the CLI defines it). */
  tune(kernel: string, shapeClass: string, options?: { quick?: boolean }): Promise<TuneRun & { record: TuningRecord | null }>;
  /** Loads tuning records (the CLI's file); `source` names them in the report. Resolves to how many were taken. */
  loadTuning(records: unknown, source: string): Promise<number>;
  /** Turns the tuning table on or off (`--no-tuning`). */
  setTuning(options: { enabled: boolean }): void;
  /** Every record of the tuning table, for the CLI's file. */
  tuningTable(): TuningRecord[];
}

declare global {
  interface Window {
    ksBench: KsBenchApi;
    /** Defined by the CLI to print the tuner's progress: (candidate, candidates, its label). */
    ksBenchTuneProgress?: (i: number, n: number, label: string) => void;
  }
}

/** Sets `window.ksBench`; `records` and `addRecord` are the page's, shared with its Run button. */
export function installCliApi(records: BenchRecord[], addRecord: (r: BenchRecord) => void): void {
  const status = document.getElementById('status') as HTMLParagraphElement;
  const useTuning = document.getElementById('use-tuning') as HTMLInputElement;
  window.ksBench = {
    ready: gpuReady.then((s) => (s ? 'ok' : `error: no WebGPU: ${unavailable()}`)),
    plan: (options) => planCases(options),
    configure,
    async run(c) {
      const s = await gpuReady;
      if (!s) throw new Error(`no WebGPU: ${unavailable()}`);
      status.textContent = `running ${c.id}`;
      const r = await s.runCase(c);
      addRecord(r);
      status.textContent = `finished ${records.length} cases`;
      return r;
    },
    environment: () => {
      const env = environment();
      if (!env) throw new Error(`no WebGPU: ${unavailable()}`);
      return env;
    },
    report: (rs, env, command, note) => ({ markdown: markdownReport(rs, env, command, note), csv: toCsv(rs), svgs: allPlots(rs) }),
    async tuningNeeds(cases) {
      return (await ready()).tuningNeeds(cases);
    },
    async tune(kernel, shapeClass, options = {}) {
      const s = await ready();
      status.textContent = `tuning ${kernel} ${shapeClass}`;
      const r = await s.tune(kernel, shapeClass, {
        quick: options.quick,
        onProgress: (i, n, label) => window.ksBenchTuneProgress?.(i, n, label),
      });
      showTuning(kernel, shapeClass, r.record, r);
      return r;
    },
    async loadTuning(data, source) {
      return (await ready()).loadTuning(data, source);
    },
    setTuning({ enabled }) {
      const session = currentSession();
      if (!session) throw new Error(`no WebGPU: ${unavailable()}`);
      session.setTuningEnabled(enabled);
      useTuning.checked = enabled;
    },
    tuningTable: () => {
      const session = currentSession();
      if (!session) throw new Error(`no WebGPU: ${unavailable()}`);
      return session.tuningTable();
    },
  };
}
