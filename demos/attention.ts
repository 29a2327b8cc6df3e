/**
 * The naive-vs-flash attention page: runs naive, flash and linear attention at a
 * chosen N, d, heads and causal on the reader's GPU; shows median time, measured
 * peak bytes, the largest buffer and the max error against float64 CPU references
 * (on sampled rows); sweeps N for d3 plots of time and memory. It also measures
 * flash with the causal mask toggled, to print the measured causal time ratio, and
 * fills in the FLOP line and the I/O answer from the kernel's tiling rule. Without
 * WebGPU it runs the CPU reference at a small size instead. State lives in the URL hash.
 */
import { showSources } from './source-list';
import flashSource from '../shaders/attention/flash.wgsl?raw';
import scoreSource from '../shaders/attention/score.wgsl?raw';
import softmaxSource from '../shaders/softmax/softmax.wgsl?raw';
import linearPrefixSource from '../shaders/attention/linear_prefix.wgsl?raw';
import linearOutSource from '../shaders/attention/linear_out.wgsl?raw';
import { ATTENTION_VARIANTS, type AttentionVariant } from '../src/kernels/attention';
import type { Gpu } from '../src/gpu/device';
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { readHash, writeHash } from '../src/site/hash-state';
import { bytes, sci } from './attention-format';
import { flashMedian, runCpu, runPoint, type State } from './attention-measure';
import { renderTable } from './attention-table';
import { drawSweep, renderLegend, type SweepPoint } from './attention-sweep';
import { flashLayout, renderCausalRatio, renderFlopsNote, renderIo, rowsBlocks } from './attention-notes';

const NS = [64, 128, 256, 512, 1024, 2048];
const DS = [16, 32, 64, 128];
const HEADS = [1, 2, 4];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const nSelect = $<HTMLSelectElement>('n');
const dSelect = $<HTMLSelectElement>('d');
const headsSelect = $<HTMLSelectElement>('heads');
const causalBox = $<HTMLInputElement>('causal');
const runButton = $<HTMLButtonElement>('run');
const sweepButton = $<HTMLButtonElement>('sweep');
const progress = $<HTMLProgressElement>('progress');
const statusLine = $<HTMLParagraphElement>('status');
const lastRun = $<HTMLParagraphElement>('last-run');

function readState(): State {
  const h = readHash();
  const pick = (key: string, allowed: number[], fallback: number) => {
    const v = Number(h.get(key));
    return allowed.includes(v) ? v : fallback;
  };
  return { n: pick('n', NS, 128), d: pick('d', DS, 32), heads: pick('heads', HEADS, 1), causal: h.get('causal') === 'true' };
}

function writeState(): void {
  writeHash({ n: nSelect.value, d: dSelect.value, heads: headsSelect.value, causal: causalBox.checked });
}

function renderSources(): void {
  const files: [string, string][] = [
    ['shaders/attention/flash.wgsl', flashSource],
    ['shaders/attention/score.wgsl', scoreSource],
    ['shaders/softmax/softmax.wgsl', softmaxSource],
    ['shaders/attention/linear_prefix.wgsl', linearPrefixSource],
    ['shaders/attention/linear_out.wgsl', linearOutSource],
  ];
  showSources($('sources'), files);
}

let gpuPromise: Promise<Gpu | null> | null = null;
let sweep: SweepPoint[] = [];

function setBusy(busy: boolean): void {
  runButton.disabled = busy;
  sweepButton.disabled = busy;
}

