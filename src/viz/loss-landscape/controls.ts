/**
 * `<loss-landscape>`'s controls: play / pause / step / rewind with the step counter; the lr, β₁
 * and β₂ inputs that override every optimizer's own value, and the step count; and the export
 * buttons. The template only reports what the reader did; the element changes its state.
 * Under them, the run's status: the backend, its time and (mlp mode) the trained network.
 */
import { html, nothing } from 'lit';
import type { LandscapeResult } from './compute';
import { formatLoss } from './draw';

/** The numbers the reader can type: an override for every optimizer, or the step count. */
export type NumberInput = 'lr' | 'beta1' | 'beta2' | 'steps';

/** What the controls show, and what they call. */
export interface ControlsView {
  /** Whether there is a result to play and export. */
  ready: boolean;
  playing: boolean;
  frame: number;
  steps: number;
  overrides: { lr?: number | null; beta1?: number | null; beta2?: number | null };
  /** The step count shown in its input. */
  stepsValue: number | null | undefined;
  onPlayPause: () => void;
  onStep: () => void;
  onRewind: () => void;
  /** A typed number (null: the input was emptied). */
  onNumber: (input: NumberInput, value: number | null) => void;
  onExport: (kind: 'svg' | 'png' | 'json') => void;
}

/** The change handler of number input `input`: empty text is null. */
function numberChange(view: ControlsView, input: NumberInput) {
  return (e: Event) => {
    const raw = (e.target as HTMLInputElement).value;
    view.onNumber(input, raw === '' ? null : Number(raw));
  };
}

/** One of the inputs that override a value of every optimizer. */
function overrideInput(view: ControlsView, input: 'lr' | 'beta1' | 'beta2', label: string, title: string) {
  return html`<label title=${title}
    >${label}<input
      type="number"
      step="any"
      min="0"
      max=${input === 'lr' ? nothing : '0.999999'}
      .value=${String(view.overrides[input] ?? '')}
      placeholder="per optimizer"
      @change=${numberChange(view, input)}
  /></label>`;
}

/** The three rows of controls. */
export function renderControls(view: ControlsView) {
  const disabled = !view.ready;
  return html`<div class="controls" part="controls">
      <button @click=${view.onPlayPause} ?disabled=${disabled}>${view.playing ? 'pause' : 'play'}</button>
      <button @click=${view.onStep} ?disabled=${disabled}>step</button>
      <button @click=${view.onRewind} ?disabled=${disabled}>rewind</button>
      <span class="status">step ${Math.min(view.frame, view.steps)} / ${view.steps}</span>
    </div>
    <div class="controls">
      ${overrideInput(view, 'lr', 'lr (all)', "overrides every optimizer's learning rate")}
      ${overrideInput(view, 'beta1', 'β₁ (all)', 'overrides β₁ of every optimizer that uses it')}
      ${overrideInput(view, 'beta2', 'β₂ (all)', 'overrides β₂ of every optimizer that uses it')}
      <label
        >steps<input type="number" step="1" min="0" .value=${String(view.stepsValue ?? '')} @change=${numberChange(view, 'steps')}
      /></label>
    </div>
    <div class="controls">
      <button @click=${() => view.onExport('svg')} ?disabled=${disabled}>SVG</button>
      <button @click=${() => view.onExport('png')} ?disabled=${disabled}>PNG</button>
      <button @click=${() => view.onExport('json')} ?disabled=${disabled}>trajectories JSON</button>
    </div>`;
}

/** The run's status line: computing, the backend and its time, and in mlp mode the network. */
export function renderRunStatus(r: LandscapeResult | null, computing: boolean) {
  const backend = r
    ? r.backend === 'gpu'
      ? `GPU · ${r.ms.toFixed(0)} ms`
      : `CPU reference (no WebGPU: ${r.fallbackReason}) · ${r.ms.toFixed(0)} ms`
    : '';
  return html`<p class="status backend">
    ${computing ? 'computing… ' : ''}${backend}${r?.mlp ? ` · network ${r.mlp.params} parameters, trained loss ${formatLoss(r.mlp.loss)}, accuracy ${(r.mlp.accuracy * 100).toFixed(0)}%` : ''}
  </p>`;
}
