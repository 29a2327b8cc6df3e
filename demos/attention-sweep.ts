/**
 * The attention page's sweep plots: log–log charts of median time and measured peak
 * bytes against N, one d3 line per variant, and their legend.
 */
import { axisBottom, axisLeft, line, scaleLog, select } from 'd3';
import { ATTENTION_VARIANTS, type AttentionVariant } from '../src/kernels/attention';
import { seriesColor } from '../src/viz/palette';
import { bytes } from './attention-format';

export interface SweepPoint {
  variant: AttentionVariant;
  n: number;
  ms: number;
  peak: number;
}

export function renderLegend(): void {
  document.getElementById('legend')!.replaceChildren(
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

/** Draws both sweep charts (time and memory) from `sweep`. */
export function drawSweep(sweep: SweepPoint[]): void {
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
