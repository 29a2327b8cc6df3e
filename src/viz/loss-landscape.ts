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
import { KS_STYLES } from './styles';
import { LOSS_LANDSCAPE_STYLES } from './loss-landscape-styles';
import { html, nothing, svg, type PropertyValues } from 'lit';
import { contours, format, geoPath, geoTransform, scaleLinear } from 'd3';
import { SERIES_COLORS, sequential } from './palette';
import { download, toJsonText } from './export';
import { computeLandscape, type LandscapeResult } from './loss-landscape-compute';
import { GpuTask } from './task';
import { parseLandscapeAttributes, type LandscapeConfig } from './loss-landscape-config';
import { AttributeElement } from './attribute-element';
import { gridKey } from './grid-keys';
import { attributeProperties } from './attributes';
import { LOSS_LANDSCAPE_ATTRIBUTES } from './loss-landscape-attributes';

const W = 440;
const H = 440;
const M = { l: 46, r: 12, t: 12, b: 36 };
const CHART_H = 120;
const INPUTS = [
  'mode',
  'surface',
  'optimizers',
  'lr',
  'beta1',
  'beta2',
  'steps',
  'start',
  'seed',
  'noise',
  'condition',
  'rotation',
  'resolution',
  'domain',
  'overrides',
  'lrAll',
  'beta1All',
  'beta2All',
] as const;
const LEVELS = 18;
/** Linear tick labels short enough for the margin: 0.5, -12, -6e+10. */
const TICK = format('.2~g');
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
  declare private timer: ReturnType<typeof setInterval> | null;
  declare private cachedContours: { key: LandscapeResult; paths: { d: string; fill: string }[] } | null;

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
    this.timer = null;
    this.cachedContours = null;
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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.pause();
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
      this.setError(`compute failed: ${error?.message ?? 'unknown error'}`);
      return;
    }
    this.result = result;
    this.cachedContours = null;
    const steps = result.shape[2] - 1;
    this.pause();
    if (this.autoplay) {
      this.frame = 0;
      this.play();
    } else this.frame = steps;
    this.fire('ks-rendered', { backend: result.backend, ms: result.ms, fallbackReason: result.fallbackReason });
  }

  private setError(message: string): void {
    this.computeError = message;
    this.fireRunError(message);
  }

  // ---- playback -------------------------------------------------------------

  /** Plays the race from the current frame (from 0 when at the end). */
  play(): void {
    const r = this.result;
    if (!r) return;
    const last = r.shape[2] - 1;
    if (this.frame >= last) this.frame = 0;
    this.pause();
    this.playing = true;
    const stride = Math.max(1, Math.round(last / 150));
    this.timer = setInterval(() => {
      this.frame = Math.min(last, this.frame + stride);
      if (this.frame >= last) this.pause();
    }, 40);
  }

  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playing = false;
  }

  /** Advances one step. */
  step(): void {
    const r = this.result;
    if (!r) return;
    this.pause();
    this.frame = Math.min(r.shape[2] - 1, this.frame + 1);
  }

  /** Back to step 0. */
  rewind(): void {
    this.pause();
    this.frame = 0;
  }

  // ---- export ---------------------------------------------------------------

  private get mainSvg(): SVGSVGElement | null {
    return this.renderRoot.querySelector('svg.main');
  }

  protected override get exportReady(): boolean {
    return this.mainSvg !== null;
  }

  /** The configuration and every trajectory, as plain data. */
  exportJson(): object {
    const r = this.result;
    if (!r) return { trajectories: [] };
    const [nOpt, nStarts, P] = r.shape;
    const trajectories = [];
    for (let o = 0; o < nOpt; o++) {
      for (let s = 0; s < nStarts; s++) {
        const points: number[][] = [];
        const base = (o * nStarts + s) * P * 3;
        for (let t = 0; t < P; t++) points.push([r.paths[base + 3 * t]!, r.paths[base + 3 * t + 1]!, r.paths[base + 3 * t + 2]!]);
        trajectories.push({ optimizer: r.config.optimizers[o], start: r.config.starts[s], points });
      }
    }
    return {
      mode: r.config.mode,
      surface: r.config.mode === 'analytic' ? r.config.surface : 'mlp-slice',
      steps: r.config.steps,
      backend: r.backend,
      trajectories,
    };
  }

  private downloadSvg(): void {
    download('loss-landscape.svg', this.exportSvg(), 'image/svg+xml');
  }
  private async downloadPng(): Promise<void> {
    download('loss-landscape.png', await this.exportPng());
  }
  private downloadJson(): void {
    download('trajectories.json', toJsonText(this.exportJson()), 'application/json');
  }

  // ---- interaction ----------------------------------------------------------

  private onPlotClick(e: MouseEvent): void {
    const r = this.result;
    const el = this.mainSvg;
    if (!r || !el) return;
    const ctm = el.getScreenCTM();
    if (!ctm) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const { sx, sy } = scales(r.config);
    const x = sx.invert(p.x);
    const y = sy.invert(p.y);
    const [x0, x1, y0, y1] = r.config.domain;
    if (x < x0 || x > x1 || y < y0 || y > y1) return;
    this.setStart(x, y);
  }

  /** Starts every optimizer from (x, y): the `start` attribute, `ks-change` and `ks-start`. */
  private setStart(x: number, y: number): void {
    this.setState('start', `${x.toFixed(3)},${y.toFixed(3)}`);
    this.fire('ks-start', { x, y });
  }

  /** The keyboard on the plot: the arrows move a marker (1/40 of the view), Enter starts there, Escape leaves. */
  private onPlotKey(e: KeyboardEvent): void {
    const r = this.result;
    if (!r) return;
    const N = 41;
    const [x0, x1, y0, y1] = r.config.domain;
    const first = r.config.starts[0] ?? [(x0 + x1) / 2, (y0 + y1) / 2];
    const [cx, cy] = this.cursor ?? [first[0]!, first[1]!];
    const at = { col: Math.round(((cx - x0) / (x1 - x0)) * (N - 1)), row: Math.round(((y1 - cy) / (y1 - y0)) * (N - 1)) };
    const k = gridKey(e.key, at, N, N, { page: 5, ctrl: e.ctrlKey });
    if (k === null) return;
    e.preventDefault();
    if (k === 'leave') this.cursor = null;
    else if (k === 'select') this.setStart(cx, cy);
    else this.cursor = [x0 + (k.col / (N - 1)) * (x1 - x0), y1 - (k.row / (N - 1)) * (y1 - y0)];
  }

  private onNumber(name: 'lr' | 'beta1' | 'beta2' | 'steps') {
    return (e: Event) => {
      const raw = (e.target as HTMLInputElement).value;
      const v = raw === '' ? null : Number(raw);
      this.setState(name === 'steps' ? 'steps' : `${name}All`, v);
    };
  }

  // ---- drawing ----------------------------------------------------------------

  private contourPaths(r: LandscapeResult): { d: string; fill: string }[] {
    if (this.cachedContours?.key === r) return this.cachedContours.paths;
    const R = r.config.resolution;
    const n = R * R;
    const t = new Float64Array(n);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = r.grid[i]!;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Number.isFinite(lo)) return [];
    const delta = Math.max(1e-12, (hi - lo) * 1e-5);
    const tf = r.config.logScale ? (v: number) => Math.log10(v - lo + delta) : (v: number) => v;
    const tlo = tf(lo);
    const thi = tf(hi);
    for (let i = 0; i < n; i++) t[i] = Number.isFinite(r.grid[i]!) ? tf(r.grid[i]!) : thi;
    const thresholds = Array.from({ length: LEVELS }, (_, k) => tlo + ((thi - tlo) * k) / LEVELS);
    const { sx, sy } = scales(r.config);
    const [x0, x1, y0, y1] = r.config.domain;
    const dx = (x1 - x0) / (R - 1);
    const dy = (y1 - y0) / (R - 1);
    // Contour coordinates are in cells: sample i sits at cell centre i + 0.5.
    const projection = geoTransform({
      point(x: number, y: number) {
        this.stream.point(sx(x0 + (x - 0.5) * dx), sy(y0 + (y - 0.5) * dy));
      },
    });
    const path = geoPath(projection);
    const paths = contours()
      .size([R, R])
      .thresholds(thresholds)(Array.from(t))
      .map((c, k) => ({
        d: path(c) ?? '',
        fill: sequential(0.08 + (0.9 * k) / LEVELS),
      }));
    this.cachedContours = { key: r, paths };
    return paths;
  }

  private renderPlot(r: LandscapeResult) {
    const { sx, sy } = scales(r.config);
    const [nOpt, nStarts, P] = r.shape;
    const frame = Math.min(this.frame, P - 1);
    const clip = (v: number) => Math.max(-1e4, Math.min(1e4, v));
    const trails = [];
    for (let o = 0; o < nOpt; o++) {
      for (let s = 0; s < nStarts; s++) {
        const base = (o * nStarts + s) * P * 3;
        const pts: string[] = [];
        let last: [number, number] | null = null;
        for (let t = 0; t <= frame; t++) {
          const x = r.paths[base + 3 * t]!;
          const y = r.paths[base + 3 * t + 1]!;
          if (!Number.isFinite(x) || !Number.isFinite(y)) break;
          last = [clip(sx(x)), clip(sy(y))];
          pts.push(`${last[0].toFixed(1)},${last[1].toFixed(1)}`);
        }
        const cls = o % SERIES_COLORS.length;
        trails.push(svg`<polyline class="path s${cls}" data-optimizer=${o} points=${pts.join(' ')}></polyline>`);
        if (last) trails.push(svg`<circle class="head f${cls}" cx=${last[0]} cy=${last[1]} r="4.5"></circle>`);
      }
    }
    const starts = r.config.starts.map(([x, y]) => svg`<circle class="startmark" cx=${sx(x)} cy=${sy(y)} r="4"></circle>`);
    const xt = sx.ticks(6);
    const yt = sy.ticks(6);
    return html`<svg
      class="main"
      viewBox="0 0 ${W + M.l + M.r} ${H + M.t + M.b}"
      width=${W + M.l + M.r}
      height=${H + M.t + M.b}
      role="img"
      tabindex="0"
      aria-label="loss contours with optimizer paths; arrow keys move a start marker, Enter starts every optimizer there"
      @click=${this.onPlotClick}
      @keydown=${this.onPlotKey}
      @blur=${() => (this.cursor = null)}
    >
      <defs>
        <clipPath id="ll-clip"><rect x=${M.l} y=${M.t} width=${W} height=${H}></rect></clipPath>
      </defs>
      <g clip-path="url(#ll-clip)">
        <rect x=${M.l} y=${M.t} width=${W} height=${H} fill=${sequential(0.02)}></rect>
        <g class="contours">${this.contourPaths(r).map((c) => svg`<path class="contour" d=${c.d} fill=${c.fill}></path>`)}</g>
        <g class="trails">${trails}</g>
        ${starts} ${this.cursor ? svg`<circle class="cursor" cx=${sx(this.cursor[0])} cy=${sy(this.cursor[1])} r="7"></circle>` : nothing}
      </g>
      <rect class="frame" x=${M.l} y=${M.t} width=${W} height=${H}></rect>
      <g class="axis">
        ${xt.map((v) => svg`<line x1=${sx(v)} x2=${sx(v)} y1=${M.t + H} y2=${M.t + H + 5}></line><text x=${sx(v)} y=${M.t + H + 18} text-anchor="middle">${v}</text>`)}
        ${yt.map((v) => svg`<line x1=${M.l - 5} x2=${M.l} y1=${sy(v)} y2=${sy(v)}></line><text x=${M.l - 8} y=${sy(v) + 4} text-anchor="end">${v}</text>`)}
        <text x=${M.l + W / 2} y=${M.t + H + 32} text-anchor="middle">${r.config.mode === 'mlp' ? 'α (direction 1)' : 'x'}</text>
        <text x="12" y=${M.t + H / 2} text-anchor="middle" transform="rotate(-90 12 ${M.t + H / 2})">
          ${r.config.mode === 'mlp' ? 'β (direction 2)' : 'y'}
        </text>
      </g>
    </svg>`;
  }

  private renderChart(r: LandscapeResult) {
    const [nOpt, nStarts, P] = r.shape;
    const cw = W + M.l + M.r;
    const ch = CHART_H;
    const stepMode = this.chart === 'step';
    // The series: loss per step, or the step length ‖xₜ − xₜ₋₁‖ (from t = 1), for each optimizer's first start.
    const series: number[][] = [];
    for (let o = 0; o < nOpt; o++) {
      const base = o * nStarts * P * 3;
      const v: number[] = [];
      for (let t = stepMode ? 1 : 0; t < P; t++) {
        v.push(
          stepMode
            ? Math.hypot(r.paths[base + 3 * t]! - r.paths[base + 3 * t - 3]!, r.paths[base + 3 * t + 1]! - r.paths[base + 3 * t - 2]!)
            : r.paths[base + 3 * t + 2]!,
        );
      }
      series.push(v);
    }
    const finite = series.flat().filter(Number.isFinite);
    if (finite.length === 0) return nothing;
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const useLog = stepMode || (r.config.logScale && lo >= 0);
    const floor = useLog ? Math.max(lo * 0.5, hi * 1e-8, 1e-12) : 0;
    const f = (v: number) => (useLog ? Math.log10(Math.max(v, floor)) : v);
    const sx = scaleLinear()
      .domain([0, Math.max(1, P - 1)])
      .range([M.l, cw - M.r]);
    const sy = scaleLinear()
      .domain([f(useLog ? floor : lo), f(hi)])
      .nice()
      .range([ch - 22, 8]);
    const t0 = stepMode ? 1 : 0;
    const lines = series.map((v, o) => {
      const pts: string[] = [];
      for (let k = 0; k < v.length; k++) {
        if (!Number.isFinite(v[k]!)) break;
        pts.push(`${sx(k + t0).toFixed(1)},${Math.max(-1e4, Math.min(1e4, sy(f(v[k]!)))).toFixed(1)}`);
      }
      return svg`<polyline class="path s${o % SERIES_COLORS.length}" stroke-width="1.6" points=${pts.join(' ')}></polyline>`;
    });
    const x = sx(Math.min(this.frame, P - 1));
    const what = stepMode ? 'step length ‖Δx‖ (log)' : `loss${useLog ? ' (log)' : ''}`;
    return html`<svg class="chart" viewBox="0 0 ${cw} ${ch}" width=${cw} height=${ch} role="img" aria-label=${what}>
      ${sy.ticks(3).map((v) => svg`<line class="grid" x1=${M.l} x2=${cw - M.r} y1=${sy(v)} y2=${sy(v)}></line><text x=${M.l - 6} y=${sy(v) + 4} text-anchor="end">${useLog ? `1e${v}` : TICK(v)}</text>`)}
      <g>${lines}</g>
      <line class="playhead" x1=${x} x2=${x} y1="6" y2=${ch - 22}></line>
      <text x=${M.l} y=${ch - 6}>step 0</text>
      <text x=${cw - M.r} y=${ch - 6} text-anchor="end">${what} · step ${P - 1}</text>
    </svg>`;
  }

  private renderLegend(r: LandscapeResult) {
    const [, nStarts, P] = r.shape;
    const frame = Math.min(this.frame, P - 1);
    return html`<ul class="legend">
      ${r.config.optimizers.map((o, i) => {
        const v = r.paths[(i * nStarts * P + frame) * 3 + 2]!;
        return html`<li data-optimizer=${i}>
          <span class="swatch f${i % SERIES_COLORS.length}"></span><span class="label">${o.label}</span>
          <span class="loss">${Number.isFinite(v) ? formatLoss(v) : 'diverged'}</span>
        </li>`;
      })}
    </ul>`;
  }

  override render() {
    const r = this.result;
    const cfg = r?.config;
    const steps = r ? r.shape[2] - 1 : 0;
    const backend = r
      ? r.backend === 'gpu'
        ? `GPU · ${r.ms.toFixed(0)} ms`
        : `CPU reference (no WebGPU: ${r.fallbackReason}) · ${r.ms.toFixed(0)} ms`
      : '';
    return html`<div class="wrap">
      <div class="plots">${r ? this.renderPlot(r) : html`<p class="status">computing…</p>`}${r ? this.renderChart(r) : nothing}</div>
      <div class="side">
        ${r ? this.renderLegend(r) : nothing}
        <div class="controls" part="controls">
          <button @click=${() => (this.playing ? this.pause() : this.play())} ?disabled=${!r}>${this.playing ? 'pause' : 'play'}</button>
          <button @click=${() => this.step()} ?disabled=${!r}>step</button>
          <button @click=${() => this.rewind()} ?disabled=${!r}>rewind</button>
          <span class="status">step ${Math.min(this.frame, steps)} / ${steps}</span>
        </div>
        <div class="controls">
          <label title="overrides every optimizer's learning rate"
            >lr (all)<input
              type="number"
              step="any"
              min="0"
              .value=${String(this.overrides.lr ?? '')}
              placeholder="per optimizer"
              @change=${this.onNumber('lr')}
          /></label>
          <label title="overrides β₁ of every optimizer that uses it"
            >β₁ (all)<input
              type="number"
              step="any"
              min="0"
              max="0.999999"
              .value=${String(this.overrides.beta1 ?? '')}
              placeholder="per optimizer"
              @change=${this.onNumber('beta1')}
          /></label>
          <label title="overrides β₂ of every optimizer that uses it"
            >β₂ (all)<input
              type="number"
              step="any"
              min="0"
              max="0.999999"
              .value=${String(this.overrides.beta2 ?? '')}
              placeholder="per optimizer"
              @change=${this.onNumber('beta2')}
          /></label>
          <label
            >steps<input type="number" step="1" min="0" .value=${String(this.steps ?? cfg?.steps ?? '')} @change=${this.onNumber('steps')}
          /></label>
        </div>
        <div class="controls">
          <button @click=${this.downloadSvg} ?disabled=${!r}>SVG</button>
          <button @click=${this.downloadPng} ?disabled=${!r}>PNG</button>
          <button @click=${this.downloadJson} ?disabled=${!r}>trajectories JSON</button>
        </div>
        <p class="status backend">
          ${this.computing ? 'computing… ' : ''}${backend}${r?.mlp ? ` · network ${r.mlp.params} parameters, trained loss ${formatLoss(r.mlp.loss)}, accuracy ${(r.mlp.accuracy * 100).toFixed(0)}%` : ''}
        </p>
        <p class="status">Click the plot to start from there.</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </div>
    </div>`;
  }
}

function scales(c: LandscapeConfig) {
  const [x0, x1, y0, y1] = c.domain;
  return {
    sx: scaleLinear()
      .domain([x0, x1])
      .range([M.l, M.l + W]),
    sy: scaleLinear()
      .domain([y0, y1])
      .range([M.t + H, M.t]),
  };
}

function formatLoss(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(4);
}

if (!customElements.get('loss-landscape')) customElements.define('loss-landscape', LossLandscape);

declare global {
  interface HTMLElementTagNameMap {
    'loss-landscape': LossLandscape;
  }
}
