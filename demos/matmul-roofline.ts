/**
 * The matmul page's roofline on the reader's own device: measures the two ceilings
 * with the bench's probes (sustained multiply-add rate, shaders/bench/fma.wgsl; copy
 * bandwidth, shaders/bench/copy.wgsl), then places each rung of the last ladder run
 * at both intensities (compulsory and issued, see roofline-math.ts) in a table and a
 * d3 log–log plot.
 */
import { axisBottom, axisLeft, scaleLog, select } from 'd3';
import { copyProbe, fmaProbe, FMA_FLOPS_PER_ITERATION } from '../src/bench/probes';
import { matmulConfig } from '../src/kernels/matmul';
import type { MatmulVariant } from '../src/kernels/matmul';
import { Tensor } from '../src/gpu/tensor';
import type { Gpu } from '../src/gpu/device';
import { seriesColor } from '../src/viz/palette';
import { attainable, boundBy, compulsoryIntensity, issuedIntensity, ridge } from './roofline-math';

/** The device's two measured ceilings. */
export interface Ceilings {
  /** Sustained multiply-add rate, GFLOP/s. */
  gflops: number;
  /** Copy bandwidth (bytes read + written), GB/s (10⁹ bytes per second). */
  gbps: number;
}

/** One ladder result to place: a variant and its measured rate at n³. */
export interface MeasuredRung {
  variant: string;
  gflops: number;
}

const FMA_INVOCATIONS = 16384;
const FMA_ITERATIONS = 256;
const COPY_ELEMENTS = 1 << 21;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Measures both ceilings: one warm-up and `repeats` timed runs of each probe, medians. */
export async function measureCeilings(gpu: Gpu, repeats = 3): Promise<Ceilings> {
  const fmaMs: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    const { result, timing } = await gpu.time(() => fmaProbe(gpu, FMA_INVOCATIONS, FMA_ITERATIONS));
    result.destroy();
    if (r > 0) fmaMs.push(timing.gpuMs);
  }
  const src = Tensor.fromData(gpu, new Float32Array(COPY_ELEMENTS).fill(1), [COPY_ELEMENTS], 'demo:copy-src');
  const copyMs: number[] = [];
  try {
    for (let r = 0; r <= repeats; r++) {
      const { result, timing } = await gpu.time(() => copyProbe(gpu, src));
      result.destroy();
      if (r > 0) copyMs.push(timing.gpuMs);
    }
  } finally {
    src.destroy();
  }
  const flops = FMA_INVOCATIONS * FMA_ITERATIONS * FMA_FLOPS_PER_ITERATION;
  return { gflops: flops / median(fmaMs) / 1e6, gbps: (8 * COPY_ELEMENTS) / median(copyMs) / 1e6 };
}

/** A rung placed on the roofline. */
export interface PlacedRung extends MeasuredRung {
  compulsory: number;
  issued: number | null;
  /** Workgroups launched for n³ (null where the variant has no output tile). */
  workgroups: number | null;
}

/** Both intensities and the workgroup count of each rung at n³, from the kernels' configurations on this device. */
export function placeRungs(gpu: Gpu, n: number, rungs: MeasuredRung[]): PlacedRung[] {
  const limits = { ...limitsOf(gpu), subgroupMaxSize: gpu.info.subgroupMaxSize };
  return rungs.map((r) => {
    let tile: { rows: number; cols: number } | null;
    try {
      tile = matmulConfig(r.variant as MatmulVariant, limits, n).tile;
    } catch {
      tile = null;
    }
    return {
      ...r,
      compulsory: compulsoryIntensity(n, n, n),
      issued: issuedIntensity(r.variant, tile),
      workgroups: tile ? Math.ceil(n / tile.rows) * Math.ceil(n / tile.cols) : null,
    };
  });
}

function limitsOf(gpu: Gpu) {
  const l = gpu.limits;
  return {
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
  };
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toPrecision(3) : x.toPrecision(2));

function cell(tr: HTMLTableRowElement, text: string): void {
  const td = document.createElement('td');
  td.textContent = text;
  tr.append(td);
}

/** Fills the roofline table's body: one row per rung. */
export function renderRooflineTable(tbody: HTMLElement, c: Ceilings, placed: PlacedRung[]): void {
  tbody.replaceChildren(
    ...placed.map((p) => {
      const tr = document.createElement('tr');
      tr.dataset.variant = p.variant;
      cell(tr, p.variant);
      cell(tr, fmt(p.gflops));
      cell(tr, p.issued === null ? '–' : `${fmt(p.issued)} → ${fmt(attainable(c.gflops, c.gbps, p.issued))}`);
      cell(tr, p.issued === null ? '–' : boundBy(c.gflops, c.gbps, p.issued));
      cell(tr, `${fmt(p.compulsory)} → ${fmt(attainable(c.gflops, c.gbps, p.compulsory))}`);
      cell(tr, boundBy(c.gflops, c.gbps, p.compulsory));
      cell(tr, p.workgroups === null ? '–' : String(p.workgroups));
      return tr;
    }),
  );
}

