/**
 * `<loss-landscape>`: the element (attributes, computation, playback, events). Its plot, chart
 * and controls are drawn by `loss-landscape-draw.ts`, `-chart.ts` and `-controls.ts`.
 */
import { KS_STYLES } from '../styles';
import { LOSS_LANDSCAPE_STYLES } from './styles';
import { html, nothing, type PropertyValues } from 'lit';
import { computeLandscape, type LandscapeResult } from './compute';
import { GpuTask } from '../task';
import { parseLandscapeAttributes, type LandscapeConfig } from './config';
import { AttributeElement } from '../attribute-element';
import { attributeProperties } from '../attributes';
import { LOSS_LANDSCAPE_ATTRIBUTES } from './attributes';
import { renderLegend, renderPlot } from './draw';
import { renderChart } from './chart';
import { renderControls, renderRunStatus, type NumberInput } from './controls';
import { clickedPoint, cursorKey } from './interaction';
import { downloadLandscape, trajectoriesJson } from './export';
import { RacePlayback } from './playback';

/** Attributes that only change the view; every other one (and the `overrides` property) computes again. */
const VIEW_ONLY: ReadonlySet<string> = new Set(['chart', 'autoplay']);
/** The properties whose change computes again. */
const INPUTS = [...Object.keys(LOSS_LANDSCAPE_ATTRIBUTES).filter((k) => !VIEW_ONLY.has(k)), 'overrides'] as (keyof LossLandscape)[];

/**
 * `<loss-landscape>`: optimizers racing on a loss surface, drawn as filled d3
 * contours (log-scaled where the surface has a known minimum) with each
 * optimizer's path in its own colour-blind-safe colour, a legend with the
 * current loss, a loss-per-step chart, and play / pause / step controls.
 * In `mode="mlp"` the surface is a real network's loss on a 2-D slice along two
 * filter-normalized random directions (Li et al., 2018), computed on the GPU.
 *
 * GPU work runs in the elements' task controller (`GpuTask`), never in
 * `render()`. Without WebGPU the element computes with the CPU reference and
 * says so. Every attribute is read through its spec (`loss-landscape-attributes.ts`, then
 * `parseLandscapeAttributes`): a bad one shows an inline error, fires `ks-error`, and the
 * last good picture stays until it is fixed.
 *
 * @attr mode - `analytic` (default) or `mlp`.
 * @attr surface - `quadratic | rosenbrock | beale | himmelblau | saddle | monkey` (analytic mode).
 * @attr optimizers - comma list of kinds (`sgd,momentum,nesterov,adagrad,rmsprop,adam,adamw,amsgrad,adam-nobc`)
 *   or a JSON array of kinds and `{kind, lr, beta1, beta2, eps, weightDecay, biasCorrection, schedule, label}`.
 * @attr lr - learning rate (0 … 1000) for every optimizer that does not set its own.
 * @attr beta1 - β₁ (momentum, 0 … 0.999999) for every optimizer that uses one and does not set its own.
 * @attr beta2 - β₂ (0 … 0.999999) for every optimizer that uses one and does not set its own.
 * @attr steps - number of steps (≤ 5000 analytic, ≤ 300 mlp).
 * @attr start - `"x,y"` or a JSON list of points `[[x,y],…]` (≤ 16). Click the plot to set it, or focus it and use
 *   the arrow keys and Enter.
 * @attr seed - seed (0 … 2³²−1) of the gradient noise; in mlp mode, of the data, training and directions.
 * @attr noise - σ (0 … 100) of seeded gradient noise added to every gradient (analytic mode).
 * @attr condition - the quadratic's condition number κ (1 … 10⁴).
 * @attr rotation - the quadratic's rotation, in degrees (−360 … 360).
 * @attr resolution - contour grid side (8 … 512 analytic, 8 … 64 mlp).
 * @attr domain - view window `"x0,x1,y0,y1"` (|v| ≤ 10⁶, each side at least 10⁻⁶ wide).
 * @attr chart - the small chart under the plot: `loss` per step (default) or `step`, the step length ‖xₜ − xₜ₋₁‖ (log scale).
 * @attr autoplay - play the race from step 0 once computed (otherwise the full paths show).
 *
 * @prop result - the last good `LandscapeResult` (read-only).
 * @prop error - the current attribute or compute error message, or null (read-only).
 * @prop frame - the step being shown.
 * @attr lr-all, beta1-all, beta2-all - what the reader typed into the element's lr, β₁ and β₂ inputs: each
 *   overrides every optimizer's own value (cleared when `optimizers` changes).
 * @prop overrides - `{lr, beta1, beta2}`: the same overrides, as set by those attributes or as a property.
 *
 * @fires ks-rendered - `{detail: {backend, ms, fallbackReason}}` after each finished computation.
 * @fires ks-error - `{detail: {attribute, value, message}}` when an attribute is bad, or (with `attribute: null`)
 *   when a computation fails.
 * @fires ks-start - `{detail: {x, y}}` when a click sets a new start.
 *
 * @cssprop --ks-fg, --ks-bg, --ks-muted, --ks-grid, --ks-panel, --ks-error - the palette.
 * @cssprop --ks-series-0 … --ks-series-6 - the optimizers' colours (Okabe–Ito by default).
 * @cssprop --ll-size - the plot's width (default 30rem).
 */
