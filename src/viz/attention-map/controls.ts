/**
 * The controls of `<attention-map>`: temperature, causal, head, values (weights or logits),
 * the pattern and its seed when no data is given, and the export buttons. Each control sets
 * its attribute through the element, which fires `ks-change` with the controls' state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ATTENTION_PATTERNS, type AttentionPattern } from './patterns';
import type { AttentionMapInput, AttentionMapModel, CheckedInput } from './data';
import { causalCheckbox, exportButtons, type ExportKind } from '../grid-controls';

/** The element's state the controls show. */
export interface ControlsView {
  data: AttentionMapInput | string | null;
  pattern: AttentionPattern | '';
  seed: number;
  head: number;
  temperature: number;
  causal: boolean;
  mode: 'weights' | 'logits';
}

/** What the controls ask of the element. */
export interface ControlsActions {
  /** Sets an attribute as the reader changed it, with `state` (the controls' values, this change in) for `ks-change`. */
  change(property: string, value: unknown, state: Record<string, unknown>): void;
  download(kind: ExportKind): void;
}

/** The controls bar, for the drawn `model` (null before the first) of the checked input `input`. */
export function renderControls(
  view: ControlsView,
  model: AttentionMapModel | null,
  input: CheckedInput | null,
  actions: ControlsActions,
): TemplateResult {
  const H = model?.H ?? input?.H ?? 1;
  const fromQk = input?.kind !== 'weights';
  const hasLogits = fromQk || Boolean(model?.logits);
  // Each control sets its attribute (state a page can keep) and fires ks-change.
  const change = (property: string, value: unknown) => {
    const state = {
      temperature: view.temperature,
      causal: view.causal,
      head: view.head,
      mode: view.mode,
      pattern: view.pattern,
      seed: view.seed,
    };
    actions.change(property, value, { ...state, [property]: value });
  };
  return html`<div class="controls" part="controls">
    <label
      >temperature ${view.temperature.toPrecision(2)}
      <input
        type="range"
        name="temperature"
        min="-2"
        max="2"
        step="0.05"
        .value=${String(Math.log2(view.temperature))}
        ?disabled=${!fromQk}
        @input=${(e: Event) => {
          change('temperature', Number(Math.pow(2, Number((e.target as HTMLInputElement).value)).toPrecision(4)));
        }}
    /></label>
    ${causalCheckbox(view.causal, (checked) => change('causal', checked))}
    <label
      >head
      <select
        name="head"
        @change=${(e: Event) => {
          const head = Number((e.target as HTMLSelectElement).value);
          change('head', head < 0 ? 'all' : head);
        }}
      >
        ${H > 1 ? html`<option value="-1" ?selected=${view.head < 0}>all (small multiples)</option>` : nothing}
        ${Array.from({ length: H }, (_, h) => html`<option value=${h} ?selected=${h === view.head}>${model?.headNames[h] ?? `head ${h}`}</option>`)}
      </select></label
    >
    <label
      >values
      <select
        name="mode"
        @change=${(e: Event) => {
          change('mode', (e.target as HTMLSelectElement).value);
        }}
      >
        <option value="weights" ?selected=${view.mode === 'weights'}>normalised weights (softmax)</option>
        <option value="logits" ?selected=${view.mode === 'logits'} ?disabled=${!hasLogits}>raw logits</option>
      </select></label
    >
    ${
      view.pattern && !view.data
        ? html`<label
              >pattern
              <select
                name="pattern"
                @change=${(e: Event) => {
                  change('pattern', (e.target as HTMLSelectElement).value);
                }}
              >
                ${ATTENTION_PATTERNS.map((p) => html`<option value=${p} ?selected=${p === view.pattern}>${p}</option>`)}
              </select></label
            >
            <label
              >seed
              <input
                type="number"
                name="seed"
                class="seed"
                .value=${String(view.seed)}
                min="0"
                step="1"
                @change=${(e: Event) => {
                  change('seed', Number((e.target as HTMLInputElement).value) >>> 0);
                }}
            /></label>`
        : nothing
    }
    ${exportButtons(Boolean(model), 'weights JSON', actions.download)}
  </div>`;
}