/** One sentence per claim the page makes about the roofline, evaluated on the measured numbers. */
export function rooflineVerdicts(c: Ceilings, placed: PlacedRung[]): string {
  const parts = [
    `Your ceilings: ${fmt(c.gflops)} GFLOP/s sustained multiply-add, ${fmt(c.gbps)} GB/s copy bandwidth; ridge at ` +
      `${fmt(ridge(c.gflops, c.gbps))} FLOP/byte.`,
  ];
  const naive = placed.find((p) => p.variant === 'naive');
  if (naive && naive.issued !== null) {
    const cap = attainable(c.gflops, c.gbps, naive.issued);
    parts.push(
      naive.gflops > cap
        ? `Naive ran at ${fmt(naive.gflops)} GFLOP/s, ${(naive.gflops / cap).toFixed(1)}× the ${fmt(cap)} GFLOP/s its issued loads ` +
            `would allow if each went to memory: caches served many of them.`
        : `Naive ran at ${fmt(naive.gflops)} GFLOP/s, within the ${fmt(cap)} GFLOP/s its issued loads allow at your bandwidth.`,
    );
  }
  return parts.join(' ');
}

/** The roofline plot: the ceiling, and each rung at its issued (hollow) and compulsory (filled) intensity. */
export function renderRooflinePlot(host: HTMLElement, c: Ceilings, placed: PlacedRung[]): void {
  const root = select(host);
  root.selectAll('*').remove();
  const width = 520;
  const height = 300;
  const m = { top: 14, right: 20, bottom: 42, left: 70 };
  const xs = placed.flatMap((p) => [p.compulsory, p.issued ?? p.compulsory]);
  const x = scaleLog()
    .domain([Math.min(0.1, ...xs) / 1.5, Math.max(100, ...xs) * 1.5])
    .range([m.left, width - m.right]);
  const ys = [c.gflops, ...placed.map((p) => p.gflops), attainable(c.gflops, c.gbps, x.domain()[0]!)];
  const y = scaleLog()
    .domain([Math.min(...ys) / 2, Math.max(...ys) * 2])
    .range([height - m.bottom, m.top]);
  const svg = root
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', 'roofline of this device with the matmul rungs');
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0, ${height - m.bottom})`)
    .call(axisBottom(x).ticks(6, '~g'));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left}, 0)`).call(axisLeft(y).ticks(6, '~g'));
  const [x0, x1] = x.domain() as [number, number];
  const r = ridge(c.gflops, c.gbps);
  const pts: [number, number][] = [
    [x0, attainable(c.gflops, c.gbps, x0)],
    [Math.min(Math.max(r, x0), x1), attainable(c.gflops, c.gbps, Math.min(Math.max(r, x0), x1))],
    [x1, attainable(c.gflops, c.gbps, x1)],
  ];
  svg
    .append('path')
    .attr('class', 'ceiling')
    .attr('d', `M${pts.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join('L')}`)
    .attr('fill', 'none')
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 2);
  placed.forEach((p, i) => {
    const color = seriesColor(i);
    const g = svg.append('g').attr('data-variant', p.variant);
    g.append('circle')
      .attr('cx', x(p.compulsory))
      .attr('cy', y(p.gflops))
      .attr('r', 5)
      .attr('fill', color)
      .append('title')
      .text(`${p.variant}: ${fmt(p.gflops)} GFLOP/s at compulsory intensity ${fmt(p.compulsory)}`);
    if (p.issued !== null)
      g.append('circle')
        .attr('cx', x(p.issued))
        .attr('cy', y(p.gflops))
        .attr('r', 5)
        .attr('fill', 'none')
        .attr('stroke', color)
        .attr('stroke-width', 2)
        .append('title')
        .text(`${p.variant}: ${fmt(p.gflops)} GFLOP/s at issued intensity ${fmt(p.issued)}`);
    g.append('text')
      .attr('x', x(p.issued ?? p.compulsory) + 8)
      .attr('y', y(p.gflops) - 6)
      .text(p.variant);
  });
  svg
    .append('text')
    .attr('x', (m.left + width - m.right) / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .text('arithmetic intensity (FLOP/byte, log)');
  svg
    .append('text')
    .attr('transform', `translate(14, ${(m.top + height - m.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text('GFLOP/s (log)');
}