export class LossLandscape extends AttributeElement {
  static override attributeSpecs = LOSS_LANDSCAPE_ATTRIBUTES;
  static override properties = {
    ...attributeProperties(LOSS_LANDSCAPE_ATTRIBUTES),
    result: { state: true },
    computeError: { state: true },
    frame: { state: true },
    playing: { state: true },
    computing: { state: true },
    overrides: { state: true },
    cursor: { state: true },
  };

  declare mode: 'analytic' | 'mlp';
  declare surface: string;
  declare optimizers: string | null;
  declare lr: number | null;
  declare beta1: number | null;
  declare beta2: number | null;
  declare steps: number | null;
  declare start: string | null;
  declare lrAll: number | null;
  declare beta1All: number | null;
  declare beta2All: number | null;
  /** Where the keyboard's start marker is, in the surface's coordinates, or null. */
  declare cursor: [number, number] | null;
  declare seed: number;
  declare noise: number | null;
  declare condition: number | null;
  declare rotation: number | null;
  declare resolution: number | null;
  /** The view window `[x0, x1, y0, y1]` (text such as `"-2,2,-1,3"` is read into one). */
  declare domain: readonly number[] | string | null;
  declare autoplay: boolean;
  declare chart: 'loss' | 'step';
  declare result: LandscapeResult | null;
  /** The last computation's error message, or null. */
  declare computeError: string | null;
  declare frame: number;
  declare playing: boolean;
  declare computing: boolean;
  /** Values typed into the element's lr/β inputs; they override every optimizer's own (cleared when `optimizers` changes). */
  declare overrides: { lr?: number | null; beta1?: number | null; beta2?: number | null };

  declare private readonly compute: GpuTask<LandscapeResult>;
  /** The configuration the task computes (the last good one). */
  declare private taskConfig: LandscapeConfig | null;
  declare private readonly playback: RacePlayback;

  static override styles = [KS_STYLES, LOSS_LANDSCAPE_STYLES];

  constructor() {
    super();
    this.result = null;
    this.computeError = null;
    this.frame = 0;
    this.playing = false;
    this.computing = false;
    this.overrides = {};
    this.cursor = null;
    this.playback = new RacePlayback(this);
    this.taskConfig = null;
    this.compute = new GpuTask<LandscapeResult>(this, {
      key: () => (this.taskConfig ? JSON.stringify(this.taskConfig) : null),
      run: (gpu) => computeLandscape(this.taskConfig!, gpu),
      onSettled: (status, result, error) =>
        this.landscapeDone(status === 'done' ? result : null, status === 'error' ? (error as Error) : null),
    });
  }

  /** The current attribute or compute error message, or null. */
  get error(): string | null {
    return this.attributeError?.message ?? this.computeError;
  }

  /** Resolves when the latest computation has finished (successfully or not) and is drawn: `settled()`. */
  get computed(): Promise<void> {
    return this.settled();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const changes = this.takeChanges(changed, ['overrides']);
    const ready = changes !== null && INPUTS.some((k) => changes.has(k));
    if (!ready && !INPUTS.some((k) => changed.has(k))) return;
    // The overrides typed into the element live in the lr-all, beta1-all and beta2-all attributes.
    if (changes && ['lrAll', 'beta1All', 'beta2All'].some((k) => changes.has(k)))
      this.overrides = { lr: this.lrAll ?? undefined, beta1: this.beta1All ?? undefined, beta2: this.beta2All ?? undefined };
    // A new optimizer list (a preset, say) starts from its own values again.
    if (changes?.has('optimizers') && !changes.has('overrides') && Object.keys(this.overrides).length > 0) {
      this.overrides = {};
      for (const name of ['lr-all', 'beta1-all', 'beta2-all']) this.removeAttribute(name);
    }
    const config = this.checkAcross(() => parseLandscapeAttributes(this));
    if (!config || !ready) return;
    // The same configuration again (a bad value put back, say) computes nothing new.
    if (this.taskConfig && JSON.stringify(this.taskConfig) === JSON.stringify(config)) return;
    this.computeError = null;
    this.computing = true;
    this.taskConfig = config;
  }

