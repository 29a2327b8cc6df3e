/**
 * The two figures of `<diffusion-steps>`: the samples at the shown step (the particle cloud
 * over the faint training set with a few particles' paths, or a grid of 16×16 glyphs), and
 * the schedule plot (ᾱ_t and log-SNR of the linear and cosine schedules, the shown t marked).
 * Templates of their inputs; the geometry is in `diffusion-steps-draw.ts`.
 */
import { html, nothing, svg } from 'lit';
import { SERIES_COLORS } from '../palette';
import { LOG_SNR_RANGE, glyphGridUrl, hexRgb, particleScale, scheduleCurves } from './draw';
import type { DiffusionFrame, DiffusionResult } from './run';

/** The side of the square samples plot, in pixels. */
export const PLOT = 420;
/** How many particles' paths are drawn. */
const PATHS = 6;
/** The most glyphs drawn. */
const MAX_GLYPHS = 64;
/** Each schedule panel's size. */
const PANEL_W = 190;
const PANEL_H = 90;

/** The empty samples plot, before the first run. */
export function renderWaitingPlot() {
  return html`<svg width=${PLOT} height=${PLOT} role="img" aria-label="waiting for the first run"></svg>`;
}

/** The glyph grid of step `cur`, in the ink and paper colours of `host`. */
function renderGlyphs(r: DiffusionResult, cur: DiffusionFrame, label: string, host: Element) {
  const count = Math.min(r.n, MAX_GLYPHS);
  const cols = Math.ceil(Math.sqrt(count));
  const style = getComputedStyle(host);
  const ink = hexRgb(style.getPropertyValue('--_fg') || '#1b1b1f');
  const paper = hexRgb(style.getPropertyValue('--_bg') || '#ffffff');
  const url = glyphGridUrl(cur.x, count, cols, ink, paper);
  return html`<svg id="plot" width=${PLOT} height=${PLOT} viewBox="0 0 ${PLOT} ${PLOT}" role="img" aria-label=${label}>
    ${url ? svg`<image href=${url} x="4" y="4" width=${PLOT - 8} height=${PLOT - 8} preserveAspectRatio="xMidYMid meet" style="image-rendering: pixelated"></image>` : nothing}
  </svg>`;
}

/** Dots at the 2-D points of `xy` ([x₀, y₀, x₁, y₁, …]), y up. */
function dots(xy: ArrayLike<number>, cls: string, radius: string) {
  const sc = particleScale(PLOT);
  const out = [];
  for (let k = 0; k < xy.length; k += 2)
    out.push(svg`<circle class=${cls} cx=${sc(xy[k]!).toFixed(1)} cy=${sc(-xy[k + 1]!).toFixed(1)} r=${radius}></circle>`);
  return out;
}

/** The paths of a few particles, spread over the sample, from the first recorded step to step `i`. */
function particlePaths(r: DiffusionResult, frames: DiffusionFrame[], i: number) {
  const sc = particleScale(PLOT);
  const count = Math.min(PATHS, r.n);
  const picked = Array.from({ length: count }, (_, k) => Math.floor((k * r.n) / count));
  return picked.map((p, k) => {
    const pts = frames.slice(0, i + 1).map((f) => `${sc(f.x[2 * p]!).toFixed(1)},${sc(-f.x[2 * p + 1]!).toFixed(1)}`);
    const color = SERIES_COLORS[(k + 1) % SERIES_COLORS.length];
    const last = pts[pts.length - 1]!.split(',');
    return svg`<polyline class="path" stroke=${color} points=${pts.join(' ')}></polyline>
        <circle cx=${last[0]!} cy=${last[1]!} r="3.2" fill=${color} stroke="white" stroke-width="0.8"></circle>`;
  });
}

/** The samples plot (`svg#plot`) at recorded step `i` of `frames` (of the process `mode`). */
export function renderSamplesPlot(r: DiffusionResult, frames: DiffusionFrame[], i: number, mode: string, host: Element) {
  const cur = frames[i]!;
  const label = `${mode} process, ${cur.t < 0 ? 'final samples' : `t = ${cur.t}`}, ${r.config.dataset}`;
  if (r.kind === 'images') return renderGlyphs(r, cur, label, host);
  return html`<svg id="plot" width=${PLOT} height=${PLOT} viewBox="0 0 ${PLOT} ${PLOT}" role="img" aria-label=${label}>
    <rect class="axis" x="0.5" y="0.5" width=${PLOT - 1} height=${PLOT - 1}></rect>
    <g class="train-set">${dots(r.train, 'train', '1.3')}</g>
    <g class="particles">${dots(cur.x, 'particle', '1.7')}</g>
    <g class="paths">${particlePaths(r, frames, i)}</g>
    <text class="label" x="8" y="16">${cur.t < 0 ? 'samples x₀' : `x_t, t = ${cur.t}`}</text>
  </svg>`;
}

/** ᾱ_t and log-SNR over t for both schedules (`active` drawn strong), with `t` marked (null: no mark). */
export function renderSchedulePlot(T: number, t: number | null, active: string) {
  const curves = scheduleCurves(T, PANEL_W, PANEL_H);
  const mx = t == null ? null : ((t < 0 ? 0 : t) / (T - 1)) * PANEL_W;
  const panel = (title: string, pick: 'alphaBar' | 'logSnr', y0: number, ticks: string[]) => svg`
      <g transform="translate(34, ${y0})">
        <rect class="axis" x="0" y="0" width=${PANEL_W} height=${PANEL_H}></rect>
        ${curves.map((c) => svg`<path class="curve ${c.kind} ${c.kind === active ? 'active' : ''}" d=${c[pick]}></path>`)}
        ${mx == null ? nothing : svg`<line class="marker" x1=${mx} x2=${mx} y1="0" y2=${PANEL_H}></line>`}
        <text class="label" x="4" y="-4">${title}</text>
        <text class="label" x="-4" y="9" text-anchor="end">${ticks[0]}</text>
        <text class="label" x="-4" y=${PANEL_H} text-anchor="end">${ticks[1]}</text>
      </g>`;
  const h = 2 * PANEL_H + 70;
  return html`<svg
    id="schedules"
    width=${PANEL_W + 44}
    height=${h}
    role="img"
    aria-label="ᾱ_t and log-SNR for the linear and cosine schedules"
  >
    ${panel('ᾱ_t', 'alphaBar', 14, ['1', '0'])}
    ${panel('log SNR_t', 'logSnr', PANEL_H + 36, [String(LOG_SNR_RANGE[1]), String(LOG_SNR_RANGE[0])])}
    <text class="label" x="34" y=${h - 16}>0</text>
    <text class="label" x=${PANEL_W + 34} y=${h - 16} text-anchor="end">t = ${T - 1}</text>
    <line class="curve linear active" x1="60" x2="78" y1=${h - 4} y2=${h - 4}></line>
    <text class="label" x="82" y=${h - 1}>linear</text>
    <line class="curve cosine active" x1="130" x2="148" y1=${h - 4} y2=${h - 4}></line>
    <text class="label" x="152" y=${h - 1}>cosine</text>
  </svg>`;
}
