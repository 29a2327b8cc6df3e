/**
 * The bars of `<attention-map>`: one query's weights over the keys (masked keys hatched),
 * shown below the maps when a query is selected.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { scaleBand, scaleLinear } from 'd3';
import type { AttentionMapModel } from './data';
import { clip, hatchDefs, type MapView } from './draw';

/** The selected query's distribution (of the drawn head, or the selected one among small multiples). */
export function renderBars(view: MapView, model: AttentionMapModel): TemplateResult {
  const h = view.head < 0 ? Math.min(view.selectedHead, model.H - 1) : Math.min(view.head, model.H - 1);
  const i = view.selectedQuery;
  const Nk = model.Nk;
  const row = model.weights.subarray((h * model.Nq + i) * Nk, (h * model.Nq + i + 1) * Nk);
  const width = Math.max(360, Math.min(900, Nk * 14 + 60));
  const height = 150;
  const x = scaleBand<number>()
    .domain(Array.from({ length: Nk }, (_, j) => j))
    .range([44, width - 8])
    .paddingInner(Nk > 64 ? 0 : 0.15);
  let max = 0;
  for (const v of row) max = Math.max(max, v);
  const y = scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .nice()
    .range([height - 36, 10]);
  const kStep = Math.ceil(Nk / Math.floor((width - 52) / 11));
  return html`<figure class="bars">
    <svg class="bars" width=${width} height=${height} role="img" aria-label="weights of query ${i}">
      <defs>${hatchDefs(view.slidingWindow !== null)}</defs>
      ${y.ticks(4).map((t) => svg`<line class="gridline" x1="44" x2=${width - 8} y1=${y(t)} y2=${y(t)}></line><text class="legend-text" x="40" y=${y(t)} text-anchor="end" dominant-baseline="middle">${t}</text>`)}
      ${Array.from(row, (v, j) =>
        model.mask[i * Nk + j]
          ? svg`<rect class="bar-mask" x=${x(j)} y=${y.range()[1]} width=${Math.max(1, x.bandwidth())} height=${y.range()[0]! - y.range()[1]!} data-j=${j} data-v="masked"></rect>`
          : svg`<rect class="bar" x=${x(j)} y=${y(v)} width=${Math.max(1, x.bandwidth())} height=${Math.max(0, y(0) - y(v))} data-j=${j} data-v=${String(v)}></rect>`,
      )}
      ${model.keyLabels.map((t, j) => (j % kStep === 0 ? svg`<text class="axis-label" transform="translate(${x(j)! + x.bandwidth() / 2},${height - 32}) rotate(60)" text-anchor="start">${clip(t)}</text>` : nothing))}
    </svg>
    <figcaption>${model.headNames[h]}: weights of query ${i} “${model.queryLabels[i]}” over the keys (hatched: masked)</figcaption>
  </figure>`;
}
