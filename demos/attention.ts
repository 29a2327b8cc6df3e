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
import { axisBottom, axisLeft, line, scaleLog, select } from 'd3';
import flashSource from '../shaders/attention/flash.wgsl?raw';
import scoreSource from '../shaders/attention/score.wgsl?raw';
import softmaxSource from '../shaders/softmax/softmax.wgsl?raw';
import linearPrefixSource from '../shaders/attention/linear_prefix.wgsl?raw';
import linearOutSource from '../shaders/attention/linear_out.wgsl?raw';
import { ATTENTION_VARIANTS, FLASH_TILE, profileAttention, type AttentionVariant } from '../src/kernels/attention';
import { flashConfigFor } from '../src/kernels/tuned';
import { attentionCounts, formatBinaryBytes, rowsTraffic, visitedTiles, type RowsBlocks } from './attention-io';
import { attentionReference } from '../src/reference/attention';
import { Tensor } from '../src/gpu/tensor';
import type { Gpu } from '../src/gpu/device';
import { mulberry32, normalArray } from '../src/reference/random';
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { readHash, writeHash } from '../src/site/hash-state';
import { seriesColor } from '../src/viz/palette';

const NS = [64, 128, 256, 512, 1024, 2048];
const DS = [16, 32, 64, 128];
const HEADS = [1, 2, 4];
const SAMPLED_ROWS = 12;

interface State {
  n: number;
  d: number;
  heads: number;
  causal: boolean;
}

interface Row {
  variant: AttentionVariant | string;
  ms: number | null;
  peak: number | null;
  largest: number | null;
  err: number | null;
  errExact: number | null;
}

interface SweepPoint {
  variant: AttentionVariant;
  n: number;
  ms: number;
  peak: number;
}

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

/** Random q, k, v [1, H, N, d], seeded by the shape. */
function inputs(s: State) {
  const rng = mulberry32(s.n * 131 + s.d * 7 + s.heads);
  const size = s.heads * s.n * s.d;
  const shape = [1, s.heads, s.n, s.d];
  return {
    q: { data: normalArray(rng, size), shape },
    k: { data: normalArray(rng, size), shape },
    v: { data: normalArray(rng, size), shape },
  };
}

/** The sampled query rows of one head, as a [1, 1, rows, d] slice plus the offset that keeps the causal alignment. */
function sampledRows(n: number): number[] {
  if (n <= SAMPLED_ROWS) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: SAMPLED_ROWS }, (_, i) => Math.floor((i * (n - 1)) / (SAMPLED_ROWS - 1)));
}

/**
 * Float64 reference rows for head h: the references run on a query slice whose keys
 * are trimmed to what each row may see when causal (so bottom-right alignment holds).
 */
function referenceRows(x: ReturnType<typeof inputs>, s: State, h: number, rows: number[], variant: AttentionVariant): Float64Array {
  const out = new Float64Array(rows.length * s.d);
  const head = (t: { data: Float32Array }, r: number) => t.data.subarray((h * s.n + r) * s.d, (h * s.n + r + 1) * s.d);
  rows.forEach((i, r) => {
    const nk = s.causal ? i + 1 : s.n;
    const k = new Float32Array(nk * s.d);
    const v = new Float32Array(nk * s.d);
    for (let j = 0; j < nk; j++) {
      k.set(head(x.k, j), j * s.d);
      v.set(head(x.v, j), j * s.d);
    }
    const o = attentionReference(
      { data: head(x.q, i), shape: [1, 1, 1, s.d] },
      { data: k, shape: [1, 1, nk, s.d] },
      { data: v, shape: [1, 1, nk, s.d] },
      { variant },
    );
    out.set(o.data, r * s.d);
  });
  return out;
}