  /** What a finished run does: the result drawn (or the error shown), then `ks-rendered`. */
  private landscapeDone(result: LandscapeResult | null, error: Error | null): void {
    this.computing = false;
    if (error || !result) {
      this.computeError = `compute failed: ${error?.message ?? 'unknown error'}`;
      this.fireRunError(this.computeError);
      return;
    }
    this.result = result;
    const steps = result.shape[2] - 1;
    this.pause();
    if (this.autoplay) {
      this.frame = 0;
      this.play();
    } else this.frame = steps;
    this.fire('ks-rendered', { backend: result.backend, ms: result.ms, fallbackReason: result.fallbackReason });
  }

  /** Plays the race from the current frame (from 0 when at the end). */
  play(): void {
    this.playback.play();
  }

  pause(): void {
    this.playback.pause();
  }

  /** Advances one step. */
  step(): void {
    this.playback.step();
  }

  /** Back to step 0. */
  rewind(): void {
    this.playback.rewind();
  }

  private get mainSvg(): SVGSVGElement | null {
    return this.renderRoot.querySelector('svg.main');
  }

  protected override get exportReady(): boolean {
    return this.mainSvg !== null;
  }

  /** The configuration and every trajectory, as plain data. */
  exportJson(): object {
    return trajectoriesJson(this.result);
  }

  private onPlotClick(e: MouseEvent): void {
    const r = this.result;
    const plot = this.mainSvg;
    const at = r && plot ? clickedPoint(e, plot, r.config) : null;
    if (at) this.setStart(at[0], at[1]);
  }

  /** Starts every optimizer from (x, y): the `start` attribute, `ks-change` and `ks-start`. */
  private setStart(x: number, y: number): void {
    this.setState('start', `${x.toFixed(3)},${y.toFixed(3)}`);
    this.fire('ks-start', { x, y });
  }

  /** The keyboard on the plot: the arrows move a marker (1/40 of the view), Enter starts there, Escape leaves. */
  private onPlotKey(e: KeyboardEvent): void {
    const r = this.result;
    const action = r ? cursorKey(e, r.config, this.cursor) : null;
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'leave') this.cursor = null;
    else if (action.kind === 'start') this.setStart(action.at[0], action.at[1]);
    else this.cursor = action.to;
  }

  /** A number typed into the controls: an override of every optimizer's value (`lr-all`…), or `steps`. */
  private onNumber(input: NumberInput, value: number | null): void {
    this.setState(input === 'steps' ? 'steps' : `${input}All`, value);
  }

  override render() {
    const r = this.result;
    const steps = r ? r.shape[2] - 1 : 0;
    const view = {
      frame: this.frame,
      cursor: this.cursor,
      onClick: (e: MouseEvent) => this.onPlotClick(e),
      onKey: (e: KeyboardEvent) => this.onPlotKey(e),
      onBlur: () => (this.cursor = null),
    };
    return html`<div class="wrap">
      <div class="plots">
        ${r ? renderPlot(r, view) : html`<p class="status">computing…</p>`}${r ? renderChart(r, this.chart, this.frame) : nothing}
      </div>
      <div class="side">
        ${r ? renderLegend(r, this.frame) : nothing}
        ${renderControls({
          ready: r !== null,
          playing: this.playing,
          frame: this.frame,
          steps,
          overrides: this.overrides,
          stepsValue: this.steps ?? r?.config.steps,
          onPlayPause: () => (this.playing ? this.pause() : this.play()),
          onStep: () => this.step(),
          onRewind: () => this.rewind(),
          onNumber: (input, value) => this.onNumber(input, value),
          onExport: (kind) => void downloadLandscape(this, kind),
        })}
        ${renderRunStatus(r, this.computing)}
        <p class="status">Click the plot to start from there.</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </div>
    </div>`;
  }
}

if (!customElements.get('loss-landscape')) customElements.define('loss-landscape', LossLandscape);

declare global {
  interface HTMLElementTagNameMap {
    'loss-landscape': LossLandscape;
  }
}
