/**
 * A benchmark session on one page: the shared `Gpu`, the peers (created once, on
 * first use), and `runCase`, which turns a `BenchCase` into a `BenchRecord`. The
 * bench page and the CLI (through `window.ksBench`) both drive cases through it.
 */
import type { Gpu } from '../gpu/device';
import { adapterIdentity } from '../gpu/adapter-class';
import type { TuningRecord } from '../gpu/tuning';
import { checkOutput } from './check';
import { assertCaseFits, makeInputs, type CaseInputs } from './inputs';
import { attentionCaseParams, attentionRunOptions } from './attention-case';
import { availableKernels, loadSoftmaxTuning, loadTune, loadTuned, loadTuneStore } from './modules';
import { PEERS, type Peer } from './peers/index';
import { measureWallResolution, runCase, type CaseDriver } from './runner';
import { caseWork, prepareOurs } from './suites';
import { tuneSize, tuningNeeds, type TuningNeed } from './tuning-plan';
import {
  DEFAULT_RUN_OPTIONS,
  type BenchCase,
  type BenchEnvironment,
  type BenchRecord,
  type RunOptions,
  type TuneRun,
  type TuningSummary,
} from './types';

/** Options of `BenchSession.tune`. */
export interface SessionTuneOptions {
  /** A small tuning case (quick runs). */
  quick?: boolean;
  /** Timed runs per candidate (default: the tuner's, 3). */
  repeats?: number;
  /** Persist the table to IndexedDB after tuning (the bench page). */
  indexedDb?: boolean;
  /** After each candidate: (index, count, its label). */
  onProgress?: (i: number, n: number, label: string) => void;
}

export class BenchSession {
  readonly gpu: Gpu;
  options: RunOptions;
  private readonly peers = new Map<string, Promise<Peer>>();
  private readonly peerLabels: Record<string, string> = {};
  private tuningSource = '';
  private readonly tuneRuns: TuneRun[] = [];
  private tuningRecords: TuningRecord[] = [];

  constructor(gpu: Gpu, options: Partial<RunOptions> = {}) {
    this.gpu = gpu;
    this.options = { ...DEFAULT_RUN_OPTIONS, ...options };
  }

  /** The peer `id`, created on first use (a failed creation is retried next time). */
  peer(id: string): Promise<Peer> {
    let p = this.peers.get(id);
    if (!p) {
      const factory = PEERS[id];
      if (!factory) return Promise.reject(new Error(`unknown peer '${id}': known peers are ${Object.keys(PEERS).join(', ')}`));
      p = factory({ featureLevel: this.gpu.info.featureLevel });
      p.then((peer) => (this.peerLabels[id] = peer.label)).catch(() => this.peers.delete(id));
      this.peers.set(id, p);
    }
    return p;
  }

  /** The driver of a case: its inputs, implementation and reference check. */
  driver(c: BenchCase): CaseDriver {
    let inputs: CaseInputs | null = null;
    return {
      work: caseWork(c),
      prepare: async () => {
        await this.gpu.ready('bench');
        assertCaseFits(c, this.gpu.limits);
        inputs = makeInputs(c, this.options.seed);
        if (c.provider === 'kernelscope') return prepareOurs(this.gpu, c, inputs);
        const peer = await this.peer(c.provider);
        if (!peer.supports(c)) throw new Error(`${peer.label} has no ${c.suite} implementation`);
        return peer.prepare(c, inputs);
      },
      check: (output) => checkOutput(c, inputs!, output, this.options),
    };
  }

  /** Runs one case; never throws (failures are records with their reason). */
  runCase(c: BenchCase): Promise<BenchRecord> {
    return runCase(c, this.driver(c), this.options);
  }

  /**
   * The (kernel, shape class) pairs the cases consult in the tuning table: matmul
   * `auto`, flash attention (unless a case forces split-K) and softmax.
   */
  async tuningNeeds(cases: readonly BenchCase[]): Promise<{ needs: TuningNeed[]; skipped: string[] }> {
    const [t, sm, { tunableKernels }] = await Promise.all([loadTuned(), loadSoftmaxTuning(), loadTune()]);
    return tuningNeeds(
      cases,
      (c) => {
        const p = c.params as Record<string, number>;
        if (c.suite === 'matmul' && c.impl === 'auto')
          return { kernel: t.MATMUL_FAMILY.kernel, shapeClass: t.matmulShapeClass({ M: p.M!, N: p.N!, K: p.K!, batch: 1 }) };
        if ((c.suite === 'attention' || c.suite === 'decode') && c.impl === 'flash' && attentionRunOptions(c).splitK === undefined) {
          const a = attentionCaseParams(c);
          return { kernel: t.FLASH_FAMILY.kernel, shapeClass: t.flashShapeClass({ d: a.d, dv: a.dv, causal: a.causal }) };
        }
        if (c.suite === 'softmax') return { kernel: sm.SOFTMAX_FAMILY.kernel, shapeClass: sm.softmaxShapeClass(p.cols!) };
        return null;
      },
      tunableKernels(),
    );
  }

