/**
 * The main plot of `<loss-landscape>`: the filled d3 contours of the surface (log-scaled
 * where the surface has a known minimum), each optimizer's path up to the shown step, the
 * start and keyboard markers and the axes; and the legend with each optimizer's current
 * loss. Pure functions of the result and the view, so the same state draws the same picture.
 */
import { html, nothing, svg } from 'lit';
import { contours, geoPath, geoTransform, scaleLinear } from 'd3';
import { SERIES_COLORS, sequential } from '../palette';
import { pathOffset, type LandscapeResult } from './compute';
import type { LandscapeConfig } from './config';

/** The plot's inner width and height, and its margins (the chart under it shares the width and margins). */
export const PLOT_W = 440;
const PLOT_H = 440;
export const MARGIN = { l: 46, r: 12, t: 12, b: 36 };
/** How many filled contour levels. */
const LEVELS = 18;

/** Keeps a pixel coordinate of a far-off point within ±10⁴, where SVG still draws it. */
export function clipPx(v: number): number {
  return Math.max(-1e4, Math.min(1e4, v));
}

/** A loss as text: four decimals, or exponent form for very small or large values. */
export function formatLoss(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(4);
}

/** The plot's scales: the view window to pixels, y up. */
export function landscapeScales(c: LandscapeConfig) {
  const [x0, x1, y0, y1] = c.domain;
  return {
    sx: scaleLinear()
      .domain([x0, x1])
      .range([MARGIN.l, MARGIN.l + PLOT_W]),
    sy: scaleLinear()
      .domain([y0, y1])
      .range([MARGIN.t + PLOT_H, MARGIN.t]),
  };
}

const contourCache = new WeakMap<LandscapeResult, { d: string; fill: string }[]>();

/** The filled contour paths of a result's grid (computed once per result). */
function contourPaths(r: LandscapeResult): { d: string; fill: string }[] {
  const hit = contourCache.get(r);
  if (hit) return hit;
  const R = r.config.resolution;
  const n = R * R;
  const t = new Float64Array(n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = r.grid[i]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) return [];
  const delta = Math.max(1e-12, (hi - lo) * 1e-5);
  const tf = r.config.logScale ? (v: number) => Math.log10(v - lo + delta) : (v: number) => v;
  const tlo = tf(lo);
  const thi = tf(hi);
  for (let i = 0; i < n; i++) t[i] = Number.isFinite(r.grid[i]!) ? tf(r.grid[i]!) : thi;
  const thresholds = Array.from({ length: LEVELS }, (_, k) => tlo + ((thi - tlo) * k) / LEVELS);
  const { sx, sy } = landscapeScales(r.config);
  const [x0, x1, y0, y1] = r.config.domain;
  const dx = (x1 - x0) / (R - 1);
  const dy = (y1 - y0) / (R - 1);
  // Contour coordinates are in cells: sample i sits at cell centre i + 0.5.
  const projection = geoTransform({
    point(x: number, y: number) {
      this.stream.point(sx(x0 + (x - 0.5) * dx), sy(y0 + (y - 0.5) * dy));
    },
  });
  const path = geoPath(projection);
  const paths = contours()
    .size([R, R])
    .thresholds(thresholds)(Array.from(t))
    .map((c, k) => ({
      d: path(c) ?? '',
      fill: sequential(0.08 + (0.9 * k) / LEVELS),
    }));
  contourCache.set(r, paths);
  return paths;
}

/** Each optimizer's path from each start up to `frame`, with a dot at its head. */
function trails(r: LandscapeResult, frame: number) {
  const { sx, sy } = landscapeScales(r.config);
  const [nOpt, nStarts] = r.shape;
  const out = [];
  for (let o = 0; o < nOpt; o++) {
    for (let s = 0; s < nStarts; s++) {
      const base = pathOffset(r, o, s, 0);
      const pts: string[] = [];
      let last: [number, number] | null = null;
      for (let t = 0; t <= frame; t++) {
        const x = r.paths[base + 3 * t]!;
        const y = r.paths[base + 3 * t + 1]!;
        if (!Number.isFinite(x) || !Number.isFinite(y)) break;
        last = [clipPx(sx(x)), clipPx(sy(y))];
        pts.push(`${last[0].toFixed(1)},${last[1].toFixed(1)}`);
      }
      const cls = o % SERIES_COLORS.length;
      out.push(svg`<polyline class="path s${cls}" data-optimizer=${o} points=${pts.join(' ')}></polyline>`);
      if (last) out.push(svg`<circle class="head f${cls}" cx=${last[0]} cy=${last[1]} r="4.5"></circle>`);
    }
  }
  return out;
}

