/**
 * The bench page: the same suites as `npm run bench`, in the reader's browser.
 * Nothing runs on load; the Run button (or `#autorun` in the hash) starts a plan.
 * Results appear as they arrive, with the same plots, and download as JSON and CSV.
 * `window.ksBench` is the API the CLI drives (one case per call).
 */
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { requestGpu } from '../src/gpu/device';
import { download, toJsonText } from '../src/viz/export';
import { readHash } from '../src/viz/hash-state';
import {
  BenchSession,
  FULL_POLICY,
  QUICK_POLICY,
  allPlots,
  fmtBytes,
  fmtMs,
  markdownReport,
  planCases,
  timeRatio,
  toCsv,
  type BenchCase,
  type BenchEnvironment,
  type BenchRecord,
  type PlanOptions,
  type RunOptions,
  type SuiteName,
} from '../src/bench/index';

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
}

declare global {
  interface Window {
    ksBench: KsBenchApi;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const progress = $<HTMLProgressElement>('progress');
const table = $<HTMLTableElement>('results');
const tbody = table.tBodies[0]!;
const plots = $<HTMLDivElement>('plots');
const runButton = $<HTMLButtonElement>('run');
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

function td(text: string, className?: string): HTMLTableCellElement {
  const cell = document.createElement('td');
  cell.textContent = text;
  if (className) cell.className = className;
  return cell;
}

function fmtRatio(x: number | undefined): string {
  return x === undefined ? '' : x.toPrecision(3);
}

/** Adds one record's row to the table (text only, never markup). */
function addRow(r: BenchRecord): void {
  table.hidden = false;
  const tr = document.createElement('tr');
  tr.append(td(r.id));
  if (r.status !== 'ok' || !r.wall) {
    const cell = td(`failed: ${r.errorName ? `${r.errorName}: ` : ''}${r.reason ?? ''}`, 'failed');
    cell.colSpan = 8;
    tr.append(cell);
  } else {
    const naive = records.find((x) => x.suite === r.suite && x.shape === r.shape && x.impl === 'naive' && x.status === 'ok');
    const peer = records.find((x) => x.suite === r.suite && x.shape === r.shape && x.provider === 'tfjs' && x.status === 'ok');
    tr.append(
      td(fmtMs(r.wall.median)),
      td(`${fmtMs(r.wall.ciLow)}–${fmtMs(r.wall.ciHigh)} (${r.wall.n <= 5 ? 'min–max' : '95% CI'}, n = ${r.wall.n})`),
      td(r.flops > 0 ? (r.gflops ?? 0).toPrecision(3) : '—'),
      td((r.gbps ?? 0).toPrecision(3)),
      td(fmtBytes(r.peakBytes)),
      td(r.error ? r.error.maxAbsErr.toExponential(1) : '—'),
      td(fmtRatio(timeRatio(r, naive))),
      td(fmtRatio(timeRatio(r, peer))),
    );
  }
  tbody.append(tr);
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
  addRow(r);
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
  tbody.replaceChildren();
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

runButton.addEventListener('click', () => void runFromControls());
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
};

applyHash();
void gpuReady.then((s) => {
  if (s) showEnvironment(s.environment());
  if (readHash().has('autorun')) void runFromControls();
});
