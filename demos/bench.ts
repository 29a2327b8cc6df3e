/**
 * The bench page: the same suites as `npm run bench`, in the reader's browser.
 * Nothing runs on load; the Run button (or `#autorun` in the hash) starts a plan, and
 * the Tune button tunes the kernels the plan consults on this device (saved to
 * IndexedDB, and loaded from there on the next visit). Results appear as they arrive,
 * with the same columns as report.md and the same plots, and download as JSON, CSV and
 * Markdown. `window.ksBench` is the API the CLI drives (one case per call).
 */
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { requestGpu } from '../src/gpu/device';
import type { TuningRecord } from '../src/gpu/tuning';
import { download, toJsonText } from '../src/viz/export';
import { readHash } from '../src/site/hash-state';
import {
  BenchSession,
  FULL_POLICY,
  QUICK_POLICY,
  TUNING_GAIN_COLUMN,
  allPlots,
  fmtBytes,
  fmtMs,
  markdownReport,
  planCases,
  toCsv,
  tuningGain,
  tuningStatus,
  type BenchCase,
  type BenchEnvironment,
  type BenchRecord,
  type PlanOptions,
  type RunOptions,
  type SuiteName,
  type TuneRun,
  type TuningNeed,
} from '../src/bench/index';
import { pageTable } from '../src/bench/page-table';
import { tunedConfigLabel } from '../src/bench/config-label';

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

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const progress = $<HTMLProgressElement>('progress');
const table = $<HTMLTableElement>('results');
const plots = $<HTMLDivElement>('plots');
const runButton = $<HTMLButtonElement>('run');
const tuneButton = $<HTMLButtonElement>('tune');
const useTuning = $<HTMLInputElement>('use-tuning');
const tuningList = $<HTMLUListElement>('tuning');
const stopButton = $<HTMLButtonElement>('stop');
const downloads = ['dl-json', 'dl-csv', 'dl-md'].map((id) => $<HTMLButtonElement>(id));

const records: BenchRecord[] = [];
let session: BenchSession | null = null;
let stopRequested = false;
let plotUrls: string[] = [];

/**
 * The page's shared device; with `?featureLevel=compatibility` (Dawn's OpenGL ES
 * backend, e.g. lavapipe, which the CLI asks for) a compatibility-mode device of its own.
 */
let ownReason: string | null = null;
const compatibility = new URLSearchParams(location.search).get('featureLevel') === 'compatibility';
const gpuReady: Promise<BenchSession | null> = (
  compatibility
    ? requestGpu({ featureLevel: 'compatibility' }).catch((e: Error) => {
        ownReason = e.message;
        return null;
      })
    : acquireGpu()
).then((gpu) => (gpu ? (session = new BenchSession(gpu)) : null));
const unavailable = () => ownReason ?? gpuUnavailableReason() ?? 'unknown reason';

function cell(tag: 'td' | 'th', text: string, className?: string): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

/** Rebuilds the table from every record so far (text only, never markup): ratios and roofline shares fill in as their cases run. */
function renderTable(): void {
  const peer = $<HTMLSelectElement>('peer').value;
  const t = pageTable(records, peer ? [peer] : []);
  table.hidden = records.length === 0;
  const head = document.createElement('tr');
  head.append(...t.head.map((h) => cell('th', h)));
  table.tHead!.replaceChildren(head);
  table.tBodies[0]!.replaceChildren(
    ...t.rows.map((r) => {
      const tr = document.createElement('tr');
      tr.append(...r.cells.map((c) => cell('td', c)));
      if (r.failed !== null) {
        const failed = cell('td', r.failed, 'failed');
        failed.colSpan = t.measuredColumns;
        tr.append(failed);
      }
      return tr;
    }),
  );
}

/** Redraws the three plots as images of their SVG text (no markup is injected into the page). */
function drawPlots(): void {
  for (const u of plotUrls) URL.revokeObjectURL(u);
  plotUrls = [];
  plots.replaceChildren();
  for (const [name, svg] of Object.entries(allPlots(records))) {
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    plotUrls.push(url);
    const img = document.createElement('img');
    img.src = url;
    img.alt = name.replace('.svg', '').replace(/-/g, ' ');
    img.dataset.plot = name;
    plots.append(img);
  }
}

function addRecord(r: BenchRecord): void {
  records.push(r);
  renderTable();
  drawPlots();
  for (const b of downloads) b.disabled = false;
}

