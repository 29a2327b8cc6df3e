/**
 * `<diffusion-steps>`: the element (attributes, the sampling run, playback over the recorded
 * steps, events). Its plots and controls are drawn by `diffusion-steps-plots.ts` and
 * `diffusion-steps-controls.ts`; the run itself is `diffusion-steps-run.ts`.
 */
import { KS_STYLES } from '../styles';
import { DIFFUSION_STEPS_STYLES } from './styles';
import { html, nothing, type PropertyValues } from 'lit';
import type { Gpu } from '../../gpu/device';
import { GpuTask } from '../task';
import { gpuUnavailableReason } from '../shared-gpu';
import { configKey, diffusionConfig, runDiffusion, type DiffusionConfig, type DiffusionFrame, type DiffusionResult } from './run';
import { DATASET_NAMES } from '../../data/index';
import type { ScheduleKind } from '../../problem/ddpm-schedule';
import type { SamplerKind } from '../../reference/ddpm';
import { AttributeElement } from '../attribute-element';
import { attributeProperties } from '../attributes';
import { DIFFUSION_STEPS_ATTRIBUTES } from './attributes';
import { renderSamplesPlot, renderSchedulePlot, renderWaitingPlot } from './plots';
import { renderControls, renderProgress, renderSummary } from './controls';
import { downloadDiffusion, samplesJson } from './export';

const CONFIG_ATTRS = ['datasetName', 'schedule', 'sampler', 'steps', 'seed', 'samples', 'timesteps', 'backend'] as const;

/**
 * `<diffusion-steps>`: a DDPM / DDIM run you can scrub. For 2-D data it draws the
 * particle cloud at the chosen step over the faint training set, with the paths of a
 * few particles; for the 16×16 glyphs it draws a grid of samples. A slider moves over
 * the recorded steps, play/pause animates them, and `mode` switches between the
 * reverse process (sampling: noise → data) and the forward process (noising: data →
 * noise). A small plot shows ᾱ_t and log-SNR for the linear and cosine schedules,
 * with the current t marked.
 *
 * The denoiser is the exact (optimal) denoiser of the training set, computed on the
 * page's shared GPU; where there is no WebGPU the float64 CPU reference runs instead,
 * at a smaller sample count, and the element says so. The same attributes always
 * draw the same picture (all noise is Philox keyed by the seed). Every attribute is read
 * through its spec (`diffusion-steps-attributes.ts`): a bad one shows an inline error,
 * fires `ks-error`, and the last good picture stays until it is fixed. Sampling runs in a controller,
 * never in `render()`, and shows its progress.
 *
 * @attr dataset - two-moons | swiss-roll | rings | eight-gaussians | heart | glyphs (default two-moons).
 * @attr schedule - linear | cosine (default cosine).
 * @attr sampler - ddpm | ddim (default ddim).
 * @attr steps - reverse steps, 1 … min(1000, timesteps) (default 50; DDPM with fewer than T steps is respaced).
 * @attr seed - unsigned 32-bit seed of every noise draw (default 1).
 * @attr samples - particles (≤ 8192) or images (≤ 256) to draw (default 1024, or 36 images).
 * @attr timesteps - T, the schedule length, 2 … 4000 (default 1000).
 * @attr mode - reverse | forward (default reverse); set by the mode buttons.
 * @attr frame - the recorded step shown, clamped to the run's (default: the last: the samples, or pure noise when
 *   forward).
 * @attr backend - auto (shared GPU, else CPU) | cpu.
 * @attr no-controls - hides the built-in controls.
 *
 * @prop datasetName - the `dataset` attribute (HTMLElement already has a `dataset` property).
 * @prop gpu - a `Gpu` to use instead of the page's shared one.
 * @prop result - (read-only) the last good run: frames, backend, timing, memorization distance.
 * @prop state - (read-only) `{config, mode, frame, t, backend, status}`: what is drawn.
 *
 * @fires ks-sampled - `{backend, n, ms, medianNearest, trainSpacing, config}` when a run finishes.
 * @fires ks-frame - `{mode, frame, t}` when the shown step changes.
 * @fires ks-error - `{attribute, value, message}` on a bad attribute, or (with `attribute: null`) a failed run;
 *   the last good picture stays.
 *
 * @cssprop --ks-series-0 - the particles (and glyph ink).
 * @cssprop --ks-series-1 … --ks-series-6 - the particle paths; series 1/0 also the linear/cosine curves.
 * @cssprop --ks-fg, --ks-bg, --ks-muted, --ks-grid, --ks-panel, --ks-accent, --ks-error - the palette.
 */
