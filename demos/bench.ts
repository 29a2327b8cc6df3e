/**
 * The bench page: the same suites as `npm run bench`, in the reader's browser.
 * Nothing runs on load; the Run button (or `#autorun` in the hash) starts a plan, and
 * the Tune button tunes the kernels the plan consults on this device (saved to
 * IndexedDB, and loaded from there on the next visit). Results appear as they arrive,
 * with the same columns as report.md and the same plots, and download as JSON, CSV and
 * Markdown. `window.ksBench` is the API the CLI drives (one case per call).
 */
import { download, toJsonText } from '../src/viz/export';
import { readHash } from '../src/site/hash-state';
import {
  markdownReport,
  planCases,
  toCsv,
  type BenchCase,
  type BenchRecord,
  type BenchSession,
  type PlanOptions,
  type SuiteName,
} from '../src/bench/index';
import { configure, currentSession, environment, gpuReady, unavailable } from './bench-session';
import { drawPlots, renderTable, showEnvironment, showTuning } from './bench-view';
import { installCliApi } from './bench-cli-api';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const progress = $<HTMLProgressElement>('progress');
const runButton = $<HTMLButtonElement>('run');
const tuneButton = $<HTMLButtonElement>('tune');
const useTuning = $<HTMLInputElement>('use-tuning');
const tuningList = $<HTMLUListElement>('tuning');
const stopButton = $<HTMLButtonElement>('stop');
const downloads = ['dl-json', 'dl-csv', 'dl-md'].map((id) => $<HTMLButtonElement>(id));

const records: BenchRecord[] = [];
let stopRequested = false;

function addRecord(r: BenchRecord): void {
  records.push(r);
  renderTable(records);
  drawPlots(records);
  for (const b of downloads) b.disabled = false;
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
  renderTable(records);
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
  const session = currentSession();
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

installCliApi(records, addRecord);

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
