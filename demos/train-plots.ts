/**
 * The d3 plots of the training and gradcheck pages: line series on linear or log
 * axes (loss curves, the gradcheck step sweep), point clouds, and histograms. Each
 * draws into a host element, replacing what was there; colours come from the
 * palette; text is set with `.text()` (never markup).
 */
import { axisBottom, axisLeft, line, scaleLinear, scaleLog, select, type ScaleContinuousNumeric } from 'd3';
import { seriesColor } from '../src/viz/palette';

/** One line: its label and points. */
export interface Series {
  label: string;
  points: readonly (readonly [number, number])[];
  /** Palette index; default the series' position. */
  color?: number;
  dashed?: boolean;
}

export interface LinePlotOptions {
  logX?: boolean;
  logY?: boolean;
  xLabel: string;
  yLabel: string;
  /** Vertical markers (x, label). */
  marks?: readonly { x: number; label: string }[];
  ariaLabel: string;
  width?: number;
  height?: number;
  /** Where the legend sits; default top right. */
  legend?: 'top-right' | 'bottom-right';
}

const M = { top: 14, right: 16, bottom: 42, left: 64 };

function frame(host: HTMLElement, width: number, height: number, aria: string) {
  const root = select(host);
  root.selectAll('*').remove();
  return root
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', aria);
}

function extent(values: number[], log: boolean): [number, number] {
  const v = values.filter((a) => Number.isFinite(a) && (!log || a > 0));
  if (v.length === 0) return log ? [1e-3, 1] : [0, 1];
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (lo === hi) [lo, hi] = log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  return log ? [lo / 1.3, hi * 1.3] : [lo, hi];
}

/** Lines on linear or log axes, with a legend and optional vertical markers. */
export function linePlot(host: HTMLElement, series: readonly Series[], o: LinePlotOptions): void {
  const width = o.width ?? 520;
  const height = o.height ?? 280;
  const svg = frame(host, width, height, o.ariaLabel);
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const x: ScaleContinuousNumeric<number, number> = (o.logX ? scaleLog() : scaleLinear())
    .domain(extent(xs, !!o.logX))
    .range([M.left, width - M.right]);
  const y: ScaleContinuousNumeric<number, number> = (o.logY ? scaleLog() : scaleLinear())
    .domain(extent(ys, !!o.logY))
    .range([height - M.bottom, M.top]);
  svg
    .append('g')
    .attr('transform', `translate(0, ${height - M.bottom})`)
    .call(axisBottom(x).ticks(6, o.logX ? '.0e' : '~g'));
  svg
    .append('g')
    .attr('transform', `translate(${M.left}, 0)`)
    .call(axisLeft(y).ticks(5, o.logY ? '.0e' : '~g'));
  svg
    .append('text')
    .attr('x', (M.left + width - M.right) / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .attr('fill', 'currentColor')
    .attr('font-size', 12)
    .text(o.xLabel);
  svg
    .append('text')
    .attr('x', 8)
    .attr('y', M.top - 2)
    .attr('fill', 'currentColor')
    .attr('font-size', 12)
    .text(o.yLabel);
  for (const mk of o.marks ?? []) {
    const px = x(mk.x);
    svg
      .append('line')
      .attr('x1', px)
      .attr('x2', px)
      .attr('y1', M.top)
      .attr('y2', height - M.bottom)
      .attr('stroke', 'currentColor')
      .attr('stroke-dasharray', '3 3')
      .attr('opacity', 0.6);
    svg
      .append('text')
      .attr('x', px + 3)
      .attr('y', M.top + 12)
      .attr('font-size', 11)
      .attr('fill', 'currentColor')
      .text(mk.label);
  }
  const ok = (p: readonly [number, number]) =>
    Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!o.logX || p[0] > 0) && (!o.logY || p[1] > 0);
  const path = line<readonly [number, number]>()
    .defined(ok)
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  series.forEach((s, i) => {
    const color = seriesColor(s.color ?? i);
    const g = svg.append('g').attr('data-series', s.label);
    g.append('path')
      .attr('d', path(s.points) ?? '')
      .attr('fill', 'none')
      .attr('stroke', color)
      .attr('stroke-width', 1.8)
      .attr('stroke-dasharray', s.dashed ? '5 3' : null);
    if (s.points.length <= 40)
      for (const p of s.points.filter(ok)) g.append('circle').attr('cx', x(p[0])).attr('cy', y(p[1])).attr('r', 2.5).attr('fill', color);
    g.append('rect')
      .attr('x', width - M.right - 150)
      .attr('y', M.top + 4 + 16 * i)
      .attr('width', 12)
      .attr('height', 3)
      .attr('fill', color);
    g.append('text')
      .attr('x', width - M.right - 134)
      .attr('y', M.top + 9 + 16 * i)
      .attr('font-size', 11)
      .attr('fill', 'currentColor')
      .text(s.label);
  });
}