/** What the plot shows besides the result, and what its events do. */
export interface PlotView {
  frame: number;
  /** The keyboard's start marker, in the surface's coordinates, or null. */
  cursor: [number, number] | null;
  onClick: (e: MouseEvent) => void;
  onKey: (e: KeyboardEvent) => void;
  onBlur: () => void;
}

/** The contour plot (`svg.main`) with the paths up to the shown step. */
export function renderPlot(r: LandscapeResult, view: PlotView) {
  const [W, H, M] = [PLOT_W, PLOT_H, MARGIN];
  const { sx, sy } = landscapeScales(r.config);
  const frame = Math.min(view.frame, r.shape[2] - 1);
  const starts = r.config.starts.map(([x, y]) => svg`<circle class="startmark" cx=${sx(x)} cy=${sy(y)} r="4"></circle>`);
  const xt = sx.ticks(6);
  const yt = sy.ticks(6);
  return html`<svg
    class="main"
    viewBox="0 0 ${W + M.l + M.r} ${H + M.t + M.b}"
    width=${W + M.l + M.r}
    height=${H + M.t + M.b}
    role="img"
    tabindex="0"
    aria-label="loss contours with optimizer paths; arrow keys move a start marker, Enter starts every optimizer there"
    @click=${view.onClick}
    @keydown=${view.onKey}
    @blur=${view.onBlur}
  >
    <defs>
      <clipPath id="ll-clip"><rect x=${M.l} y=${M.t} width=${W} height=${H}></rect></clipPath>
    </defs>
    <g clip-path="url(#ll-clip)">
      <rect x=${M.l} y=${M.t} width=${W} height=${H} fill=${sequential(0.02)}></rect>
      <g class="contours">${contourPaths(r).map((c) => svg`<path class="contour" d=${c.d} fill=${c.fill}></path>`)}</g>
      <g class="trails">${trails(r, frame)}</g>
      ${starts} ${view.cursor ? svg`<circle class="cursor" cx=${sx(view.cursor[0])} cy=${sy(view.cursor[1])} r="7"></circle>` : nothing}
    </g>
    <rect class="frame" x=${M.l} y=${M.t} width=${W} height=${H}></rect>
    <g class="axis">
      ${xt.map((v) => svg`<line x1=${sx(v)} x2=${sx(v)} y1=${M.t + H} y2=${M.t + H + 5}></line><text x=${sx(v)} y=${M.t + H + 18} text-anchor="middle">${v}</text>`)}
      ${yt.map((v) => svg`<line x1=${M.l - 5} x2=${M.l} y1=${sy(v)} y2=${sy(v)}></line><text x=${M.l - 8} y=${sy(v) + 4} text-anchor="end">${v}</text>`)}
      <text x=${M.l + W / 2} y=${M.t + H + 32} text-anchor="middle">${r.config.mode === 'mlp' ? 'α (direction 1)' : 'x'}</text>
      <text x="12" y=${M.t + H / 2} text-anchor="middle" transform="rotate(-90 12 ${M.t + H / 2})">
        ${r.config.mode === 'mlp' ? 'β (direction 2)' : 'y'}
      </text>
    </g>
  </svg>`;
}

/** The legend: each optimizer's colour, label and loss at the shown step (from its first start). */
export function renderLegend(r: LandscapeResult, shown: number) {
  const frame = Math.min(shown, r.shape[2] - 1);
  return html`<ul class="legend">
    ${r.config.optimizers.map((o, i) => {
      const v = r.paths[pathOffset(r, i, 0, frame) + 2]!;
      return html`<li data-optimizer=${i}>
        <span class="swatch f${i % SERIES_COLORS.length}"></span><span class="label">${o.label}</span>
        <span class="loss">${Number.isFinite(v) ? formatLoss(v) : 'diverged'}</span>
      </li>`;
    })}
  </ul>`;
}
