/**
 * The split-K panel of `<flash-tiles>` (pure templates, no state): the keys cut into
 * ranges as flash-decoding splits them across workgroups, one strip per plotted row.
 * Each range is a cell holding its partial (m_s, l_s); its shade is the share of the
 * row's softmax mass it carries after the merge, e^{m_s − M}·l_s / L. Then the merge:
 * M = max m_s and L = Σ e^{m_s − M}·l_s, next to naive attention's exact row max and sum.
 */
import { html, svg, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { seriesColor } from '../palette';
import type { FlashTilesModel, SplitKModel } from './data';

/** Why tiles are skipped, for the grid's caption (leading space, or ''). */
export function skipReason(model: Pick<FlashTilesModel, 'causal' | 'window'>): string {
  const why = [model.causal ? 'above the causal diagonal' : '', model.window !== null ? `left of the ${model.window}-key window` : '']
    .filter(Boolean)
    .join(' or ');
  return why ? ` (${why})` : '';
}

const fmt = (x: number) =>
  Number.isFinite(x) ? (Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 0.01) ? x.toExponential(2) : x.toFixed(3)) : '−∞';

/** The panel for the trace rows `rows` (indices into the traced block's rows). */
export function renderSplitK(model: FlashTilesModel, split: SplitKModel, rows: readonly number[]): TemplateResult {
  const width = 560;
  const left = 70;
  const strip = 22;
  const top = 22;
  const plotW = width - left - 10;
  const x = (key: number) => left + (key / Math.max(1, model.Nk)) * plotW;
  const height = top + rows.length * (strip + 8) + 16;
  const strips = rows.map((r, idx) => {
    const y = top + idx * (strip + 8);
    const M = split.merged.m[r]!;
    const L = split.merged.l[r]!;
    const color = seriesColor(idx);
    const cells = split.splits.map((sp, s) => {
      const share = L > 0 && sp.l[r]! > 0 ? (Math.exp(sp.m[r]! - M) * sp.l[r]!) / L : 0;
      const w = Math.max(1, x(sp.end) - x(sp.start));
      return svg`<rect class="split" x=${x(sp.start)} y=${y} width=${w} height=${strip} fill=${color} fill-opacity=${0.08 + 0.92 * share}
        stroke="currentColor" stroke-opacity="0.35" data-split=${s}><title>${`split ${s}: keys ${sp.start}–${sp.end - 1}, m = ${fmt(sp.m[r]!)}, l = ${fmt(sp.l[r]!)}, share of the row's mass ${(100 * share).toFixed(1)}%`}</title></rect>`;
    });
    return svg`<g data-row=${model.trace.rows[r]}>
      <text class="axis-text" x=${left - 6} y=${y + strip / 2} text-anchor="end" dominant-baseline="middle">row ${model.trace.rows[r]}</text>
      ${cells}
    </g>`;
  });
  const merges = rows.map((r, idx) => {
    const M = split.merged.m[r]!;
    const L = split.merged.l[r]!;
    return html`<li style=${styleMap({ color: seriesColor(idx) })}>
      row ${model.trace.rows[r]}: M = max m<sub>s</sub> = ${fmt(M)}, L = Σ e<sup>m<sub>s</sub> − M</sup>·l<sub>s</sub> = ${fmt(L)}
      <span class="muted">(naive: max ${fmt(model.exact.max[r]!)}, sum ${fmt(model.exact.sum[r]!)})</span>
    </li>`;
  });
  return html`<figure class="splitk">
    <svg class="splitk" width=${width} height=${height} role="img" aria-label="split-K partials of ${split.splits.length} key ranges">
      <text class="axis-text" x=${left} y="12">
        keys, in ${split.splits.length} split${split.splits.length === 1 ? '' : 's'} of ${split.keysPerSplit} →
      </text>
      ${strips}
    </svg>
    <figcaption>
      Split-K (flash-decoding): each range of ${split.keysPerSplit} keys is one workgroup's work, which keeps its own partial
      (m<sub>s</sub>, l<sub>s</sub>, O<sub>s</sub>); the shade is the share of the row's softmax mass the range carries. A second pass
      merges them:
      <ul>
        ${merges}
      </ul>
    </figcaption>
  </figure>`;
}