/** A 2-D point cloud over a faint training set, in a fixed window. */
export function scatterPlot(
  host: HTMLElement,
  points: ArrayLike<number>,
  train: ArrayLike<number> | null,
  o: { ariaLabel: string; color?: number; size?: number; window?: number },
): void {
  const size = o.size ?? 260;
  const w = o.window ?? 2.6;
  const svg = frame(host, size, size, o.ariaLabel);
  const s = scaleLinear().domain([-w, w]).range([0, size]);
  svg.append('rect').attr('width', size).attr('height', size).attr('fill', 'none').attr('stroke', 'currentColor').attr('opacity', 0.3);
  const dot = (xs: ArrayLike<number>, r: number, fill: string, opacity: number, cls: string) => {
    const g = svg.append('g').attr('class', cls);
    for (let i = 0; i + 1 < xs.length; i += 2)
      g.append('circle')
        .attr('cx', s(xs[i]!))
        .attr('cy', s(-xs[i + 1]!))
        .attr('r', r)
        .attr('fill', fill)
        .attr('opacity', opacity);
  };
  if (train) dot(train, 1.6, 'currentColor', 0.25, 'train');
  dot(points, 1.4, seriesColor(o.color ?? 0), 0.75, 'samples');
}

/** Histograms of positive values on a log₁₀ axis, overlaid (counts as fractions). */
export function logHistogram(
  host: HTMLElement,
  series: readonly { label: string; values: readonly number[]; color?: number }[],
  o: { xLabel: string; ariaLabel: string; bins?: number },
): void {
  const width = 520;
  const height = 240;
  const svg = frame(host, width, height, o.ariaLabel);
  const all = series.flatMap((s) => s.values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10));
  const [lo, hi] = all.length ? [Math.floor(Math.min(...all)), Math.ceil(Math.max(...all))] : [-6, 0];
  const nb = o.bins ?? Math.max(10, (hi - lo) * 4);
  const x = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .range([M.left, width - M.right]);
  const counts = series.map((s) => {
    const c = new Array<number>(nb).fill(0);
    const v = s.values.filter((a) => a > 0 && Number.isFinite(a));
    for (const a of v) c[Math.min(nb - 1, Math.max(0, Math.floor(((Math.log10(a) - lo) / (x.domain()[1]! - lo)) * nb)))]! += 1 / v.length;
    return c;
  });
  const y = scaleLinear()
    .domain([0, Math.max(0.05, ...counts.flat())])
    .range([height - M.bottom, M.top]);
  svg
    .append('g')
    .attr('transform', `translate(0, ${height - M.bottom})`)
    .call(
      axisBottom(x)
        .ticks(Math.min(10, hi - lo))
        .tickFormat((d) => `1e${d}`),
    );
  svg.append('g').attr('transform', `translate(${M.left}, 0)`).call(axisLeft(y).ticks(4, '.0%'));
  svg
    .append('text')
    .attr('x', (M.left + width - M.right) / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', 'currentColor')
    .text(o.xLabel);
  const bw = (width - M.left - M.right) / nb;
  series.forEach((s, i) => {
    const color = seriesColor(s.color ?? i);
    const g = svg.append('g').attr('data-series', s.label);
    counts[i]!.forEach((c, b) => {
      if (c > 0)
        g.append('rect')
          .attr('x', M.left + b * bw)
          .attr('y', y(c))
          .attr('width', bw - 1)
          .attr('height', y(0) - y(c))
          .attr('fill', color)
          .attr('opacity', 0.55);
    });
    g.append('rect')
      .attr('x', width - M.right - 170)
      .attr('y', M.top + 4 + 16 * i)
      .attr('width', 12)
      .attr('height', 8)
      .attr('fill', color);
    g.append('text')
      .attr('x', width - M.right - 154)
      .attr('y', M.top + 12 + 16 * i)
      .attr('font-size', 11)
      .attr('fill', 'currentColor')
      .text(s.label);
  });
}