  /** Runs the tuner for one (kernel, shape class); its record goes into `gpu.tuning` (and IndexedDB if asked). */
  async tune(kernel: string, shapeClass: string, options: SessionTuneOptions = {}): Promise<TuneRun & { record: TuningRecord | null }> {
    const { tune } = await loadTune();
    const store = options.indexedDb ? (await loadTuneStore()).indexedDbStore() : undefined;
    const result = await tune(this.gpu, kernel, shapeClass, {
      repeats: options.repeats,
      size: tuneSize(options.quick ?? false),
      store,
      timer: (work) => this.timeToIdle(work),
      onProgress: options.onProgress,
    });
    const run: TuneRun = { kernel, shapeClass, candidates: result.candidates };
    const i = this.tuneRuns.findIndex((r) => r.kernel === kernel && r.shapeClass === shapeClass);
    if (i >= 0) this.tuneRuns.splice(i, 1);
    this.tuneRuns.push(run);
    this.noteTuningSource(`tuned in this run${options.indexedDb ? ' (saved to IndexedDB)' : ''}`);
    await this.refreshTuning();
    return { ...run, record: result.record };
  }

  /**
   * The tuner's clock here: wall time from the call to the GPU queue being idle, as
   * every case is timed, starting from an idle queue (so no earlier call's work is
   * counted).
   */
  private async timeToIdle(work: () => Promise<void>): Promise<number> {
    await this.gpu.done('tune');
    return (await this.gpu.time(work)).timing.wallMs;
  }

  /** Loads tuning records (parsed JSON or IndexedDB's) into `gpu.tuning`; returns how many were taken. */
  async loadTuning(data: unknown, source: string): Promise<number> {
    const n = this.gpu.tuning.load(data);
    if (n > 0) this.noteTuningSource(`loaded from ${source}`);
    await this.refreshTuning();
    return n;
  }

  /** Loads the records saved in IndexedDB (the page's Tune button); returns how many were taken. */
  async loadTuningFromIndexedDb(): Promise<number> {
    const store = (await loadTuneStore()).indexedDbStore();
    return this.loadTuning(await store.load(), 'IndexedDB');
  }

  /** Adds to where the table's records came from, in words (shown in the report). */
  noteTuningSource(source: string): void {
    const parts = this.tuningSource ? this.tuningSource.split('; ') : [];
    if (!parts.includes(source)) this.tuningSource = [...parts, source].join('; ');
  }

  /** Turns the table on or off: off, every kernel runs its shipped default (`--no-tuning`). */
  setTuningEnabled(on: boolean): void {
    this.gpu.tuning.enabled = on;
  }

  /** Every record in `gpu.tuning` (all adapters), for the CLI's tuning file. */
  tuningTable(): TuningRecord[] {
    return this.gpu.tuning.all();
  }

  /** Re-reads this adapter's current records (their WGSL hash matching today's kernels). */
  private async refreshTuning(): Promise<void> {
    const [t, sm] = await Promise.all([loadTuned(), loadSoftmaxTuning()]);
    const sources: Record<string, string> = {};
    for (const f of [t.MATMUL_FAMILY, t.FLASH_FAMILY, sm.SOFTMAX_FAMILY]) sources[f.kernel] = f.source;
    const adapter = adapterIdentity(this.gpu.info);
    this.tuningRecords = this.gpu.tuning.all().filter((r) => r.adapter === adapter && (sources[r.kernel] ?? r.source) === r.source);
  }

  /** What the tuning table holds for this adapter, and this session's tuner runs. */
  tuningSummary(): TuningSummary {
    return {
      enabled: this.gpu.tuning.enabled,
      source: this.tuningSource,
      adapter: adapterIdentity(this.gpu.info),
      records: [...this.tuningRecords],
      runs: [...this.tuneRuns],
    };
  }

  /** The adapter, its limits and features, the clocks, and the peers used so far. */
  environment(): BenchEnvironment {
    const limits: Record<string, number> = {};
    const l = this.gpu.limits as unknown as Record<string, unknown>;
    // GPUSupportedLimits keeps its values on the prototype as getters.
    for (const key in l) if (typeof l[key] === 'number') limits[key] = l[key] as number;
    return {
      adapter: { ...this.gpu.info, kernels: availableKernels().join(', ') },
      limits,
      features: { ...this.gpu.features },
      userAgent: navigator.userAgent,
      crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
      wallResolutionMs: measureWallResolution(),
      peers: { ...this.peerLabels },
      startedAt: new Date().toISOString(),
      tuning: this.tuningSummary(),
    };
  }
}
