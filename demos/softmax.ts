/**
 * The stable softmax page: a row of logits (typed, or one of the presets: large,
 * very negative, ±1e4, subnormal, partly and fully masked) run through the GPU softmax and
 * log-softmax kernels, next to the naive f32 formula and the float64 reference,
 * with a d3 bar chart of the probabilities. Without WebGPU it shows the reference
 * alone. The row lives in the URL hash.
 */
import { showSources } from './source-list';
import { axisBottom, axisLeft, scaleBand, scaleLinear, select } from 'd3';
import softmaxSource from '../shaders/softmax/softmax.wgsl?raw';
import softmaxRowsSource from '../shaders/softmax/rows.wgsl?raw';
import { softmax } from '../src/kernels/softmax';
import { softmaxReference } from '../src/reference/softmax';
import type { Gpu } from '../src/gpu/device';
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { readHash, writeHash } from '../src/site/hash-state';
import { seriesColor } from '../src/viz/palette';

const PRESETS: [string, string][] = [
  ['ordinary', '1, 2, 3, 0.5, -1'],
  ['large logits', '1000, 1001, 1002, 999'],
  ['very negative', '-1000, -1001, -1002'],
  ['±1e4', '1e4, -1e4, 0, 1e4'],
  ['subnormal', '0, -95'],
  ['partly masked', '2, -inf, 1, -inf, 0.5'],
  ['fully masked', '-inf, -inf, -inf, -inf'],
];
const MAX_LEN = 4096;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLInputElement>('logits');
const runButton = $<HTMLButtonElement>('run');
const statusLine = $<HTMLParagraphElement>('status');
const lastRun = $<HTMLParagraphElement>('last-run');

/** Parses "1, 2, -inf" into numbers; returns an error message for anything else. */
export function parseLogits(text: string): number[] | string {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return 'enter at least one logit';
  if (parts.length > MAX_LEN) return `at most ${MAX_LEN} logits`;
  const out: number[] = [];
  for (const p of parts) {
    const v = /^-inf(inity)?$/i.test(p) ? -Infinity : Number(p);
    if (Number.isNaN(v) || v === Infinity) return `"${p.slice(0, 20)}" is not a number or -inf`;
    out.push(v);
  }
  return out;
}

/**
 * The naive formula with every step rounded to f32 (round-to-nearest, subnormals kept):
 * e^{s} overflows for s > 88.72 and rounds to 0 for s < −103.97.
 */
function naiveF32(s: number[]): number[] {
  const f = Math.fround;
  const e = s.map((x) => f(Math.exp(x)));
  let sum = 0;
  for (const x of e) sum = f(sum + x);
  return e.map((x) => f(x / sum));
}

/** The smallest normal f32, 2⁻¹²⁶. */
const F32_MIN_NORMAL = 2 ** -126;

/**
 * What the GPU did with the entries whose exact result is an f32 subnormal: kept
 * them, or flushed them to 0 (WGSL allows either). Empty when there are none.
 */
function subnormalNote(ref: ArrayLike<number>, gpu: Float32Array): string {
  const idx = Array.from(ref, (r, j) => (r > 0 && r < F32_MIN_NORMAL && Math.fround(r) > 0 ? j : -1)).filter((j) => j >= 0);
  if (idx.length === 0) return '';
  const flushed = idx.filter((j) => gpu[j] === 0);
  const where = idx.map((j) => `entry ${j}, exact ${ref[j]!.toExponential(2)}`).join('; ');
  return flushed.length === idx.length
    ? ` Subnormal results (${where}): your GPU flushed them to 0.`
    : flushed.length === 0
      ? ` Subnormal results (${where}): your GPU kept them (no flush to zero).`
      : ` Subnormal results (${where}): your GPU flushed ${flushed.length} of ${idx.length} to 0.`;
}

const show = (x: number) =>
  Number.isNaN(x)
    ? 'NaN'
    : x === -Infinity
      ? '−∞'
      : x === 0
        ? '0'
        : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5
          ? x.toPrecision(6)
          : x.toExponential(3);