function environment(): BenchEnvironment | null {
  return session?.environment() ?? null;
}

function showEnvironment(env: BenchEnvironment): void {
  const dl = $<HTMLDListElement>('env');
  const a = env.adapter as Record<string, unknown>;
  const items: [string, string][] = [
    ['adapter', [a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'unknown'],
    [
      'features',
      Object.entries(env.features)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .join(', ') || 'none',
    ],
    ['maxBufferSize', fmtBytes(env.limits.maxBufferSize)],
    ['maxStorageBufferBindingSize', fmtBytes(env.limits.maxStorageBufferBindingSize)],
    ['clock resolution', `${(env.wallResolutionMs * 1000).toFixed(1)} µs${env.crossOriginIsolated ? ' (cross-origin isolated)' : ''}`],
    ['tuning', tuningStatus(env.tuning)],
  ];
  dl.replaceChildren(
    ...items.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}

function configure(opts: Partial<RunOptions> & { quick?: boolean; minRepeats?: number }): void {
  if (!session) return;
  const { quick, minRepeats, ...rest } = opts;
  let policy = quick !== undefined ? (quick ? QUICK_POLICY : FULL_POLICY) : session.options.policy;
  if (minRepeats) policy = { ...policy, minRepeats, maxRepeats: Math.max(policy.maxRepeats, minRepeats) };
  session.options = { ...session.options, ...rest, policy };
}

function planFromControls(): PlanOptions {
  const suites = [...document.querySelectorAll<HTMLInputElement>('input[name=suite]:checked')].map((i) => i.value as SuiteName);
  const sizes = $<HTMLInputElement>('sizes')
    .value.split(/[\s,]+/)
    .filter(Boolean);
  const peer = $<HTMLSelectElement>('peer').value;
  return { suites, sizes, quick: $<HTMLSelectElement>('mode').value === 'quick', peers: peer ? [peer] : [] };
}

function applyHash(): void {
  const h = readHash();
  const suites = h.get('suite')?.split(',');
  if (suites) for (const i of document.querySelectorAll<HTMLInputElement>('input[name=suite]')) i.checked = suites.includes(i.value);
  if (h.has('sizes')) $<HTMLInputElement>('sizes').value = h.get('sizes')!;
  if (h.has('full')) $<HTMLSelectElement>('mode').value = 'full';
  if (h.get('peer') === 'none') $<HTMLSelectElement>('peer').value = '';
}

async function runFromControls(): Promise<void> {
  const s = await gpuReady;
  if (!s) {
    status.textContent = `No WebGPU here, so nothing to benchmark: ${unavailable()}`;
    return;
  }
  let cases: BenchCase[];
  const plan = planFromControls();
  try {
    cases = planCases(plan);
  } catch (e) {
    status.textContent = (e as Error).message;
    return;
  }
  configure({ quick: plan.quick });
  records.length = 0;
  renderTable();
  stopRequested = false;
  runButton.disabled = true;
  stopButton.disabled = false;
  progress.hidden = false;
  progress.max = cases.length;
  const started = performance.now();
  for (const [i, c] of cases.entries()) {
    if (stopRequested) break;
    const elapsed = (performance.now() - started) / 1000;
    const eta = i > 0 ? `, about ${Math.round((elapsed / i) * (cases.length - i))} s left` : '';
    status.textContent = `case ${i + 1} of ${cases.length}: ${c.id}${eta}`;
    progress.value = i;
    addRecord(await s.runCase(c));
  }
  progress.value = records.length;
  const failed = records.filter((r) => r.status !== 'ok').length;
  status.textContent = `${stopRequested ? 'stopped' : 'done'}: ${records.length} cases, ${failed} failed, in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
  runButton.disabled = false;
  stopButton.disabled = true;
  const env = environment();
  if (env) showEnvironment(env);
}

/** One line per tuned (kernel, shape class): the choice, its median against the default's, the gain. */
function showTuning(kernel: string, shapeClass: string, record: TuningRecord | null, run: TuneRun): void {
  const li = document.createElement('li');
  const correct = run.candidates.filter((c) => c.correct).length;
  if (!record) li.textContent = `${kernel} ${shapeClass}: no candidate passed the reference check (${run.candidates.length} tried)`;
  else {
    const gain = tuningGain(record);
    li.textContent =
      `${kernel} ${shapeClass}: ${tunedConfigLabel(record.config)}, ${fmtMs(record.ms)} ms against the default's ` +
      `${record.defaultMs === null ? 'failed run' : `${fmtMs(record.defaultMs)} ms`} on ${record.measuredOn}` +
      `${gain === undefined ? '' : `; ${TUNING_GAIN_COLUMN}: ${gain.toFixed(2)}`} (${correct} of ${run.candidates.length} candidates correct)`;
  }
  tuningList.append(li);
}

/** The Tune button: tunes every (kernel, shape class) the plan consults, saving to IndexedDB. */
async function tuneFromControls(): Promise<void> {
  const s = await gpuReady;
  if (!s) {
    status.textContent = `No WebGPU here, so nothing to tune: ${unavailable()}`;
    return;
  }
  let cases: BenchCase[];
  const plan = planFromControls();
  try {
    cases = planCases(plan);
  } catch (e) {
    status.textContent = (e as Error).message;
    return;
  }
  runButton.disabled = tuneButton.disabled = true;
  tuningList.replaceChildren();
  try {
    const { needs, skipped } = await s.tuningNeeds(cases);
    if (needs.length === 0) status.textContent = 'Nothing to tune: this plan has no matmul auto, flash attention or softmax case.';
    for (const [i, need] of needs.entries()) {
      const what = `tuning ${need.kernel} ${need.shapeClass} (${i + 1} of ${needs.length})`;
      status.textContent = `${what}…`;
      const r = await s.tune(need.kernel, need.shapeClass, {
        quick: plan.quick,
        indexedDb: true,
        onProgress: (j, n, label) => (status.textContent = `${what}: candidate ${j} of ${n} done (${label})`),
      });
      showTuning(need.kernel, need.shapeClass, r.record, r);
    }
    for (const note of skipped) {
      const li = document.createElement('li');
      li.textContent = `not tuned: ${note}`;
      tuningList.append(li);
    }
    if (needs.length)
      status.textContent = `tuned ${needs.length} kernel and shape class pair${needs.length === 1 ? '' : 's'}; saved to IndexedDB. Run to use them.`;
  } catch (e) {
    status.textContent = `tuning failed: ${(e as Error).message}`;
  } finally {
    runButton.disabled = tuneButton.disabled = false;
    showEnvironment(s.environment());
  }
}

runButton.addEventListener('click', () => void runFromControls());
tuneButton.addEventListener('click', () => void tuneFromControls());
useTuning.addEventListener('change', () => {
  session?.setTuningEnabled(useTuning.checked);
  if (session) showEnvironment(session.environment());
});
stopButton.addEventListener('click', () => {
  stopRequested = true;
  status.textContent = 'stopping after this case…';
});
downloads[0]!.addEventListener('click', () =>
  download('kernelscope-bench.json', toJsonText({ environment: environment(), records }), 'application/json'),
);
downloads[1]!.addEventListener('click', () => download('kernelscope-bench.csv', toCsv(records), 'text/csv'));
downloads[2]!.addEventListener('click', () => download('report.md', markdownReport(records, environment()), 'text/markdown'));

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
    if (!session) throw new Error(`no WebGPU: ${unavailable()}`);
    session.setTuningEnabled(enabled);
    useTuning.checked = enabled;
  },
  tuningTable: () => {
    if (!session) throw new Error(`no WebGPU: ${unavailable()}`);
    return session.tuningTable();
  },
};

/** The session, or a rejection saying why there is none. */
async function ready(): Promise<BenchSession> {
  const s = await gpuReady;
  if (!s) throw new Error(`no WebGPU: ${unavailable()}`);
  return s;
}

/** A reader's earlier tuning, from IndexedDB (not when the CLI drives the page: it brings its own file). */
async function loadSavedTuning(s: BenchSession): Promise<void> {
  if (location.hash.includes('cli')) return;
  try {
    const n = await s.loadTuningFromIndexedDb();
    if (n > 0)
      status.textContent = `Loaded ${n} tuned configuration${n === 1 ? '' : 's'} from IndexedDB (untick "use tuned configurations" to run the shipped defaults).`;
  } catch (e) {
    status.textContent = `Could not read saved tuning from IndexedDB: ${(e as Error).message}`;
  }
}

applyHash();
void gpuReady.then(async (s) => {
  if (s) {
    await loadSavedTuning(s);
    showEnvironment(s.environment());
  }
  if (readHash().has('autorun')) void runFromControls();
});
