/**
 * Drawing `<attention-map>`: the colour scale, each map's layout, and the SVG of the maps
 * (cells, hatched masks, token labels, outlines, the legend), as Lit templates of the
 * element's state. Events on a map go back to the element through `MapEvents`.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { sequential } from '../palette';
import { displayValues, maskName, type AttentionMapModel } from './data';

/** The colour of `value` on the map's scale [lo, hi] (viridis), optionally through a square root. */
export function attentionColor(value: number, lo: number, hi: number, colorScale: 'linear' | 'sqrt' = 'linear'): string {
  const t = Math.max(0, Math.min(1, hi > lo ? (value - lo) / (hi - lo) : 1));
  return sequential(colorScale === 'sqrt' ? Math.sqrt(t) : t);
}

/** The colour domain of one head's displayed values (NaN = masked, skipped). */
export function valueDomain(values: Float32Array, mode: 'weights' | 'logits'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === -Infinity) return [0, 1];
  if (mode === 'weights') lo = 0;
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** The hovered (or keyboard) cell: query `i`, key `j` of `head`. */
export interface Hover {
  head: number;
  i: number;
  j: number;
}

/** Where one map's cells go, and whether they are drawn on a canvas. */
export interface MapLayout {
  plot: number;
  cell: number;
  left: number;
  top: number;
  width: number;
  height: number;
  canvas: boolean;
}

/** The element's state that the maps draw. */
export interface MapView {
  head: number;
  mode: 'weights' | 'logits';
  colorScale: 'linear' | 'sqrt';
  slidingWindow: number | null;
  selectedQuery: number;
  selectedHead: number;
  hover: Hover | null;
  size: number;
  canvasThreshold: number;
}

/** What a map tells the element: the pointer over it (or leaving it), a click, a key, focus. */
export interface MapEvents {
  pointer(e: PointerEvent, model: AttentionMapModel, head: number, lay: MapLayout): void;
  leave(): void;
  click(e: MouseEvent, model: AttentionMapModel, head: number, lay: MapLayout): void;
  key(e: KeyboardEvent, model: AttentionMapModel, head: number): void;
  focus(model: AttentionMapModel, head: number): void;
}

const MARGIN_LEFT = 78;
const MARGIN_TOP = 64;
const LEGEND = 64;

/** The layout of each map: a single map of side `size`, or small multiples (`grid`) at half of it. */
export function mapLayout(model: AttentionMapModel, grid: boolean, view: Pick<MapView, 'size' | 'canvasThreshold'>): MapLayout {
  const target = grid ? Math.max(120, Math.round(view.size * 0.5)) : view.size;
  const nMax = Math.max(model.Nq, model.Nk);
  const cell = Math.max(target / nMax, 0.5);
  const plot = cell * nMax;
  const left = grid ? 40 : MARGIN_LEFT;
  const top = grid ? 20 : MARGIN_TOP;
  return {
    plot,
    cell,
    left,
    top,
    width: left + cell * model.Nk + (grid ? 8 : LEGEND),
    height: top + cell * model.Nq + 8,
    canvas: model.Nq * model.Nk > view.canvasThreshold,
  };
}

/** The cell under a pointer event on a map's hit area, or null outside the cells. */
export function cellAt(e: MouseEvent, model: AttentionMapModel, lay: MapLayout): { i: number; j: number } | null {
  const r = (e.currentTarget as Element).getBoundingClientRect();
  const j = Math.floor((e.clientX - r.left) / lay.cell);
  const i = Math.floor((e.clientY - r.top) / lay.cell);
  if (i < 0 || j < 0 || i >= model.Nq || j >= model.Nk) return null;
  return { i, j };
}

/** The map of the chosen head, or (head `all`) small multiples of every head. */
export function renderMaps(view: MapView, model: AttentionMapModel, events: MapEvents): TemplateResult {
  const grid = view.head < 0 && model.H > 1;
  const heads = grid ? Array.from({ length: model.H }, (_, h) => h) : [Math.min(Math.max(0, view.head), model.H - 1)];
  const lay = mapLayout(model, grid, view);
  return html`<div class="maps">${heads.map((h) => renderMap(view, model, h, lay, grid, events))}</div>`;
}

