/**
 * The controls of `<flash-tiles>` and its status line: the step slider, previous / play / next,
 * the traced query block, the plotted rows, causal, the pattern and N when no data is given, and
 * the export buttons. Each control acts through the element (`FlashControlsActions`).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AttentionPattern } from '../attention-map/patterns';
import type { FlashInputs, FlashTilesModel } from './data';
import { FLASH_TILES_ATTRIBUTES } from './attributes';
import { causalCheckbox, exportButtons, type ExportKind } from '../grid-controls';

const PATTERNS = Object.keys(FLASH_TILES_ATTRIBUTES.pattern.values) as AttentionPattern[];

/** The element's state the controls show. */
export interface FlashControlsView {
  playing: boolean;
  queryBlock: number;
  causal: boolean;
  pattern: AttentionPattern;
  n: number;
  data: FlashInputs | null;
}

/** What the controls ask of the element. */
export interface FlashControlsActions {
  /** Stops playing and moves to `step`. */
  goTo(step: number): void;
  /** Play from the start when at the end, or pause. */
  togglePlay(): void;
  /** Traces query block `qb`. */
  traceRow(qb: number): void;
  /** Sets attributes as the reader changed them, in order (each fires `ks-change`). */
  set(...changes: [property: string, value: unknown][]): void;
  download(kind: ExportKind): void;
}

/** The controls bar, at step `cur` of the drawn `model` (null before the first), plotting rows `rows`. */
export function renderFlashControls(
  view: FlashControlsView,
  model: FlashTilesModel | null,
  cur: number,
  rows: number[] | null,
  actions: FlashControlsActions,
): TemplateResult {
  const S = model?.trace.steps.length ?? 0;
  return html`<div class="controls" part="controls">
    <label
      >step ${cur} / ${S}
      <input
        type="range"
        name="step"
        min="0"
        max=${S}
        step="1"
        .value=${String(cur)}
        ?disabled=${!model}
        @input=${(e: Event) => actions.goTo(Number((e.target as HTMLInputElement).value))}
    /></label>
    <span>
      <button type="button" name="prev" @click=${() => actions.goTo(cur - 1)} ?disabled=${!model || cur <= 0} title="previous tile">
        ◀
      </button>
      <button type="button" name="play" @click=${() => actions.togglePlay()} ?disabled=${!model}>${view.playing ? 'pause' : 'play'}</button>
      <button type="button" name="next" @click=${() => actions.goTo(cur + 1)} ?disabled=${!model || cur >= S} title="next tile">▶</button>
    </span>
    <label
      >query block
      <select name="query-block" @change=${(e: Event) => actions.traceRow(Number((e.target as HTMLSelectElement).value))}>
        ${Array.from({ length: model?.qBlocks ?? 1 }, (_, b) => html`<option value=${b} ?selected=${b === (model?.queryBlock ?? view.queryBlock)}>${b}</option>`)}
      </select></label
    >
    <label
      >rows (offsets in the block)
      <input
        type="text"
        name="rows"
        class="rows"
        .value=${rows ? rows.join(',') : ''}
        placeholder="0,15,31"
        @change=${(e: Event) => actions.set(['rows', (e.target as HTMLInputElement).value])}
    /></label>
    ${causalCheckbox(view.causal, (checked) => actions.set(['step', null], ['causal', checked]))}
    ${
      view.data
        ? nothing
        : html`<label
              >pattern
              <select
                name="pattern"
                @change=${(e: Event) => actions.set(['step', null], ['pattern', (e.target as HTMLSelectElement).value])}
              >
                ${PATTERNS.map((p) => html`<option value=${p} ?selected=${p === view.pattern}>${p}</option>`)}
              </select></label
            >
            <label
              >N
              <select
                name="n"
                @change=${(e: Event) => actions.set(['step', null], ['nk', null], ['n', Number((e.target as HTMLSelectElement).value)])}
              >
                ${[64, 128, 256, 512].map((v) => html`<option value=${v} ?selected=${v === view.n}>${v}</option>`)}
              </select></label
            >`
    }
    ${exportButtons(Boolean(model), 'trace JSON', actions.download)}
  </div>`;
}

/** The status line: where the trace comes from (the GPU kernel, or the CPU reference and why), and its tiles. */
export function flashStatusText(model: FlashTilesModel): string {
  if (model.source === 'gpu') {
    const err =
      model.outputMaxAbsErr === null
        ? ''
        : `; its output for this block is within ${model.outputMaxAbsErr.toExponential(1)} of the float64 reference`;
    return `GPU trace from ${model.sourceName}, tiles ${model.blockQ}×${model.blockK}${err}.`;
  }
  return `CPU trace: ${model.sourceName}, tiles ${model.blockQ}×${model.blockK}, because ${model.cpuReason}.`;
}