function maxDiff(got: Float32Array, s: State, h: number, rows: number[], want: Float64Array): number {
  let worst = 0;
  rows.forEach((i, r) => {
    for (let c = 0; c < s.d; c++) worst = Math.max(worst, Math.abs(got[(h * s.n + i) * s.d + c]! - want[r * s.d + c]!));
  });
  return worst;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs each variant (one warm-up, then `repeats` measured runs) at state `s`. */
async function runPoint(gpu: Gpu, s: State, repeats: number, check: boolean, onStep: (label: string) => void): Promise<Row[]> {
  const x = inputs(s);
  const [q, k, v] = [x.q, x.k, x.v].map((t) => Tensor.fromData(gpu, t.data, t.shape, 'demo'));
  const rows = sampledRows(s.n);
  const exact = check ? referenceRows(x, s, 0, rows, 'flash') : null;
  const out: Row[] = [];
  try {
    for (const variant of ATTENTION_VARIANTS) {
      onStep(`${variant}: warm-up`);
      const warm = await profileAttention(gpu, q!, k!, v!, { variant, causal: s.causal });
      let err: number | null = null;
      let errExact: number | null = null;
      if (check) {
        const got = await warm.output.read();
        const own = variant === 'linear' ? referenceRows(x, s, 0, rows, 'linear') : exact!;
        err = maxDiff(got, s, 0, rows, own);
        errExact = maxDiff(got, s, 0, rows, exact!);
      }
      warm.output.destroy();
      const times: number[] = [];
      let peak = warm.memory.peakDeltaBytes;
      let largest = warm.largestBufferBytes;
      for (let r = 0; r < repeats; r++) {
        onStep(`${variant}: run ${r + 1} of ${repeats}`);
        const p = await profileAttention(gpu, q!, k!, v!, { variant, causal: s.causal });
        p.output.destroy();
        times.push(p.timing.gpuMs);
        peak = Math.max(peak, p.memory.peakDeltaBytes);
        largest = Math.max(largest, p.largestBufferBytes);
      }
      out.push({ variant, ms: median(times), peak, largest, err, errExact });
    }
  } finally {
    for (const t of [q, k, v]) t!.destroy();
  }
  return out;
}

/** The CPU fallback: the float64 reference at a small size, timed. */
function runCpu(s: State): Row[] {
  const small = { ...s, n: Math.min(s.n, 128), heads: 1 };
  const x = inputs(small);
  const rows: Row[] = [];
  for (const variant of ['flash', 'linear'] as AttentionVariant[]) {
    const t0 = performance.now();
    attentionReference(x.q, x.k, x.v, { variant, causal: s.causal });
    const ms = performance.now() - t0;
    rows.push({
      variant: `CPU reference (${variant === 'flash' ? 'exact' : 'linear'}), N = ${small.n}`,
      ms,
      peak: null,
      largest: null,
      err: 0,
      errExact: null,
    });
  }
  return rows;
}

const bytes = (b: number | null) => (b === null ? '–' : formatBinaryBytes(b));
const fmt = (x: number | null, digits: number) => (x === null ? '–' : x.toFixed(digits));
const sci = (x: number | null) => (x === null ? '–' : x.toExponential(1));

function renderTable(rows: Row[]): void {
  const naive = rows.find((r) => r.variant === 'naive')?.ms ?? null;
  document.querySelector('#results tbody')!.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      const cells = [
        r.variant,
        fmt(r.ms, 1),
        naive !== null && naive > 0 && r.ms !== null ? (r.ms / naive).toFixed(2) : '–',
        bytes(r.peak),
        bytes(r.largest),
        sci(r.err),
        r.variant === 'linear' ? sci(r.errExact) : r.errExact === null ? '–' : '(is exact)',
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

function renderLegend(): void {
  $('legend').replaceChildren(
    ...ATTENTION_VARIANTS.map((v, i) => {
      const span = document.createElement('span');
      span.textContent = v;
      span.style.setProperty('--swatch', seriesColor(i));
      return span;
    }),
  );
}

/** A log–log line chart of `value` against N, one line per variant. */
function renderChart(
  hostId: string,
  points: SweepPoint[],
  value: (p: SweepPoint) => number,
  yLabel: string,
  format: (v: number) => string,
  tickFilter: (v: number) => boolean,
  base: number,
): void {
  const host = select(`#${hostId}`);
  host.selectAll('*').remove();
  const data = points.filter((p) => value(p) > 0);
  if (data.length === 0) return;
  const width = 440;
  const height = 280;
  const m = { top: 12, right: 16, bottom: 40, left: 84 };
  const ns = data.map((p) => p.n);
  const vs = data.map(value);
  const x = scaleLog()
    .base(2)
    .domain([Math.min(...ns), Math.max(...ns) * 1.0001])
    .range([m.left, width - m.right]);
  const y = scaleLog()
    .base(base)
    .domain([Math.min(...vs) * 0.8, Math.max(...vs) * 1.25])
    .range([height - m.bottom, m.top])
    .nice();
  const svg = host
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', `${yLabel} against N`);
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0, ${height - m.bottom})`)
    .call(
      axisBottom(x)
        .tickValues([...new Set(ns)])
        .tickFormat((d) => String(d)),
    );
  const [lo, hi] = y.domain() as [number, number];
  const yTicks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
    for (const c of [1, 2, 4, 5, 8]) {
      const t = c * 10 ** e;
      if (t >= lo && t <= hi && tickFilter(t)) yTicks.push(t);
    }
  }
  for (let e = Math.ceil(Math.log2(lo)); e <= Math.floor(Math.log2(hi)); e++)
    if (tickFilter(2 ** e) && !yTicks.includes(2 ** e)) yTicks.push(2 ** e);
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(${m.left}, 0)`)
    .call(
      axisLeft(y)
        .tickValues(yTicks)
        .tickFormat((v) => format(Number(v))),
    );
  svg
    .append('text')
    .attr('x', (m.left + width - m.right) / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .text('N (log scale)');
  svg
    .append('text')
    .attr('transform', `translate(12, ${(m.top + height - m.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(yLabel);
  ATTENTION_VARIANTS.forEach((variant, i) => {
    const series = data.filter((p) => p.variant === variant).sort((a, b) => a.n - b.n);
    const path = line<SweepPoint>()
      .x((p) => x(p.n))
      .y((p) => y(value(p)));
    svg
      .append('path')
      .attr('d', path(series) ?? '')
      .attr('fill', 'none')
      .attr('stroke', seriesColor(i))
      .attr('stroke-width', 2);
    svg
      .append('g')
      .selectAll('circle')
      .data(series)
      .join('circle')
      .attr('cx', (p) => x(p.n))
      .attr('cy', (p) => y(value(p)))
      .attr('r', 3.5)
      .attr('fill', seriesColor(i))
      .append('title')
      .text((p) => `${variant}, N = ${p.n}: ${format(value(p))}`);
  });
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

function drawSweep(): void {
  renderChart(
    'chart-time',
    sweep,
    (p) => p.ms,
    'median time (ms)',
    (v) => (v >= 10 ? v.toFixed(0) : String(Number(v.toPrecision(2)))),
    (v) => /^[125]e/.test(v.toExponential()),
    10,
  );
  // Bytes: ticks at powers of 4 (1 KB, 4 KB, 16 KB, …), labelled in binary units.
  renderChart(
    'chart-memory',
    sweep,
    (p) => p.peak,
    'measured peak bytes',
    (v) => bytes(v),
    (v) => Number.isInteger(Math.log2(v) / 2),
    2,
  );
}

function setBusy(busy: boolean): void {
  runButton.disabled = busy;
  sweepButton.disabled = busy;
}

/** Median time of `repeats` flash runs (after one warm-up) with the causal mask set to `causal`. */
async function flashMedian(gpu: Gpu, s: State, causal: boolean, repeats: number): Promise<number> {
  const x = inputs(s);
  const [q, k, v] = [x.q, x.k, x.v].map((t) => Tensor.fromData(gpu, t.data, t.shape, 'demo'));
  try {
    const times: number[] = [];
    for (let r = 0; r <= repeats; r++) {
      const p = await profileAttention(gpu, q!, k!, v!, { variant: 'flash', causal });
      p.output.destroy();
      if (r > 0) times.push(p.timing.gpuMs);
    }
    return median(times);
  } finally {
    for (const t of [q, k, v]) t!.destroy();
  }
}

/** The flash layout this device runs for the state's shape (its tuned configuration, else the default); null without a GPU. */
function flashLayout(gpu: Gpu | null, s: State, causal: boolean): string | null {
  if (!gpu) return null;
  const shape = { d: s.d, dv: s.d, causal, Nq: s.n, Nk: s.n };
  return flashConfigFor(gpu, shape).layout;
}

/** The `rows` blocks this device runs for the state's shape; null when it runs another layout or has no GPU. */
function rowsBlocks(gpu: Gpu | null, s: State, causal: boolean): RowsBlocks | null {
  if (!gpu) return null;
  const c = flashConfigFor(gpu, { d: s.d, dv: s.d, causal, Nq: s.n, Nk: s.n });
  return c.layout === 'rows' ? { rows: c.R, keys: c.KB, workgroup: c.WG } : null;
}

const LAYOUT_NOTE: Record<string, string> = {
  workgroup: 'workgroup layout (flash.wgsl: query blocks and K/V tiles in workgroup memory)',
  rows: 'rows layout (flash_rows.wgsl: a block of query rows and every output column per invocation, no workgroup memory)',
};
const layoutName = (layout: string | null) => (layout === null ? 'no GPU' : (LAYOUT_NOTE[layout] ?? `${layout} layout`));

/** The FLOP line: what the flash layout that ran does at this head dim. */
function renderFlopsNote(s: State, layout: string | null): void {
  const tile = FLASH_TILE(s.d, s.d);
  const c = attentionCounts(s.n, s.n, s.d, s.d, tile);
  const workgroupRatio = c.flashFlops / c.naiveFlops;
  const el = $('flops-note');
  const same = `the same ${c.naiveFlops.toExponential(2)} FLOPs per head as naive`;
  const workgroupText =
    c.dvBlocks === 1
      ? `covers all ${s.d} output columns in one workgroup per query block, so it computes QKᵀ once: ${same} (ratio 1.00).`
      : `splits O into ${c.dvBlocks} blocks of ${tile.blockDv} columns, and each recomputes QKᵀ: ` +
        `${c.flashFlops.toExponential(2)} FLOPs per head against naive's ${c.naiveFlops.toExponential(2)} (ratio ${workgroupRatio.toFixed(2)}).`;
  el.dataset.layout = layout ?? '';
  if (layout === 'rows') {
    el.dataset.ratio = (1).toFixed(4);
    el.textContent = `FLOPs at d = dv = ${s.d}, ${layoutName(layout)}: QKᵀ once per key for any head dim, ${same} (ratio 1.00).`;
  } else if (layout === 'workgroup') {
    el.dataset.ratio = workgroupRatio.toFixed(4);
    el.textContent = `FLOPs at d = dv = ${s.d}, ${layoutName(layout)}: it ${workgroupText}`;
  } else {
    el.dataset.ratio = '';
    el.textContent =
      `FLOPs at d = dv = ${s.d}: ${layout === null ? 'without a GPU no layout ran; ' : `this device ran the ${layout} layout, not described here; `}` +
      `the workgroup layout ${workgroupText} The rows layout computes QKᵀ once per key: ratio 1.00.`;
  }
}

/** The I/O answer's live figures at the chosen N and d, for the layout that ran (workgroup without a GPU). */
function renderIo(s: State, layout: string | null, blocks: RowsBlocks | null): void {
  const tile = FLASH_TILE(s.d, s.d);
  const c = attentionCounts(s.n, s.n, s.d, s.d, tile);
  const naive =
    `Naive's S and P traffic alone is ${formatBinaryBytes(c.naiveScoreBytes)} (S written once and read twice, P written once ` +
    `and read once), on top of its own reads of Q, K and V.`;
  const el = $('io-live');
  el.dataset.layout = layout ?? '';
  el.dataset.naiveScoreBytes = String(c.naiveScoreBytes);
  if (layout === 'rows' && blocks) {
    const r = rowsTraffic(s.n, s.n, s.d, s.d, blocks);
    el.dataset.kvBytes = String(r.kvBytes);
    el.textContent =
      `Here, N = ${s.n} and d = dv = ${s.d}, your device ran the ${layoutName(layout)}, ${blocks.rows} query rows per ` +
      `invocation. Each of the ${r.invocations} ` +
      `invocations per head streams every key, so K and V are read ${r.invocations} times: ${formatBinaryBytes(r.kvBytes)}, ` +
      `and the running output is read and written once per ${blocks.keys} keys: ${formatBinaryBytes(r.oBytes)}. ${naive} ` +
      `Counted without caches the rows layout moves far more than naive; it is built for CPU-style adapters, where ` +
      `neighbouring invocations read the same key at the same moment and the CPU's caches serve the re-reads.`;
    return;
  }
  el.dataset.kvBytes = String(c.flashKvBytes);
  el.textContent =
    `Here, N = ${s.n} and d = dv = ${s.d}, ${layout === 'workgroup' ? `your device ran the ${layoutName(layout)}` : 'for the workgroup layout'}: ` +
    `query blocks of B_r = ${tile.blockQ} rows and key tiles of B_c = ${tile.blockK} keys ` +
    `(${formatBinaryBytes(tile.workgroupBytes)} of workgroup memory per workgroup), so per head K and V are read ` +
    `${c.qBlocks} times${c.dvBlocks > 1 ? ' (K once more per extra column block)' : ''}: ${formatBinaryBytes(c.flashKvBytes)}, ` +
    `plus ${formatBinaryBytes(c.flashQoBytes)} for Q and O. ${naive} Flash's K/V reads are ` +
    `${(c.flashKvBytes / c.naiveScoreBytes).toFixed(2)}× naive's S and P traffic. Both counts ignore caches, which serve many ` +
    `of these re-reads on a real GPU.`;
}

/** The causal line: flash's measured time with causal on ÷ causal off, and the fraction of score blocks visited. */
function renderCausalRatio(
  s: State,
  onMs: number,
  offMs: number,
  layoutOn: string | null,
  layoutOff: string | null,
  blocksOn: RowsBlocks | null,
): void {
  const tile = FLASH_TILE(s.d, s.d);
  const [bq, bk, what] =
    layoutOn === 'rows' && blocksOn
      ? [
          blocksOn.rows * blocksOn.workgroup,
          blocksOn.keys,
          `${blocksOn.rows * blocksOn.workgroup}×${blocksOn.keys} blocks (a workgroup's rows × a key group)`,
        ]
      : [tile.blockQ, tile.blockK, 'tiles'];
  const { visited, total } = visitedTiles(s.n, s.n, bq, bk, true);
  const ratio = onMs / offMs;
  const el = $('causal-ratio');
  Object.assign(el.dataset, {
    on: String(onMs),
    off: String(offMs),
    ratio: String(ratio),
    visited: String(visited / total),
    layout: layoutOn ?? '',
    blocks: blocksOn ? JSON.stringify(blocksOn) : '',
  });
  el.textContent =
    `Flash (${layoutOn ?? 'unknown'} layout), causal on ÷ causal off, measured at N = ${s.n}, d = ${s.d}: ${ratio.toFixed(2)} ` +
    `(${onMs.toFixed(2)} ms ÷ ${offMs.toFixed(2)} ms, medians of 3)` +
    `${layoutOff !== layoutOn ? `; causal off ran the ${layoutOff ?? 'unknown'} layout` : ''}. With causal on it visits ${visited} of ${total} ` +
    `${what} (${(visited / total).toFixed(2)}).`;
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
    drawSweep();
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
      drawSweep();
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