export class DiffusionSteps extends AttributeElement {
  static override attributeSpecs = DIFFUSION_STEPS_ATTRIBUTES;
  static override properties = {
    ...attributeProperties(DIFFUSION_STEPS_ATTRIBUTES),
    gpu: { attribute: false },
    result: { state: true },
    config: { state: true },
    runError: { state: true },
    playing: { state: true },
  };

  declare datasetName: string;
  declare schedule: ScheduleKind;
  declare sampler: SamplerKind;
  declare steps: number | null;
  declare seed: number;
  declare samples: number | null;
  declare timesteps: number;
  declare mode: 'reverse' | 'forward';
  declare frame: number | null;
  declare backend: 'auto' | 'cpu';
  declare noControls: boolean;
  declare gpu: Gpu | undefined;
  declare result: DiffusionResult | null;
  declare config: DiffusionConfig | null;
  declare runError: string | null;
  declare playing: boolean;

  private readonly task: GpuTask<DiffusionResult>;
  /** Counts `gpu` property changes: a new device runs the configuration again. */
  private gpuVersion = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastFrameEvent = '';

  static override styles = [KS_STYLES, DIFFUSION_STEPS_STYLES];

  constructor() {
    super();
    this.gpu = undefined;
    this.result = null;
    this.config = null;
    this.runError = null;
    this.playing = false;
    this.task = new GpuTask<DiffusionResult>(this, {
      key: () => (this.config ? `${configKey(this.config)}|${this.backend}|${this.gpuVersion}` : null),
      device: () => (this.backend === 'cpu' ? 'cpu' : this.gpu),
      run: (gpu, signal, context) => {
        const reason = gpu ? null : this.backend === 'cpu' ? 'the CPU backend was requested' : (gpuUnavailableReason() ?? 'no WebGPU');
        return runDiffusion(this.config!, gpu, reason, { signal, onProgress: context.progress });
      },
      onSettled: (status, r, error) => {
        if (status === 'error' || !r) {
          this.runError = `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
          this.fireRunError(this.runError);
          return;
        }
        this.result = r;
        this.runError = null;
        const { backend, n, ms, medianNearest, trainSpacing, config } = r;
        const detail = { backend, n, ms, medianNearest, trainSpacing, config };
        void this.updateComplete.then(() => {
          this.fire('ks-sampled', detail);
          this.fire('ks-rendered', detail);
        });
      },
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  /** What is drawn now. */
  get state() {
    const frames = this.frames;
    const i = this.frameIndex(frames);
    return {
      config: this.config,
      mode: this.mode,
      frame: i,
      t: frames[i]?.t ?? null,
      backend: this.result?.backend ?? null,
      status: this.status,
    };
  }

  /** Run status: idle | running | done | error. */
  get status(): 'idle' | 'running' | 'done' | 'error' {
    return this.task.status === 'pending' ? 'running' : this.task.status;
  }

  private get frames(): DiffusionFrame[] {
    if (!this.result) return [];
    return this.mode === 'forward' ? this.result.forward : this.result.reverse;
  }

  private frameIndex(frames: DiffusionFrame[]): number {
    if (frames.length === 0) return 0;
    const f = this.frame;
    if (f == null || !Number.isFinite(f)) return frames.length - 1;
    return Math.max(0, Math.min(frames.length - 1, Math.round(f)));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const changes = this.takeChanges(changed, ['gpu']);
    const ready = changes !== null && (CONFIG_ATTRS.some((a) => changes.has(a)) || changes.has('gpu') || !this.config);
    if (!ready && !CONFIG_ATTRS.some((a) => changed.has(a))) return;
    const config = this.checkAcross(() =>
      diffusionConfig({
        dataset: this.datasetName,
        schedule: this.schedule,
        sampler: this.sampler,
        steps: this.steps,
        seed: this.seed,
        samples: this.samples,
        timesteps: this.timesteps,
      }),
    );
    if (!config || !ready) return;
    if (changes.has('gpu')) this.gpuVersion += 1;
    this.config = config;
  }

  protected override updated(): void {
    const s = this.state;
    const key = `${s.mode}|${s.frame}|${s.t}`;
    if (this.result && key !== this.lastFrameEvent) {
      this.lastFrameEvent = key;
      this.fire('ks-frame', { mode: s.mode, frame: s.frame, t: s.t });
    }
  }

  /** Starts or stops the animation over the recorded steps. */
  togglePlay(): void {
    if (this.playing) return this.stop();
    const frames = this.frames;
    if (frames.length < 2) return;
    if (this.frameIndex(frames) >= frames.length - 1) this.frame = 0;
    this.playing = true;
    this.timer = setInterval(() => {
      const fr = this.frames;
      const i = this.frameIndex(fr);
      if (i >= fr.length - 1) this.stop();
      else this.frame = i + 1;
    }, 70);
  }

  private stop(): void {
    const wasPlaying = this.timer !== null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playing = false;
    // The animation moves the property only; where it stops becomes the attribute.
    if (wasPlaying) this.showFrame(this.frameIndex(this.frames));
  }

  /** Shows recorded step `i` (the last one: the attribute is removed) and fires `ks-change`. */
  private showFrame(i: number): void {
    const last = this.frames.length - 1;
    this.setState('frame', i >= last ? null : i, { mode: this.mode });
    this.frame = i >= last ? null : i;
  }

  private setMode(mode: 'reverse' | 'forward'): void {
    this.stop();
    this.setState('frame', null);
    this.setState('mode', mode === 'reverse' ? null : mode);
  }

  override render() {
    const r = this.result;
    const frames = this.frames;
    const i = this.frameIndex(frames);
    const cur = frames[i];
    const T = r?.config.timesteps ?? this.config?.timesteps ?? 1000;
    const controls = {
      mode: this.mode,
      playing: this.playing,
      frames: frames.length,
      index: i,
      current: cur,
      exportable: r !== null,
      onMode: (mode: 'reverse' | 'forward') => this.setMode(mode),
      onPlay: () => this.togglePlay(),
      onSeek: (index: number) => {
        this.stop();
        this.showFrame(index);
      },
      onExport: (kind: 'svg' | 'png' | 'json') => void this.download(kind),
    };
    return html`
      ${this.noControls ? nothing : renderControls(controls)}
      <div class="wrap">
        <div class="main">${r && cur ? renderSamplesPlot(r, frames, i, this.mode, this) : renderWaitingPlot()}</div>
        <div class="side">
          ${renderSchedulePlot(T, cur?.t ?? null, r?.config.schedule ?? this.config?.schedule ?? 'cosine')}
          ${this.task.status === 'pending' ? renderProgress(this.task.progress) : nothing} ${r ? renderSummary(r) : nothing}
          ${this.attributeError ? html`<p class="error" role="alert">${this.attributeError.message}${r ? ' (showing the last good run)' : ''}</p>` : nothing}
          ${this.runError ? html`<p class="error" role="alert">${this.runError}</p>` : nothing}
        </div>
      </div>
    `;
  }

  protected override get exportReady(): boolean {
    return this.result !== null;
  }

  /** The configuration, backend, timing and the samples of the shown step, as JSON. */
  exportJson(): string {
    const r = this.result;
    if (!r) throw new Error('diffusion-steps: nothing to export yet');
    const frames = this.frames;
    return samplesJson(r, this.mode, frames, this.frameIndex(frames));
  }

  /** Offers an export as a download. */
  async download(kind: 'svg' | 'png' | 'json'): Promise<void> {
    return downloadDiffusion(this, kind);
  }
}

/** The data-set names the element accepts. */
export const DIFFUSION_DATASETS = DATASET_NAMES;

if (!customElements.get('diffusion-steps')) customElements.define('diffusion-steps', DiffusionSteps);

declare global {
  interface HTMLElementTagNameMap {
    'diffusion-steps': DiffusionSteps;
  }
}
