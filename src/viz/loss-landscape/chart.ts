/**
 * The small chart under `<loss-landscape>`'s plot: for each optimizer's first start, the
 * loss per step, or the step length ‖xₜ − xₜ₋₁‖ (log scale), with a playhead at the shown step.
 */
import { html, nothing, svg } from 'lit';
import { format, scaleLinear } from 'd3';
import { SERIES_COLORS } from '../palette';
import { pathOffset, type LandscapeResult } from './compute';
import { MARGIN, PLOT_W, clipPx } from './draw';

const CHART_H = 120;
/** Linear tick labels short enough for the margin: 0.5, -12, -6e+10. */
const TICK = format('.2~g');

/** What the chart plots. */
export type ChartKind = 'loss' | 'step';

/** Each optimizer's series (first start): the loss from step 0, or the step length from step 1. */
function chartSeries(r: LandscapeResult, kind: ChartKind): number[][] {
  const [nOpt, , P] = r.shape;
  const stepMode = kind === 'step';
  const series: number[][] = [];
  for (let o = 0; o < nOpt; o++) {
    const base = pathOffset(r, o, 0, 0);
    const v: number[] = [];
    for (let t = stepMode ? 1 : 0; t < P; t++) {
      v.push(
        stepMode
          ? Math.hypot(r.paths[base + 3 * t]! - r.paths[base + 3 * t - 3]!, r.paths[base + 3 * t + 1]! - r.paths[base + 3 * t - 2]!)
          : r.paths[base + 3 * t + 2]!,
      );
    }
    series.push(v);
  }
  return series;
}

/** The chart (`svg.chart`), or nothing when no value is finite. */
export function renderChart(r: LandscapeResult, kind: ChartKind, frame: number) {
  const M = MARGIN;
  const P = r.shape[2];
  const cw = PLOT_W + M.l + M.r;
  const ch = CHART_H;
  const stepMode = kind === 'step';
  const series = chartSeries(r, kind);
  const finite = series.flat().filter(Number.isFinite);
  if (finite.length === 0) return nothing;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const useLog = stepMode || (r.config.logScale && lo >= 0);
  const floor = useLog ? Math.max(lo * 0.5, hi * 1e-8, 1e-12) : 0;
  const f = (v: number) => (useLog ? Math.log10(Math.max(v, floor)) : v);
  const sx = scaleLinear()
    .domain([0, Math.max(1, P - 1)])
    .range([M.l, cw - M.r]);
  const sy = scaleLinear()
    .domain([f(useLog ? floor : lo), f(hi)])
    .nice()
    .range([ch - 22, 8]);
  const t0 = stepMode ? 1 : 0;
  const lines = series.map((v, o) => {
    const pts: string[] = [];
    for (let k = 0; k < v.length; k++) {
      if (!Number.isFinite(v[k]!)) break;
      pts.push(`${sx(k + t0).toFixed(1)},${clipPx(sy(f(v[k]!))).toFixed(1)}`);
    }
    return svg`<polyline class="path s${o % SERIES_COLORS.length}" stroke-width="1.6" points=${pts.join(' ')}></polyline>`;
  });
  const x = sx(Math.min(frame, P - 1));
  const what = stepMode ? 'step length ‖Δx‖ (log)' : `loss${useLog ? ' (log)' : ''}`;
  return html`<svg class="chart" viewBox="0 0 ${cw} ${ch}" width=${cw} height=${ch} role="img" aria-label=${what}>
    ${sy.ticks(3).map((v) => svg`<line class="grid" x1=${M.l} x2=${cw - M.r} y1=${sy(v)} y2=${sy(v)}></line><text x=${M.l - 6} y=${sy(v) + 4} text-anchor="end">${useLog ? `1e${v}` : TICK(v)}</text>`)}
    <g>${lines}</g>
    <line class="playhead" x1=${x} x2=${x} y1="6" y2=${ch - 22}></line>
    <text x=${M.l} y=${ch - 6}>step 0</text>
    <text x=${cw - M.r} y=${ch - 6} text-anchor="end">${what} · step ${P - 1}</text>
  </svg>`;
}
