/**
 * The matmul ladder page: runs every variant at a chosen size on the reader's GPU,
 * shows median time, GFLOP/s and the max error against a float64 CPU product,
 * and a bar chart of GFLOP/s; then measures the device's two roofline ceilings and
 * places each rung on that roofline ("Check yourself"). Without WebGPU it runs the
 * CPU reference instead. State (size, runs) lives in the URL hash.
 */
import { showSources } from './source-list';
import { axisBottom, scaleBand, scaleLinear, select } from 'd3';
import naiveSource from '../shaders/matmul/naive.wgsl?raw';
import tiledSource from '../shaders/matmul/tiled.wgsl?raw';
import registerSource from '../shaders/matmul/register.wgsl?raw';
import directSource from '../shaders/matmul/direct.wgsl?raw';
import subgroupSource from '../shaders/matmul/subgroup.wgsl?raw';
import commonSource from '../shaders/matmul/common.wgsl?raw';
import { matmul, MATMUL_VARIANTS } from '../src/kernels/matmul';
import { matmulReference } from '../src/reference/matmul';
import { Tensor } from '../src/gpu/tensor';
import type { Gpu } from '../src/gpu/device';
import { mulberry32, uniformArray } from '../src/reference/random';
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { readHash, writeHash } from '../src/site/hash-state';
import { seriesColor } from '../src/viz/palette';
import { measureCeilings, placeRungs, renderRooflinePlot, renderRooflineTable, rooflineVerdicts, type Ceilings } from './matmul-roofline';

const SIZES = [64, 128, 256, 512, 1024];
const INITIAL_SIZE = 128;

interface Row {
  variant: string;
  ms: number | null;
  gflops: number | null;
  maxErr: number | null;
  note?: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const sizeSelect = $<HTMLSelectElement>('size');
const repeatsSelect = $<HTMLSelectElement>('repeats');
const runButton = $<HTMLButtonElement>('run');
const progress = $<HTMLProgressElement>('progress');
const statusLine = $<HTMLParagraphElement>('status');
const lastRun = $<HTMLParagraphElement>('last-run');

/** Reads the hash into the controls (unknown values fall back to the defaults). */
function readState(): { n: number; repeats: number } {
  const hash = readHash();
  const n = Number(hash.get('n'));
  const repeats = Number(hash.get('runs'));
  return { n: SIZES.includes(n) ? n : INITIAL_SIZE, repeats: [1, 3, 5].includes(repeats) ? repeats : 3 };
}

/** Rows `rows` of the exact (float64) product of A [n, n] and B [n, n]. */
function referenceRows(a: Float32Array, b: Float32Array, n: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * n);
  rows.forEach((m, r) => {
    for (let k = 0; k < n; k++) {
      const x = a[m * n + k]!;
      for (let j = 0; j < n; j++) out[r * n + j]! += x * b[k * n + j]!;
    }
  });
  return out;
}

/** The rows checked against the CPU: all of them up to 256, else 32 spread evenly. */
function checkedRows(n: number): number[] {
  if (n <= 256) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: 32 }, (_, i) => Math.floor((i * (n - 1)) / 31));
}

function maxAbsDiff(got: Float32Array, n: number, rows: number[], want: Float64Array): number {
  let worst = 0;
  rows.forEach((m, r) => {
    for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(got[m * n + j]! - want[r * n + j]!));
  });
  return worst;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/** Times every variant the device supports at n³. */
async function runLadder(
  gpu: Gpu,
  n: number,
  repeats: number,
  onStep: (done: number, total: number, label: string) => void,
): Promise<Row[]> {
  const rng = mulberry32(n);
  const aData = uniformArray(rng, n * n);
  const bData = uniformArray(rng, n * n);
  const rows = checkedRows(n);
  const want = referenceRows(aData, bData, n, rows);
  const variants = MATMUL_VARIANTS.filter((v) => v !== 'subgroup' || gpu.features.subgroups);
  const a = Tensor.fromData(gpu, aData, [n, n], 'demo:a');
  const b = Tensor.fromData(gpu, bData, [n, n], 'demo:b');
  const out: Row[] = [];
  const total = variants.length * (repeats + 1);
  let done = 0;
  try {
    for (const variant of variants) {
      onStep(done, total, `${variant}: warm-up`);
      const warm = await matmul(gpu, a, b, { variant });
      const maxErr = maxAbsDiff(await warm.read(), n, rows, want);
      warm.destroy();
      onStep(++done, total, variant);
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const { result, timing } = await gpu.time(() => matmul(gpu, a, b, { variant }));
        result.destroy();
        times.push(timing.gpuMs);
        onStep(++done, total, `${variant}: run ${r + 1} of ${repeats}`);
      }
      const ms = median(times);
      out.push({ variant, ms, gflops: (2 * n ** 3) / (ms * 1e6), maxErr });
    }
    if (!gpu.features.subgroups)
      out.push({ variant: 'subgroup', ms: null, gflops: null, maxErr: null, note: "needs the 'subgroups' feature" });
  } finally {
    a.destroy();
    b.destroy();
  }
  return out;
}

