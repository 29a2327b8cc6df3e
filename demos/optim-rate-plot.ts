/**
 * The optimizers page's rate answer: a d3 plot of the per-step convergence rate
 * (spectral radius) of gradient descent, heavy-ball momentum and Nesterov against the
 * learning rate on the quadratic with eigenvalues 1 and κ, plus a table at one lr.
 * The maths is in optim-rates.ts.
 */
import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import { seriesColor } from '../src/viz/palette';
import { gdOptimum, heavyBallOptimum, rate, stabilityLimit, stepsToShrink, type RateRule } from './optim-rates';

const RULES: [RateRule, string][] = [
  ['gd', 'SGD'],
  ['momentum', 'Momentum'],
  ['nesterov', 'Nesterov'],
];
const Y_MAX = 1.2;

/** The plot's settings: condition number, β, and the lr to mark. */
export interface RatePlotState {
  kappa: number;
  beta: number;
  lr: number;
}

/** Draws the rate against lr into `host`. */
export function renderRatePlot(host: HTMLElement, s: RatePlotState): void {
  const eig = [1, s.kappa];
  const root = select(host);
  root.selectAll('*').remove();
  const width = 520;
  const height = 280;
  const m = { top: 12, right: 110, bottom: 42, left: 52 };
  const lrMax = 1.1 * stabilityLimit('momentum', s.kappa, s.beta);
  const x = scaleLinear()
    .domain([0, lrMax])
    .range([m.left, width - m.right]);
  const lrs = Array.from({ length: 401 }, (_, i) => (lrMax * (i + 1)) / 401);
  const curves = RULES.map(([rule]) => lrs.map((lr) => [lr, Math.min(Y_MAX, rate(rule, lr, eig, s.beta))] as [number, number]));
  // Zoom on the interesting band: from just below the best rate on the plot up to a little past 1.
  const lowest = Math.min(...curves.flat().map((p) => p[1]));
  const y = scaleLinear()
    .domain([Math.max(0, Math.floor((lowest - 0.02) * 20) / 20), Y_MAX])
    .range([height - m.bottom, m.top]);
  const svg = root
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', 'convergence rate against learning rate');
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0, ${height - m.bottom})`)
    .call(axisBottom(x).ticks(6));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left}, 0)`).call(axisLeft(y).ticks(7));
  svg
    .append('line')
    .attr('x1', x(0))
    .attr('x2', x(lrMax))
    .attr('y1', y(1))
    .attr('y2', y(1))
    .attr('stroke', 'currentColor')
    .attr('stroke-dasharray', '4 3');
  svg
    .append('line')
    .attr('class', 'marker')
    .attr('x1', x(s.lr))
    .attr('x2', x(s.lr))
    .attr('y1', y(y.domain()[0]!))
    .attr('y2', y(Y_MAX))
    .attr('stroke', 'currentColor')
    .attr('stroke-opacity', 0.5);
  RULES.forEach(([rule, label], i) => {
    const pts = curves[i]!;
    svg
      .append('path')
      .attr('data-rule', rule)
      .attr(
        'd',
        line()
          .x((p) => x(p[0]))
          .y((p) => y(p[1]))(pts) ?? '',
      )
      .attr('fill', 'none')
      .attr('stroke', seriesColor(i))
      .attr('stroke-width', 2);
    svg
      .append('text')
      .attr('x', width - m.right + 8)
      .attr('y', m.top + 14 + 16 * i)
      .attr('fill', seriesColor(i))
      .text(label);
  });
  svg
    .append('text')
    .attr('x', (m.left + width - m.right) / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .text('learning rate');
  svg
    .append('text')
    .attr('transform', `translate(14, ${(m.top + height - m.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text('rate per step');
}

function td(tr: HTMLTableRowElement, text: string): void {
  const c = document.createElement('td');
  c.textContent = text;
  tr.append(c);
}

/** Fills the rate table: each rule at the marked lr, its stability limit, and the tuned optima. */
export function renderRateTable(tbody: HTMLElement, s: RatePlotState): void {
  const eig = [1, s.kappa];
  const rows = RULES.map(([rule, label]) => {
    const r = rate(rule, s.lr, eig, s.beta);
    const tr = document.createElement('tr');
    tr.dataset.rule = rule;
    td(tr, `${label}${rule === 'gd' ? '' : ` (β = ${s.beta})`}`);
    td(tr, r.toFixed(4));
    td(tr, r < 1 ? String(stepsToShrink(r)) : 'diverges');
    td(tr, stabilityLimit(rule, s.kappa, s.beta).toPrecision(4));
    return tr;
  });
  const gd = gdOptimum(1, s.kappa);
  const hb = heavyBallOptimum(1, s.kappa);
  const best = (label: string, lr: number, r: number, note: string) => {
    const tr = document.createElement('tr');
    tr.className = 'optimum';
    td(tr, label);
    td(tr, r.toFixed(4));
    td(tr, String(stepsToShrink(r)));
    td(tr, note + ` at lr = ${lr.toPrecision(3)}`);
    return tr;
  };
  rows.push(best('SGD, best lr', gd.lr, gd.rate, '(κ − 1)/(κ + 1)'));
  rows.push(best(`Momentum, tuned (β = ${hb.beta.toFixed(3)})`, hb.lr, hb.rate, '(√κ − 1)/(√κ + 1)'));
  tbody.replaceChildren(...rows);
}