function renderTable(
  s: number[],
  naive: number[],
  gpu: Float32Array | null,
  gpuLog: Float32Array | null,
  ref: Float64Array | Float32Array,
): void {
  document.querySelector('#results tbody')!.replaceChildren(
    ...s.map((x, j) => {
      const tr = document.createElement('tr');
      const cells: [string, string][] = [
        [String(j), ''],
        [show(x), x === -Infinity ? 'masked' : ''],
        [show(naive[j]!), Number.isNaN(naive[j]!) ? 'nan' : ''],
        [gpu ? show(gpu[j]!) : '–', gpu && Number.isNaN(gpu[j]!) ? 'nan' : ''],
        [gpuLog ? show(gpuLog[j]!) : '–', ''],
        [show(ref[j]!), ''],
      ];
      for (const [text, cls] of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }),
  );
}

/** Bars of the probabilities: naive (NaN drawn as missing) and stable. */
function renderBars(naive: number[], stable: ArrayLike<number>): void {
  const host = select('#bars');
  host.selectAll('*').remove();
  const n = stable.length;
  if (n > 64) return;
  const width = 560;
  const height = 220;
  const m = { top: 10, right: 10, bottom: 30, left: 44 };
  const x = scaleBand<number>()
    .domain(Array.from({ length: n }, (_, j) => j))
    .range([m.left, width - m.right])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, 1])
    .range([height - m.bottom, m.top]);
  const svg = host
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', 'softmax probabilities');
  const half = x.bandwidth() / 2;
  const series: [string, ArrayLike<number>, number][] = [
    ['naive (f32)', naive, 0],
    ['stable (GPU)', stable, half],
  ];
  series.forEach(([name, values, dx], i) => {
    const data = Array.from(values, (v, j) => ({ j, v }));
    svg
      .append('g')
      .selectAll('rect')
      .data(data.filter((d) => Number.isFinite(d.v)))
      .join('rect')
      .attr('x', (d) => x(d.j)! + dx)
      .attr('width', half - 1)
      .attr('y', (d) => y(d.v))
      .attr('height', (d) => y(0) - y(d.v))
      .attr('fill', seriesColor(i))
      .append('title')
      .text((d) => `${name}, j = ${d.j}: ${show(d.v)}`);
    svg
      .append('g')
      .selectAll('text')
      .data(data.filter((d) => Number.isNaN(d.v)))
      .join('text')
      .attr('x', (d) => x(d.j)! + dx + half / 2)
      .attr('y', y(0) - 4)
      .attr('text-anchor', 'middle')
      .attr('class', 'nan-label')
      .text('NaN');
  });
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0, ${height - m.bottom})`)
    .call(axisBottom(x));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left}, 0)`).call(axisLeft(y).ticks(5));
  const legend = svg.append('g').attr('transform', `translate(${width - 200}, ${m.top + 4})`);
  series.forEach(([name], i) => {
    legend
      .append('rect')
      .attr('x', 0)
      .attr('y', i * 16)
      .attr('width', 10)
      .attr('height', 10)
      .attr('fill', seriesColor(i));
    legend
      .append('text')
      .attr('x', 16)
      .attr('y', i * 16 + 9)
      .text(name);
  });
}

let gpuPromise: Promise<Gpu | null> | null = null;

async function run(): Promise<void> {
  const parsed = parseLogits(input.value);
  statusLine.classList.remove('error');
  if (typeof parsed === 'string') {
    statusLine.textContent = `Not run: ${parsed}.`;
    statusLine.classList.add('error');
    return; // the table keeps the last good row
  }
  writeHash({ row: input.value });
  runButton.disabled = true;
  try {
    const x = { data: Float32Array.from(parsed), shape: [parsed.length] };
    const s = Array.from(x.data);
    const ref = softmaxReference(x).data;
    const naive = naiveF32(s);
    const gpu = await (gpuPromise ??= acquireGpu());
    if (!gpu) {
      statusLine.textContent = `No WebGPU (${gpuUnavailableReason() ?? 'unknown reason'}): showing the CPU reference only.`;
      renderTable(s, naive, null, null, ref);
      renderBars(naive, ref);
      return;
    }
    const { result, timing } = await gpu.time(() => softmax(gpu, x));
    const y = await result.read();
    result.destroy();
    const ly = await softmax(gpu, x, { log: true });
    const logY = await ly.read();
    ly.destroy();
    renderTable(s, naive, y, logY, ref);
    renderBars(naive, y);
    let err = 0;
    for (let j = 0; j < y.length; j++) err = Math.max(err, Math.abs(y[j]! - ref[j]!));
    const naiveNaN = naive.filter((v) => Number.isNaN(v)).length;
    statusLine.textContent =
      `Done: ${s.length} logits. Naive f32: ${naiveNaN ? `${naiveNaN} NaN` : 'finite'}; stable kernel: max error ${err.toExponential(1)} against float64.` +
      subnormalNote(ref, y);
    lastRun.textContent = `Last run: ${timing.gpuMs.toFixed(2)} ms on the GPU (${timing.timer}); max |GPU − float64| = ${err.toExponential(1)}.`;
  } finally {
    runButton.disabled = false;
  }
}

function renderPresets(): void {
  $('presets').replaceChildren(
    ...PRESETS.map(([name, row]) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'secondary';
      b.textContent = name;
      b.setAttribute('aria-pressed', String(input.value === row));
      b.addEventListener('click', () => {
        input.value = row;
        for (const other of $('presets').querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === b));
        run().catch(fail);
      });
      return b;
    }),
  );
}

function renderSources(): void {
  showSources($('sources'), [
    ['shaders/softmax/softmax.wgsl', softmaxSource],
    ['shaders/softmax/rows.wgsl', softmaxRowsSource],
  ]);
}

function fail(e: unknown): void {
  statusLine.textContent = `Error: ${(e as Error).message}`;
  statusLine.classList.add('error');
}

function init(): void {
  input.value = readHash().get('row') ?? PRESETS[1]![1];
  renderPresets();
  renderSources();
  runButton.addEventListener('click', () => run().catch(fail));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') run().catch(fail);
  });
  document.body.dataset.ready = 'pending';
  run().then(
    () => (document.body.dataset.ready = 'true'),
    (e: unknown) => {
      fail(e);
      document.body.dataset.ready = `error: ${(e as Error).message}`;
    },
  );
}

init();
