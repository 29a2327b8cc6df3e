/**
 * Controls the two grid elements share, `<attention-map>` and `<flash-tiles>`: the causal
 * checkbox and the export buttons (SVG, PNG and the element's JSON).
 */
import { html, type TemplateResult } from 'lit';

/** What the export buttons offer. */
export type ExportKind = 'svg' | 'png' | 'json';

/** The causal checkbox, calling `change` with its new state. */
export function causalCheckbox(checked: boolean, change: (checked: boolean) => void): TemplateResult {
  return html`<label class="inline"
    ><input type="checkbox" name="causal" .checked=${checked} @change=${(e: Event) => change((e.target as HTMLInputElement).checked)} />
    causal</label
  >`;
}

/** The SVG, PNG and JSON (`jsonLabel`) export buttons, disabled until there is something to export (`ready`). */
export function exportButtons(ready: boolean, jsonLabel: string, download: (kind: ExportKind) => void): TemplateResult {
  return html`<span>
    <button type="button" @click=${() => download('svg')} ?disabled=${!ready}>SVG</button>
    <button type="button" @click=${() => download('png')} ?disabled=${!ready}>PNG</button>
    <button type="button" @click=${() => download('json')} ?disabled=${!ready}>${jsonLabel}</button>
  </span>`;
}
