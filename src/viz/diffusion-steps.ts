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
import { KS_STYLES } from './styles';
import { DIFFUSION_STEPS_STYLES } from './diffusion-steps-styles';
import { html, nothing, svg, type PropertyValues } from 'lit';
import type { Gpu } from '../gpu/device';
import { toJsonText, download } from './export';
import { SERIES_COLORS } from './palette';
import { GpuTask } from './task';
import { gpuUnavailableReason } from './shared-gpu';
import {
  configKey,
  diffusionConfig,
  runDiffusion,
  type DiffusionConfig,
  type DiffusionFrame,
  type DiffusionResult,
} from './diffusion-steps-run';
import { LOG_SNR_RANGE, glyphGridUrl, hexRgb, particleScale, scheduleCurves } from './diffusion-steps-draw';
import { DATASET_NAMES } from '../data/index';
import type { ScheduleKind } from '../problem/ddpm-schedule';
import type { SamplerKind } from '../reference/ddpm';
import { AttributeElement } from './attribute-element';
import { attributeProperties } from './attributes';
import { DIFFUSION_STEPS_ATTRIBUTES } from './diffusion-steps-attributes';

const CONFIG_ATTRS = ['datasetName', 'schedule', 'sampler', 'steps', 'seed', 'samples', 'timesteps', 'backend'] as const;
const PATHS = 6;
const PLOT = 420;
const PANEL_W = 190;
const PANEL_H = 90;

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
        const detail = {
          backend: r.backend,
          n: r.n,
          ms: r.ms,
          medianNearest: r.medianNearest,
          trainSpacing: r.trainSpacing,
          config: r.config,
        };
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
      mode: this.currentMode,
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

  private get currentMode(): 'reverse' | 'forward' {
    return this.mode;
  }

  private get frames(): DiffusionFrame[] {
    if (!this.result) return [];
    return this.currentMode === 'forward' ? this.result.forward : this.result.reverse;
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
    const running = this.task.status === 'pending';
    return html`
      ${this.noControls ? nothing : this.renderControls(frames, i, cur)}
      <div class="wrap">
        <div class="main">
          ${r && cur ? this.renderMain(r, frames, i) : html`<svg width=${PLOT} height=${PLOT} role="img" aria-label="waiting for the first run"></svg>`}
        </div>
        <div class="side">
          ${this.renderSchedulePlot(T, cur?.t ?? null, r?.config.schedule ?? this.config?.schedule ?? 'cosine')}
          ${running ? html`<div class="status">sampling… <progress max="1" .value=${this.task.progress}></progress> ${Math.round(this.task.progress * 100)}%</div>` : nothing}
          ${r ? this.renderSummary(r) : nothing}
          ${this.attributeError ? html`<p class="error" role="alert">${this.attributeError.message}${r ? ' (showing the last good run)' : ''}</p>` : nothing}
          ${this.runError ? html`<p class="error" role="alert">${this.runError}</p>` : nothing}
        </div>
      </div>
    `;
  }

  private renderControls(frames: DiffusionFrame[], i: number, cur: DiffusionFrame | undefined) {
    const mode = this.currentMode;
    return html`<div class="controls">
      <button type="button" class="secondary" aria-pressed=${mode === 'reverse'} @click=${() => this.setMode('reverse')}>
        reverse (sampling)
      </button>
      <button type="button" class="secondary" aria-pressed=${mode === 'forward'} @click=${() => this.setMode('forward')}>
        forward (noising)
      </button>
      <button type="button" class="play" @click=${() => this.togglePlay()} ?disabled=${frames.length < 2}>
        ${this.playing ? 'pause' : 'play'}
      </button>
      <label
        >step
        <input
          type="range"
          min="0"
          max=${Math.max(0, frames.length - 1)}
          .value=${String(i)}
          ?disabled=${frames.length < 2}
          @input=${(e: Event) => {
            this.stop();
            this.showFrame(Number((e.target as HTMLInputElement).value));
          }}
        />
      </label>
      <span class="mono">${cur ? (cur.t < 0 ? 'x₀ (t = 0 done)' : `t = ${cur.t}`) : ''}</span>
      <button type="button" class="secondary" @click=${() => this.download('svg')} ?disabled=${!this.result}>SVG</button>
      <button type="button" class="secondary" @click=${() => this.download('png')} ?disabled=${!this.result}>PNG</button>
      <button type="button" class="secondary" @click=${() => this.download('json')} ?disabled=${!this.result}>JSON</button>
    </div>`;
  }

  private renderSummary(r: DiffusionResult) {
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

  private renderMain(r: DiffusionResult, frames: DiffusionFrame[], i: number) {
    const cur = frames[i]!;
    const label = `${this.currentMode} process, ${cur.t < 0 ? 'final samples' : `t = ${cur.t}`}, ${r.config.dataset}`;
    if (r.kind === 'images') {
      const count = Math.min(r.n, 64);
      const cols = Math.ceil(Math.sqrt(count));
      const style = getComputedStyle(this);
      const ink = hexRgb(style.getPropertyValue('--_fg') || '#1b1b1f');
      const paper = hexRgb(style.getPropertyValue('--_bg') || '#ffffff');
      const url = glyphGridUrl(cur.x, count, cols, ink, paper);
      return html`<svg id="plot" width=${PLOT} height=${PLOT} viewBox="0 0 ${PLOT} ${PLOT}" role="img" aria-label=${label}>
        ${url ? svg`<image href=${url} x="4" y="4" width=${PLOT - 8} height=${PLOT - 8} preserveAspectRatio="xMidYMid meet" style="image-rendering: pixelated"></image>` : nothing}
      </svg>`;
    }
    const sc = particleScale(PLOT);
    const train = r.train;
    const x = cur.x;
    const pathIdx = Array.from({ length: Math.min(PATHS, r.n) }, (_, k) => Math.floor((k * r.n) / Math.min(PATHS, r.n)));
    const trainDots = [];
    for (let k = 0; k < train.length; k += 2)
      trainDots.push(svg`<circle class="train" cx=${sc(train[k]!).toFixed(1)} cy=${sc(-train[k + 1]!).toFixed(1)} r="1.3"></circle>`);
    const dots = [];
    for (let k = 0; k < x.length; k += 2)
      dots.push(svg`<circle class="particle" cx=${sc(x[k]!).toFixed(1)} cy=${sc(-x[k + 1]!).toFixed(1)} r="1.7"></circle>`);
    const paths = pathIdx.map((p, k) => {
      const pts = frames.slice(0, i + 1).map((f) => `${sc(f.x[2 * p]!).toFixed(1)},${sc(-f.x[2 * p + 1]!).toFixed(1)}`);
      const color = SERIES_COLORS[(k + 1) % SERIES_COLORS.length];
      const last = pts[pts.length - 1]!.split(',');
      return svg`<polyline class="path" stroke=${color} points=${pts.join(' ')}></polyline>
        <circle cx=${last[0]!} cy=${last[1]!} r="3.2" fill=${color} stroke="white" stroke-width="0.8"></circle>`;
    });
    return html`<svg id="plot" width=${PLOT} height=${PLOT} viewBox="0 0 ${PLOT} ${PLOT}" role="img" aria-label=${label}>
      <rect class="axis" x="0.5" y="0.5" width=${PLOT - 1} height=${PLOT - 1}></rect>
      <g class="train-set">${trainDots}</g>
      <g class="particles">${dots}</g>
      <g class="paths">${paths}</g>
      <text class="label" x="8" y="16">${cur.t < 0 ? 'samples x₀' : `x_t, t = ${cur.t}`}</text>
    </svg>`;
  }

  private renderSchedulePlot(T: number, t: number | null, active: string) {
    const curves = scheduleCurves(T, PANEL_W, PANEL_H);
    const mx = t == null ? null : ((t < 0 ? 0 : t) / (T - 1)) * PANEL_W;
    const panel = (title: string, pick: 'alphaBar' | 'logSnr', y0: number, ticks: string[]) => svg`
      <g transform="translate(34, ${y0})">
        <rect class="axis" x="0" y="0" width=${PANEL_W} height=${PANEL_H}></rect>
        ${curves.map((c) => svg`<path class="curve ${c.kind} ${c.kind === active ? 'active' : ''}" d=${c[pick]}></path>`)}
        ${mx == null ? nothing : svg`<line class="marker" x1=${mx} x2=${mx} y1="0" y2=${PANEL_H}></line>`}
        <text class="label" x="4" y="-4">${title}</text>
        <text class="label" x="-4" y="9" text-anchor="end">${ticks[0]}</text>
        <text class="label" x="-4" y=${PANEL_H} text-anchor="end">${ticks[1]}</text>
      </g>`;
    const h = 2 * PANEL_H + 70;
    return html`<svg
      id="schedules"
      width=${PANEL_W + 44}
      height=${h}
      role="img"
      aria-label="ᾱ_t and log-SNR for the linear and cosine schedules"
    >
      ${panel('ᾱ_t', 'alphaBar', 14, ['1', '0'])}
      ${panel('log SNR_t', 'logSnr', PANEL_H + 36, [String(LOG_SNR_RANGE[1]), String(LOG_SNR_RANGE[0])])}
      <text class="label" x="34" y=${h - 16}>0</text>
      <text class="label" x=${PANEL_W + 34} y=${h - 16} text-anchor="end">t = ${T - 1}</text>
      <line class="curve linear active" x1="60" x2="78" y1=${h - 4} y2=${h - 4}></line>
      <text class="label" x="82" y=${h - 1}>linear</text>
      <line class="curve cosine active" x1="130" x2="148" y1=${h - 4} y2=${h - 4}></line>
      <text class="label" x="152" y=${h - 1}>cosine</text>
    </svg>`;
  }

  protected override get exportReady(): boolean {
    return this.result !== null;
  }

  /** The configuration, backend, timing and the samples of the shown step, as JSON. */
  exportJson(): string {
    const r = this.result;
    if (!r) throw new Error('diffusion-steps: nothing to export yet');
    const frames = this.frames;
    const i = this.frameIndex(frames);
    return toJsonText({
      config: r.config,
      backend: r.backend,
      n: r.n,
      dim: r.dim,
      mode: this.currentMode,
      frame: i,
      t: frames[i]!.t,
      ms: r.ms,
      medianNearest: r.medianNearest,
      trainSpacing: r.trainSpacing,
      x: frames[i]!.x,
    });
  }

  /** Offers an export as a download. */
  async download(kind: 'svg' | 'png' | 'json'): Promise<void> {
    const name = `diffusion-${this.result?.config.dataset ?? 'steps'}`;
    if (kind === 'svg') download(`${name}.svg`, this.exportSvg(), 'image/svg+xml');
    else if (kind === 'png') download(`${name}.png`, await this.exportPng());
    else download(`${name}.json`, this.exportJson(), 'application/json');
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
