/**
 * The tile grid of `<flash-tiles>`: query blocks down, K/V tiles across; the traced row's tiles
 * done, current and pending, the skipped ones hatched, the causal diagonal, the keyboard cursor,
 * and a caption of the current tile. Clicks and keys go back to the element through `GridEvents`.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { Cell } from '../grid-keys';
import type { FlashTilesModel } from './data';
import { skipReason } from './splitk';

/** What the grid tells the element: a tile clicked, a key, focus leaving. */
export interface GridEvents {
  tile(model: FlashTilesModel, qb: number, kb: number): void;
  key(e: KeyboardEvent, model: FlashTilesModel): void;
  blur(): void;
}

/** The grid at step `cur` (tiles processed), with the keyboard `cursor` (null: none). */
export function renderTileGrid(model: FlashTilesModel, cur: number, cursor: Cell | null, events: GridEvents): TemplateResult {
  const { qBlocks, kBlocks, queryBlock } = model;
  const px = Math.max(6, Math.min(34, Math.floor(300 / Math.max(qBlocks, kBlocks))));
  const left = 34;
  const top = 28;
  const width = left + kBlocks * px + 8;
  // Tall enough for the rotated axis label even when there are few query blocks.
  const height = top + Math.max(qBlocks * px, 130) + 30;
  const tiles: TemplateResult[] = [];
  for (let qb = 0; qb < qBlocks; qb++)
    for (let kb = 0; kb < kBlocks; kb++) {
      const skipped = model.skipped[qb * kBlocks + kb] === 1;
      let cls = 'tile';
      let state = skipped ? 'skipped' : 'other';
      if (qb === queryBlock) {
        cls += ' traced';
        if (!skipped) state = kb < cur - 1 ? 'visited' : kb === cur - 1 ? 'current' : 'pending';
      }
      if (skipped) cls += ' skipped';
      else if (state === 'visited' || state === 'current') cls += ` ${state}`;
      tiles.push(
        svg`<rect class=${cls} x=${left + kb * px} y=${top + qb * px} width=${px} height=${px} data-q=${qb} data-k=${kb} data-state=${state}
          @click=${() => events.tile(model, qb, kb)}></rect>`,
      );
    }
  // The bottom-right causal diagonal: key j = i + (Nk − Nq), drawn in tile units.
  const offset = model.Nk - model.Nq;
  const diag = model.causal
    ? svg`<polyline class="diag" points=${[0, model.Nq]
        .map((i) => {
          const j = Math.max(0, Math.min(model.Nk, i + offset));
          const ii = j - offset;
          return `${left + (j / model.blockK) * px},${top + (ii / model.blockQ) * px}`;
        })
        .join(' ')}></polyline>`
    : nothing;
  const sel = svg`<rect class="sel" x=${left - 3} y=${top + queryBlock * px} width="3" height=${px}></rect>`;
  return html`<figure class="grid">
    <svg
      class="grid"
      width=${width}
      height=${height}
      role="img"
      tabindex="0"
      aria-label="tile grid: ${qBlocks} query blocks by ${kBlocks} key tiles; arrow keys move, Enter traces a row or steps to a tile"
      @keydown=${(e: KeyboardEvent) => events.key(e, model)}
      @blur=${() => events.blur()}
    >
      <defs>
        <pattern id="ft-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect class="hatch-bg" width="6" height="6"></rect>
          <line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line>
        </pattern>
      </defs>
      <text class="axis-text" x=${left} y="12">K/V tiles (${model.blockK} keys each) →</text>
      <text class="axis-text" transform="translate(12,${top}) rotate(90)">query blocks (${model.blockQ} rows) ↓</text>
      ${tiles}${diag}${sel}
      ${cursor ? svg`<rect class="cursor" x=${left + cursor.col * px} y=${top + cursor.row * px} width=${px} height=${px}></rect>` : nothing}
      <text class="axis-text" x=${left} y=${top + qBlocks * px + 16}>${gridCaption(model, cur)}</text>
    </svg>
    <figcaption style=${styleMap({ maxWidth: `${Math.max(width, 240)}px` })}>
      Row ${queryBlock} is traced: blue tiles are done, the dark one is being processed, hatched tiles are skipped${skipReason(model)}.
      Click a row to trace it, a tile to step to it (or focus the grid: arrow keys, Enter).
    </figcaption>
  </figure>`;
}

/** The current tile (its keys, whether skipped) and how many tiles are visited, under the grid. */
function gridCaption(model: FlashTilesModel, cur: number): string {
  const steps = model.trace.steps;
  const visited = steps.filter((s) => !s.skipped).length;
  if (cur === 0) return `before the first tile · ${visited} of ${steps.length} tiles will be visited`;
  const s = steps[cur - 1]!;
  return `tile ${s.kBlock} (keys ${s.kBlock * model.blockK}–${Math.min(model.Nk, (s.kBlock + 1) * model.blockK) - 1})${s.skipped ? ': skipped' : ''} · ${visited} of ${steps.length} visited`;
}