function renderMap(view: MapView, model: AttentionMapModel, h: number, lay: MapLayout, grid: boolean, events: MapEvents): TemplateResult {
  const values = displayValues(model, h, view.mode);
  const [lo, hi] = valueDomain(values, view.mode);
  const { cell, left, top } = lay;
  const Nq = model.Nq;
  const Nk = model.Nk;
  const maxLabels = Math.max(1, Math.floor((cell * Math.max(Nq, Nk)) / 11));
  const qStep = Math.ceil(Nq / maxLabels);
  const kStep = Math.ceil(Nk / maxLabels);
  const showLabels = !grid || cell >= 9;
  const cells: TemplateResult[] = [];
  if (!lay.canvas) {
    for (let i = 0; i < Nq; i++)
      for (let j = 0; j < Nk; j++) {
        const c = i * Nk + j;
        const m = model.mask[c]!;
        const v = values[c]!;
        const fill = m ? `url(#am-hatch-${maskName(m)})` : attentionColor(v, lo, hi, view.colorScale);
        cells.push(
          svg`<rect class=${m ? 'cell mask' : 'cell'} x=${left + j * cell} y=${top + i * cell} width=${cell + 0.02} height=${cell + 0.02} fill=${fill} data-i=${i} data-j=${j} data-v=${m ? 'masked' : String(v)}></rect>`,
        );
      }
  }
  const sel = view.selectedQuery >= 0 && (grid ? view.selectedHead === h : true) && view.selectedQuery < Nq ? view.selectedQuery : -1;
  const hov = view.hover && view.hover.head === h ? view.hover : null;
  const legendX = left + cell * Nk + 14;
  const legendH = Math.min(cell * Nq, 200);
  const group = model.kvHeads < model.H ? ` · key head ${Math.floor(h / (model.H / model.kvHeads))}` : '';
  const caption = grid
    ? `${model.headNames[h]}${group}`
    : `${model.headNames[h]}${group} · ${view.mode === 'logits' ? 'raw logits' : 'softmax weights'}`;
  return html`<figure data-head=${h}>
    <div class="frame" style=${styleMap({ width: `${lay.width}px`, height: `${lay.height}px` })}>
      ${lay.canvas ? html`<canvas class="heat" data-head=${h} width=${Nk} height=${Nq} style=${styleMap({ left: `${left}px`, top: `${top}px`, width: `${cell * Nk}px`, height: `${cell * Nq}px` })}></canvas>` : nothing}
      <svg
        class="map"
        data-head=${h}
        width=${lay.width}
        height=${lay.height}
        viewBox="0 0 ${lay.width} ${lay.height}"
        role="img"
        tabindex="0"
        aria-label="attention weights, ${caption}; arrow keys move over the cells, Enter shows a query's weights"
        @keydown=${(e: KeyboardEvent) => events.key(e, model, h)}
        @focus=${() => events.focus(model, h)}
      >
        <defs>${hatchDefs(view.slidingWindow !== null)}</defs>
        ${cells}
        ${
          showLabels
            ? svg`${model.queryLabels.map((t, i) =>
                i % qStep === 0
                  ? svg`<text class="axis-label q-label" x=${left - 4} y=${top + (i + 0.5) * cell} text-anchor="end" dominant-baseline="middle">${clip(t)}</text>`
                  : nothing,
              )}
            ${model.keyLabels.map((t, j) =>
              j % kStep === 0
                ? svg`<text class="axis-label k-label" transform="translate(${left + (j + 0.5) * cell},${top - 4}) rotate(-60)" text-anchor="start" dominant-baseline="middle">${clip(t)}</text>`
                : nothing,
            )}`
            : nothing
        }
        ${grid ? nothing : svg`<text class="title" x="2" y="12">query ↓ key →</text>`}
        ${sel >= 0 ? svg`<rect class="outline" x=${left} y=${top + sel * cell} width=${cell * Nk} height=${Math.max(cell, 1)}></rect>` : nothing}
        ${hov ? svg`<rect class="hover-outline" x=${left + hov.j * cell} y=${top + hov.i * cell} width=${Math.max(cell, 2)} height=${Math.max(cell, 2)}></rect>` : nothing}
        <rect
          class="hit"
          x=${left}
          y=${top}
          width=${cell * Nk}
          height=${cell * Nq}
          @pointermove=${(e: PointerEvent) => events.pointer(e, model, h, lay)}
          @pointerleave=${() => events.leave()}
          @click=${(e: MouseEvent) => events.click(e, model, h, lay)}
        ></rect>
        ${grid ? nothing : renderLegend(view, legendX, top, legendH, lo, hi)}
      </svg>
    </div>
    <figcaption>${caption}</figcaption>
  </figure>`;
}

function renderLegend(view: MapView, x: number, y: number, h: number, lo: number, hi: number): TemplateResult {
  const steps = 24;
  const fmt = (v: number) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(2));
  return svg`<g class="legend">
    ${Array.from({ length: steps }, (_, s) => svg`<rect x=${x} y=${y + (h * s) / steps} width="10" height=${h / steps + 0.5} fill=${attentionColor(hi - ((hi - lo) * (s + 0.5)) / steps, lo, hi, view.colorScale)}></rect>`)}
    <text class="legend-text" x=${x + 13} y=${y + 8}>${fmt(hi)}</text>
    <text class="legend-text" x=${x + 13} y=${y + h}>${fmt(lo)}</text>
    <rect x=${x} y=${y + h + 10} width="10" height="10" fill="url(#am-hatch-causal)"></rect>
    <text class="legend-text" x=${x + 13} y=${y + h + 19}>causal</text>
    <rect x=${x} y=${y + h + 26} width="10" height="10" fill="url(#am-hatch-padding)"></rect>
    <text class="legend-text" x=${x + 13} y=${y + h + 35}>padding</text>
    ${
      view.slidingWindow !== null
        ? svg`<rect x=${x} y=${y + h + 42} width="10" height="10" fill="url(#am-hatch-window)"></rect>
    <text class="legend-text" x=${x + 13} y=${y + h + 51}>window</text>`
        : nothing
    }
  </g>`;
}

/** The hatch patterns of masked cells (the window's only when a sliding window is set). */
export function hatchDefs(withWindow: boolean): TemplateResult {
  return svg`<pattern id="am-hatch-causal" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
      <rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line></pattern>
    <pattern id="am-hatch-padding" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(-45)">
      <rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line><line class="hatch-line" x1="3" y1="0" x2="3" y2="6"></line></pattern>
    <pattern id="am-hatch-data" patternUnits="userSpaceOnUse" width="6" height="6">
      <rect class="hatch-bg" width="6" height="6"></rect></pattern>
    ${
      withWindow
        ? svg`<pattern id="am-hatch-window" patternUnits="userSpaceOnUse" width="6" height="6">
      <rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="3" x2="6" y2="3"></line></pattern>`
        : nothing
    }`;
}

/** A token label cut to 10 characters. */
export function clip(text: string): string {
  return text.length > 10 ? `${text.slice(0, 9)}…` : text;
}