/** The CPU fallback: the reference itself, timed, at a small size. */
function runCpu(n: number): Row[] {
  const rng = mulberry32(n);
  const a = { data: uniformArray(rng, n * n), shape: [n, n] };
  const b = { data: uniformArray(rng, n * n), shape: [n, n] };
  const t0 = performance.now();
  const f64 = matmulReference(a, b, {}, 'f64');
  const ms = performance.now() - t0;
  const f32 = matmulReference(a, b, {}, 'f32');
  let maxErr = 0;
  for (let i = 0; i < f64.data.length; i++) maxErr = Math.max(maxErr, Math.abs(f32.data[i]! - f64.data[i]!));
  return [
    { variant: 'CPU reference (float64)', ms, gflops: (2 * n ** 3) / (ms * 1e6), maxErr: 0 },
    { variant: 'CPU reference (f32 steps)', ms: null, gflops: null, maxErr, note: 'error of f32 rounding' },
  ];
}

function fmt(x: number | null, digits: number): string {
  return x === null ? '–' : x.toFixed(digits);
}

function renderTable(rows: Row[]): void {
  const naive = rows.find((r) => r.variant === 'naive')?.ms ?? null;
  const tbody = document.querySelector('#results tbody')!;
  tbody.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      const cells = [
        r.variant,
        r.note && r.ms === null ? r.note : fmt(r.ms, 1),
        fmt(r.gflops, r.gflops !== null && r.gflops < 1 ? 3 : 2),
        naive !== null && naive > 0 && r.ms !== null ? (r.ms / naive).toFixed(2) : '–',
        r.maxErr === null ? '–' : r.maxErr.toExponential(1),
      ];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

/** A horizontal bar per variant, GFLOP/s on x. */
function renderChart(rows: Row[]): void {
  const data = rows.filter((r) => r.gflops !== null) as (Row & { gflops: number })[];
  const width = 560;
  const barH = 26;
  const margin = { top: 8, right: 70, bottom: 34, left: 170 };
  const height = margin.top + margin.bottom + barH * data.length;
  const x = scaleLinear()
    .domain([0, Math.max(...data.map((d) => d.gflops), 1e-9)])
    .nice()
    .range([margin.left, width - margin.right]);
  const y = scaleBand()
    .domain(data.map((d) => d.variant))
    .range([margin.top, height - margin.bottom])
    .padding(0.2);
  const host = select('#chart');
  host.selectAll('*').remove();
  const svg = host
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', 'GFLOP/s per variant');
  svg
    .append('g')
    .selectAll('rect')
    .data(data)
    .join('rect')
    .attr('x', x(0))
    .attr('y', (d) => y(d.variant)!)
    .attr('height', y.bandwidth())
    .attr('width', (d) => x(d.gflops) - x(0))
    .attr('fill', (_d, i) => seriesColor(i));
  svg
    .append('g')
    .selectAll('text.label')
    .data(data)
    .join('text')
    .attr('class', 'label')
    .attr('x', margin.left - 8)
    .attr('y', (d) => y(d.variant)! + y.bandwidth() / 2)
    .attr('text-anchor', 'end')
    .attr('dominant-baseline', 'middle')
    .text((d) => d.variant);
  svg
    .append('g')
    .selectAll('text.value')
    .data(data)
    .join('text')
    .attr('class', 'value')
    .attr('x', (d) => x(d.gflops) + 6)
    .attr('y', (d) => y(d.variant)! + y.bandwidth() / 2)
    .attr('dominant-baseline', 'middle')
    .text((d) => d.gflops.toFixed(2));
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0, ${height - margin.bottom})`)
    .call(axisBottom(x).ticks(5));
  svg
    .append('text')
    .attr('x', (margin.left + width - margin.right) / 2)
    .attr('y', height - 2)
    .attr('text-anchor', 'middle')
    .text('GFLOP/s');
}

function renderSources(): void {
  const files: [string, string][] = [
    ['shaders/matmul/naive.wgsl', naiveSource],
    ['shaders/matmul/tiled.wgsl', tiledSource],
    ['shaders/matmul/register.wgsl', registerSource],
    ['shaders/matmul/direct.wgsl', directSource],
    ['shaders/matmul/subgroup.wgsl', subgroupSource],
    ['shaders/matmul/common.wgsl', commonSource],
  ];
  showSources($('sources'), files);
}

let gpuPromise: Promise<Gpu | null> | null = null;
let ceilings: Ceilings | null = null;
let lastLadder: { n: number; rows: Row[] } | null = null;

/** The roofline answer: ceilings (measured once, or again on request), then the last ladder's rungs on them. */
async function roofline(gpu: Gpu, remeasure: boolean): Promise<void> {
  const verdict = $<HTMLParagraphElement>('roofline-verdict');
  if (!ceilings || remeasure) {
    verdict.textContent = 'Measuring the ceilings (multiply-add rate and copy bandwidth)…';
    ceilings = await measureCeilings(gpu);
  }
  if (!lastLadder) return;
  const rungs = lastLadder.rows.filter((r) => r.gflops !== null).map((r) => ({ variant: r.variant, gflops: r.gflops! }));
  const placed = placeRungs(gpu, lastLadder.n, rungs);
  renderRooflineTable(document.querySelector('#roofline-table tbody')!, ceilings, placed);
  renderRooflinePlot($('roofline-plot'), ceilings, placed);
  verdict.dataset.gflops = String(ceilings.gflops);
  verdict.dataset.gbps = String(ceilings.gbps);
  verdict.textContent = `At ${lastLadder.n}³. ${rooflineVerdicts(ceilings, placed)}`;
}

async function run(): Promise<void> {
  const { n, repeats } = readState();
  runButton.disabled = true;
  progress.value = 0;
  try {
    const gpu = await (gpuPromise ??= acquireGpu());
    let rows: Row[];
    if (!gpu) {
      const cpuN = Math.min(n, 128);
      statusLine.textContent = `No WebGPU (${gpuUnavailableReason() ?? 'unknown reason'}): running the CPU reference at ${cpuN}³ instead.`;
      rows = runCpu(cpuN);
      lastRun.textContent = `Last run: CPU reference only, ${cpuN}×${cpuN}×${cpuN}.`;
    } else {
      rows = await runLadder(gpu, n, repeats, (done, total, label) => {
        progress.value = done / total;
        statusLine.textContent = `Running ${n}×${n}×${n}: ${label}…`;
      });
      lastLadder = { n, rows };
      const best = rows.filter((r) => r.gflops !== null).sort((p, q) => q.gflops! - p.gflops!)[0];
      statusLine.textContent = `Done: ${n}×${n}×${n}, median of ${repeats}.`;
      lastRun.textContent =
        `Last run: ${n}×${n}×${n} on ${[gpu.info.vendor, gpu.info.architecture].filter(Boolean).join(' ')} ` +
        `(${gpu.features.timestampQuery ? 'timestamp-query' : 'submit-to-done'} timing); fastest ${best?.variant} at ` +
        `${best?.ms?.toFixed(1)} ms; largest error ${Math.max(...rows.map((r) => r.maxErr ?? 0)).toExponential(1)}.`;
    }
    progress.value = 1;
    renderTable(rows);
    renderChart(rows);
    if (gpu) await roofline(gpu, false);
    else $('roofline-verdict').textContent = 'The roofline needs WebGPU: its ceilings are measured on the GPU.';
  } finally {
    runButton.disabled = false;
  }
}

function init(): void {
  const state = readState();
  sizeSelect.value = String(state.n);
  repeatsSelect.value = String(state.repeats);
  sizeSelect.addEventListener('change', () => writeHash({ n: sizeSelect.value }));
  repeatsSelect.addEventListener('change', () => writeHash({ runs: repeatsSelect.value }));
  runButton.addEventListener('click', () => {
    run().catch((e: unknown) => {
      statusLine.textContent = `Error: ${(e as Error).message}`;
    });
  });
  $<HTMLButtonElement>('ceilings').addEventListener('click', () => {
    void (gpuPromise ??= acquireGpu())
      .then((gpu) => (gpu ? roofline(gpu, true) : undefined))
      .catch((e: unknown) => {
        $('roofline-verdict').textContent = `Error: ${(e as Error).message}`;
      });
  });
  renderSources();
  document.body.dataset.ready = 'pending';
  run().then(
    () => (document.body.dataset.ready = 'true'),
    (e: unknown) => {
      statusLine.textContent = `Error: ${(e as Error).message}`;
      document.body.dataset.ready = `error: ${(e as Error).message}`;
    },
  );
}

init();
