/**
 * The panels beside the tile grid of `<flash-tiles>`, as Lit templates of the trace: the plots of
 * the running max m and running sum l of the plotted rows (naive attention's exact values dashed),
 * their table at the current step, and the memory meter (naive against flash).
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { line, scaleLinear } from 'd3';
import { seriesColor } from '../palette';
import type { FlashTilesModel } from './data';

/** The running max m or sum l of the plotted `rows` after each of the first `cur` tiles, with naive attention's exact value dashed. */
export function renderStatPlot(model: FlashTilesModel, which: 'm' | 'l', rows: number[], cur: number): TemplateResult {
  const steps = model.trace.steps;
  const S = steps.length;
  const width = 330;
  const height = 150;
  const m = { l: 48, r: 12, t: 12, b: 26 };
  const x = scaleLinear()
    .domain([0, Math.max(1, S)])
    .range([m.l, width - m.r]);
  const vals: number[] = [];
  for (const r of rows) {
    const e = which === 'm' ? model.exact.max[r]! : model.exact.sum[r]!;
    if (Number.isFinite(e)) vals.push(e);
    for (const s of steps) {
      const v = which === 'm' ? s.m[r]! : s.l[r]!;
      if (Number.isFinite(v)) vals.push(v);
    }
  }
  const lo = vals.length ? Math.min(...vals) : 0;
  const hi = vals.length ? Math.max(...vals) : 1;
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  const y = scaleLinear()
    .domain([which === 'l' ? Math.min(0, lo) : lo - pad, hi + pad])
    .nice()
    .range([height - m.b, m.t]);
  const path = line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  const series = rows.map((r, idx) => {
    const color = seriesColor(idx);
    const pts: [number, number][] = [];
    for (let t = 1; t <= cur; t++) {
      const v = which === 'm' ? steps[t - 1]!.m[r]! : steps[t - 1]!.l[r]!;
      if (Number.isFinite(v)) pts.push([t, v]);
    }
    const exact = which === 'm' ? model.exact.max[r]! : model.exact.sum[r]!;
    return svg`<g class="series" data-row=${model.trace.rows[r]}>
      ${Number.isFinite(exact) ? svg`<line class="exact" x1=${m.l} x2=${width - m.r} y1=${y(exact)} y2=${y(exact)} stroke=${color}></line>` : nothing}
      <path class="run" d=${path(pts) ?? ''} stroke=${color}></path>
      ${pts.map(([t, v]) => svg`<circle cx=${x(t)} cy=${y(v)} r="3" fill=${steps[t - 1]!.skipped ? 'none' : color} stroke=${color}></circle>`)}
    </g>`;
  });
  const label = which === 'm' ? 'running max m (dashed: naive row max)' : 'running sum l (dashed: naive Σ e^(s − max))';
  return html`<figure class="plot">
    <svg class="plot plot-${which}" width=${width} height=${height} role="img" aria-label=${label}>
      ${y.ticks(4).map((t) => svg`<line class="gridline" x1=${m.l} x2=${width - m.r} y1=${y(t)} y2=${y(t)}></line><text class="axis-text" x=${m.l - 4} y=${y(t)} text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`)}
      ${x
        .ticks(Math.min(S, 8))
        .filter(Number.isInteger)
        .map((t) => svg`<text class="axis-text" x=${x(t)} y=${height - m.b + 12} text-anchor="middle">${t}</text>`)}
      <text class="axis-text" x=${width - m.r} y=${height - 2} text-anchor="end">tiles processed</text>
      <line class="now" x1=${x(cur)} x2=${x(cur)} y1=${m.t} y2=${height - m.b}></line>
      ${series}
    </svg>
    <figcaption>${label}. Hollow points: skipped tiles.</figcaption>
  </figure>`;
}

/** The statistics of the plotted `rows` after tile `cur`, next to naive attention's. */
export function renderStatTable(model: FlashTilesModel, rows: number[], cur: number): TemplateResult {
  const s = cur > 0 ? model.trace.steps[cur - 1]! : null;
  return html`<table class="stats">
    <thead>
      <tr>
        <th>row</th>
        <th>m</th>
        <th>l</th>
        <th>rescale</th>
        <th>naive max</th>
        <th>naive sum</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r, idx) =>
          html`<tr data-row=${model.trace.rows[r]}>
            <td><span class="swatch" style=${styleMap({ background: seriesColor(idx) })}></span>${model.trace.rows[r]}</td>
            <td>${s ? fmt(s.m[r]!) : '−∞'}</td>
            <td>${s ? fmt(s.l[r]!) : '0'}</td>
            <td>${s ? fmt(s.rescale[r]!) : '—'}</td>
            <td>${fmt(model.exact.max[r]!)}</td>
            <td>${fmt(model.exact.sum[r]!)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The memory meter: naive's Nq×Nk score matrix against the flash kernel's tiles, and the output both write. */
export function renderMemoryMeter(model: FlashTilesModel): TemplateResult {
  const { naiveScoreBytes, flashTileBytes, outputBytes } = model.memory;
  const width = 330;
  const bar = 14;
  const max = Math.max(naiveScoreBytes, flashTileBytes, outputBytes);
  const w = scaleLinear()
    .domain([0, max])
    .range([0, width - 150]);
  const items: [string, number, string][] = [
    [`naive: S, ${model.Nq}×${model.Nk} f32`, naiveScoreBytes, 'meter-naive'],
    ['flash: one workgroup’s tiles', flashTileBytes, 'meter-flash'],
    [`output O, ${model.Nq}×${model.d} (both)`, outputBytes, 'meter-out'],
  ];
  return html`<figure class="meter">
    <svg class="meter" width=${width} height=${items.length * (bar + 18) + 6} role="img" aria-label="memory meter">
      ${items.map(
        ([name, bytes, cls], i) => svg`<text class="axis-text" x="0" y=${i * (bar + 18) + 10}>${name}</text>
          <rect class=${cls} x="0" y=${i * (bar + 18) + 14} width=${Math.max(2, w(bytes))} height=${bar} data-bytes=${bytes}></rect>
          <text class="axis-text" x=${Math.max(2, w(bytes)) + 6} y=${i * (bar + 18) + 25}>${formatBytes(bytes)}</text>`,
      )}
    </svg>
    <figcaption>
      Per head, naive allocates the whole N×N score matrix (and P) in global memory: O(N²). Flash allocates no N×N buffer; its global
      buffers are Q, K, V and O, O(N·d). Each resident workgroup holds tiles of this size, so the on-chip total is this times the workgroups
      in flight.
    </figcaption>
  </figure>`;
}

/** A statistic for the plots and the table: −∞, four significant digits, or exponential when very large or small. */
function fmt(v: number): string {
  if (v === -Infinity) return '−∞';
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

function formatBytes(b: number): string {
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(1)} MiB`;
  if (b >= 1 << 10) return `${(b / (1 << 10)).toFixed(1)} KiB`;
  return `${b} B`;
}