/** One point at the chosen state: the table. */
async function run(): Promise<void> {
  const s = readState();
  setBusy(true);
  progress.value = 0;
  try {
    const gpu = await (gpuPromise ??= acquireGpu());
    if (!gpu) {
      statusLine.textContent = `No WebGPU (${gpuUnavailableReason() ?? 'unknown reason'}): running the CPU reference at a small size instead.`;
      renderTable(runCpu(s));
      renderFlopsNote(s, null);
      renderIo(s, null, null);
      $('causal-ratio').textContent = 'The measured causal time ratio needs WebGPU.';
      lastRun.textContent = 'Last run: CPU reference only.';
      return;
    }
    let step = 0;
    const steps = ATTENTION_VARIANTS.length * 4;
    const rows = await runPoint(gpu, s, 3, true, (label) => {
      progress.value = ++step / steps;
      statusLine.textContent = `N = ${s.n}, d = ${s.d}, ${s.heads} head(s)${s.causal ? ', causal' : ''}: ${label}…`;
    });
    renderTable(rows);
    const layoutHere = flashLayout(gpu, s, s.causal);
    const layoutOther = flashLayout(gpu, s, !s.causal);
    renderFlopsNote(s, layoutHere);
    renderIo(s, layoutHere, rowsBlocks(gpu, s, s.causal));
    const flashHere = rows.find((r) => r.variant === 'flash')!.ms!;
    statusLine.textContent = `N = ${s.n}, d = ${s.d}: flash with causal ${s.causal ? 'off' : 'on'}, for the causal ratio…`;
    const flashOther = await flashMedian(gpu, s, !s.causal, 3);
    renderCausalRatio(
      s,
      s.causal ? flashHere : flashOther,
      s.causal ? flashOther : flashHere,
      s.causal ? layoutHere : layoutOther,
      s.causal ? layoutOther : layoutHere,
      rowsBlocks(gpu, s, true),
    );
    for (const r of rows) {
      sweep = sweep.filter((p) => !(p.variant === r.variant && p.n === s.n));
      sweep.push({ variant: r.variant as AttentionVariant, n: s.n, ms: r.ms!, peak: r.peak! });
    }
    drawSweep(sweep);
    const flash = rows.find((r) => r.variant === 'flash')!;
    const naive = rows.find((r) => r.variant === 'naive')!;
    statusLine.textContent = `Done: N = ${s.n}, d = ${s.d}, ${s.heads} head(s)${s.causal ? ', causal' : ''}; median of 3.`;
    lastRun.textContent =
      `Last run: ${[gpu.info.vendor, gpu.info.architecture, gpu.info.description].filter(Boolean).join(' ')} ` +
      `(${gpu.features.timestampQuery ? 'timestamp-query' : 'submit-to-done'} timing): flash time ÷ naive time ${(flash.ms! / naive.ms!).toFixed(2)}, ` +
      `peak bytes naive ${bytes(naive.peak)} vs flash ${bytes(flash.peak)}; max error ${sci(Math.max(flash.err ?? 0, naive.err ?? 0))}.`;
    progress.value = 1;
  } finally {
    setBusy(false);
  }
}

/** Time and memory for N = 64 … the chosen N (or `ns`), at the chosen d, heads and causal. */
async function runSweep(ns?: number[]): Promise<void> {
  const s = readState();
  const list = ns ?? NS.filter((n) => n <= s.n);
  setBusy(true);
  progress.value = 0;
  try {
    const gpu = await (gpuPromise ??= acquireGpu());
    if (!gpu) {
      statusLine.textContent = 'No WebGPU: the sweep needs a GPU.';
      return;
    }
    sweep = [];
    let done = 0;
    for (const n of list) {
      const rows = await runPoint(gpu, { ...s, n }, 1, false, (label) => {
        statusLine.textContent = `Sweep, N = ${n}: ${label}…`;
      });
      for (const r of rows) sweep.push({ variant: r.variant as AttentionVariant, n, ms: r.ms!, peak: r.peak! });
      progress.value = ++done / list.length;
      drawSweep(sweep);
    }
    statusLine.textContent = `Sweep done: N = ${list.join(', ')}, d = ${s.d}, ${s.heads} head(s)${s.causal ? ', causal' : ''} (one run each).`;
  } finally {
    setBusy(false);
  }
}

function fail(e: unknown): void {
  statusLine.textContent = `Error: ${(e as Error).message}`;
  statusLine.classList.add('error');
}

/** Resolves once the page's <flash-tiles> (if any) has drawn its first trace, or after 30 s. */
function otherGpuWorkSettled(): Promise<void> {
  const tiles = document.querySelector('flash-tiles');
  if (!tiles || (tiles as HTMLElement & { model?: unknown }).model) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => resolve();
    tiles.addEventListener('ks-rendered', done, { once: true });
    tiles.addEventListener('ks-error', done, { once: true });
    setTimeout(done, 30_000);
  });
}

function init(): void {
  const s = readState();
  nSelect.value = String(s.n);
  dSelect.value = String(s.d);
  headsSelect.value = String(s.heads);
  causalBox.checked = s.causal;
  for (const el of [nSelect, dSelect, headsSelect, causalBox]) el.addEventListener('change', writeState);
  runButton.addEventListener('click', () => {
    statusLine.classList.remove('error');
    run().catch(fail);
  });
  sweepButton.addEventListener('click', () => {
    statusLine.classList.remove('error');
    runSweep().catch(fail);
  });
  renderLegend();
  renderSources();
  document.body.dataset.ready = 'pending';
  // The buffer accounting is per device, so a measurement counts whatever else the page allocates meanwhile:
  // let the <flash-tiles> section finish its first trace before measuring.
  // The initial run is small and fast: a short sweep, then the chosen point.
  otherGpuWorkSettled()
    .then(() => runSweep([32, 64, 128].filter((n) => n <= s.n)))
    .then(() => run())
    .then(
      () => (document.body.dataset.ready = 'true'),
      (e: unknown) => {
        fail(e);
        document.body.dataset.ready = `error: ${(e as Error).message}`;
      },
    );
}

init();
