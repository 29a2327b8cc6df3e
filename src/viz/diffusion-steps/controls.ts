/**
 * `<diffusion-steps>`'s controls and status: the reverse / forward buttons, play / pause, the
 * step slider with the shown t, and the export buttons; beside the plots, the sampling
 * progress and a summary of the last run (backend, counts, timing, memorization distance,
 * and the CPU fallback's note). The templates only report what the reader did.
 */
import { html, nothing } from 'lit';
import type { DiffusionFrame, DiffusionResult } from './run';

/** What the controls show, and what they call. */
export interface ControlsView {
  mode: 'reverse' | 'forward';
  playing: boolean;
  /** How many steps are recorded, and which is shown. */
  frames: number;
  index: number;
  current: DiffusionFrame | undefined;
  /** Whether there is a run to export. */
  exportable: boolean;
  onMode: (mode: 'reverse' | 'forward') => void;
  onPlay: () => void;
  /** The slider moved to recorded step `index`. */
  onSeek: (index: number) => void;
  onExport: (kind: 'svg' | 'png' | 'json') => void;
}

/** The row of controls above the plots. */
export function renderControls(view: ControlsView) {
  const { mode, current: cur } = view;
  const still = view.frames < 2;
  return html`<div class="controls">
    <button type="button" class="secondary" aria-pressed=${mode === 'reverse'} @click=${() => view.onMode('reverse')}>
      reverse (sampling)
    </button>
    <button type="button" class="secondary" aria-pressed=${mode === 'forward'} @click=${() => view.onMode('forward')}>
      forward (noising)
    </button>
    <button type="button" class="play" @click=${view.onPlay} ?disabled=${still}>${view.playing ? 'pause' : 'play'}</button>
    <label
      >step
      <input
        type="range"
        min="0"
        max=${Math.max(0, view.frames - 1)}
        .value=${String(view.index)}
        ?disabled=${still}
        @input=${(e: Event) => view.onSeek(Number((e.target as HTMLInputElement).value))}
      />
    </label>
    <span class="mono">${cur ? (cur.t < 0 ? 'x₀ (t = 0 done)' : `t = ${cur.t}`) : ''}</span>
    <button type="button" class="secondary" @click=${() => view.onExport('svg')} ?disabled=${!view.exportable}>SVG</button>
    <button type="button" class="secondary" @click=${() => view.onExport('png')} ?disabled=${!view.exportable}>PNG</button>
    <button type="button" class="secondary" @click=${() => view.onExport('json')} ?disabled=${!view.exportable}>JSON</button>
  </div>`;
}

/** The sampling progress (0 … 1), while a run is under way. */
export function renderProgress(progress: number) {
  return html`<div class="status">sampling… <progress max="1" .value=${progress}></progress> ${Math.round(progress * 100)}%</div>`;
}

/** What the last run drew, on which backend, how fast, and how close its samples are to the training set. */
export function renderSummary(r: DiffusionResult) {
  const c = r.config;
  const what = r.kind === 'images' ? 'images' : 'particles';
  return html`<div class="status">
      ${r.backend === 'gpu' ? 'GPU' : 'CPU reference'} · ${r.n} ${what} · ${c.sampler.toUpperCase()} ${c.steps} steps · ${c.schedule}
      schedule · ${r.ms.toFixed(0)} ms<br />
      median distance to the nearest training point: ${r.medianNearest.toExponential(2)} (training points are ${r.trainSpacing.toFixed(3)}
      apart)
    </div>
    ${
      r.backend === 'cpu'
        ? html`<div class="note" role="status">
            No WebGPU here (${r.cpuReason}): the float64 CPU reference drew ${r.n} of ${c.samples} ${what}.
          </div>`
        : nothing
    }`;
}
