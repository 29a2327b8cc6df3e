/**
 * `<flash-tiles>`: flash attention at work. The Q×K tile grid of one head (query
 * blocks down, K/V tiles across) with the tiles the causal mask (or padding) lets the
 * kernel skip shaded; a step control and play that highlight the tile being processed
 * for the traced query block; plots of the running max m and running sum l of chosen
 * query rows after each tile, next to the exact statistics of naive attention (dashed);
 * and a memory meter: naive's Nq×Nk score matrix against the flash kernel's tiles.
 *
 * The trace comes from the flash kernel's trace mode on the page's GPU (`source`,
 * set by default when the attention kernels provide it). Without a GPU, or without a
 * source, it falls back to the CPU trace reference (float64, the same tile schedule)
 * and says so in its status line.
 *
 * Every attribute is read through its spec (`flash-tiles-attributes.ts`): a bad value shows
 * an inline error, fires `ks-error`, and the last good trace stays until it is fixed.
 *
 * @attr n - queries = keys, 1 … 2048 (default 256); `nk` sets the keys apart.
 * @attr nk - keys (1 … 2048), when different from n.
 * @attr dim - head dim, 8 … 256 (default 32). On the GPU the kernel picks its tiles from it.
 * @attr causal - bottom-right aligned causal mask.
 * @attr key-length - keys at or past this index are padding, 0 … 2048 (default: none).
 * @attr window - sliding window: each query sees the `window` keys left of its diagonal and the diagonal,
 *   0 … 2048 (default: none); the tiles left of every row's window are skipped.
 * @attr keys-per-split - shows split-K ("flash-decoding"): the keys cut into ranges of this many, 1 … 2048,
 *   each range's partial (m, l) for the plotted rows and their merge (default: not shown).
 * @attr pattern - seeded Q/K pattern (local | sink | previous | random; default random).
 * @attr seed - the pattern's seed, 0 … 2³²−1 (default 1).
 * @attr query-block - the traced query block (default 1; clamped).
 * @attr rows - 1 to 7 comma-separated row offsets (0 … 255) within the block to plot; offsets past the block
 *   are left out (default `0,mid,last`).
 * @attr step - tiles processed so far, 0 … number of tiles (larger values show all; default: all); set by the step
 *   controls, a click on a tile, or Enter on the focused grid.
 * @attr playing - steps on by itself every `interval` ms.
 * @attr interval - ms per step when playing, 50 … 60000 (default 700).
 * @attr block-q, block-k - tile sizes of the CPU trace when no GPU decides, 1 … 256 (default 16).
 * @attr backend - `auto` (GPU trace, else CPU) or `cpu`.
 * @attr no-controls - hides the built-in controls.
 *
 * @prop gpu - a `Gpu` to use instead of the page's shared one.
 * @prop source - the GPU trace source (`FlashTraceSource`); null forces the CPU trace.
 * @prop data - `{q, k, v}` host tensors `[1, 1, N, d]` instead of a pattern.
 * @prop model - (read-only) the trace, exact statistics and memory drawn.
 *
 * @fires ks-step - `{step, kBlock, skipped, m, l, rescale}` when the step changes.
 * @fires ks-rendered - `{source, steps, blockQ, blockK}` after a new trace is drawn.
 * @fires ks-error - `{attribute, value, message}` on a bad attribute or `data`, or (with `attribute: null`) a
 *   failed trace; the last good state stays.
 *
 * @cssprop --ks-mask - skipped tiles.
 * @cssprop --ks-accent - the current tile.
 * @cssprop --ks-series-0 … --ks-series-6 - the traced rows.
 * @cssprop --ks-fg, --ks-bg, --ks-muted, --ks-grid, --ks-panel, --ks-error - the palette.
 */
import { KS_STYLES } from './styles';
import { css, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { line, scaleLinear } from 'd3';
import type { Gpu } from '../gpu/device';
import { attentionDims } from '../reference/flash-trace';
import { KernelscopeError } from '../problem/errors';
import { seriesColor } from './palette';
import { toJsonText, download } from './export';
import { GpuTask } from './task';
import { generatePattern, type AttentionPattern } from './attention-patterns';
import { computeFlashTiles, flashTilesJson, type FlashInputs, type FlashTilesModel, type FlashTraceSource } from './flash-tiles-data';
import { defaultFlashTraceSource } from './flash-tiles-gpu';
import { renderSplitK, skipReason } from './flash-tiles-splitk';
import { AttributeElement } from './attribute-element';
import { gridKey, type Cell } from './grid-keys';
import { AttributeError, attributeProperties } from './attributes';
import { FLASH_TILES_ATTRIBUTES } from './flash-tiles-attributes';

const PATTERNS = Object.keys(FLASH_TILES_ATTRIBUTES.pattern.values) as AttentionPattern[];

export class FlashTiles extends AttributeElement {
  static override attributeSpecs = FLASH_TILES_ATTRIBUTES;
  static override properties = {
    ...attributeProperties(FLASH_TILES_ATTRIBUTES),
    gpu: { attribute: false },
    source: { attribute: false },
    data: { attribute: false },
    cursor: { state: true },
  };

  /** The tile the keyboard is on (row: query block, col: key tile), or null. */
  declare cursor: Cell | null;

  declare n: number;
  declare nk: number | null;
  declare dim: number;
  declare causal: boolean;
  declare keyLength: number | null;
  declare window: number | null;
  declare keysPerSplit: number | null;
  declare pattern: AttentionPattern;
  declare seed: number;
  declare queryBlock: number;
  /** Row offsets, as a list (text is read into one). */
  declare rows: readonly number[] | string | null;
  declare step: number | null;
  declare playing: boolean;
  declare interval: number;
  declare blockQ: number;
  declare blockK: number;
  declare backend: 'auto' | 'cpu';
  declare noControls: boolean;
  declare gpu: Gpu | null;
  declare source: FlashTraceSource | null;
  declare data: FlashInputs | null;

  private inputs: FlashInputs | null = null;
  private inputVersion = 0;
  /** The task's key as of the last update with every attribute good. */
  private taskKey: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly task: GpuTask<FlashTilesModel>;

  static override styles = [
    KS_STYLES,
    css`
      :host {
        display: block;
        color: var(--_fg);
        font:
          13px/1.4 system-ui,
          sans-serif;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1rem;
        align-items: end;
        margin-bottom: 0.5rem;
      }
      .controls label {
        display: flex;
        flex-direction: column;
        font-size: 0.8rem;
        color: var(--_muted);
        gap: 0.1rem;
      }
      .controls label.inline {
        flex-direction: row;
        align-items: center;
        gap: 0.3rem;
      }
      input,
      select,
      button {
        font: inherit;
        color: var(--_fg);
        background: var(--_bg);
        border: 1px solid var(--_grid);
        border-radius: 4px;
        padding: 0.15rem 0.35rem;
      }
      button {
        cursor: pointer;
        background: var(--_panel);
      }
      input[type='range'] {
        width: 14rem;
      }
      input.rows {
        width: 7em;
      }
      .error {
        color: var(--_error);
        border-left: 3px solid var(--_error);
        padding: 0.2rem 0.6rem;
        margin: 0.3rem 0;
      }
      .status {
        color: var(--_muted);
        font-size: 0.8rem;
        margin: 0.2rem 0;
      }
      .status.cpu {
        color: var(--_fg);
        border-left: 3px solid var(--_series-1);
        padding-left: 0.5rem;
      }
      .panels {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        align-items: flex-start;
      }
      figure {
        margin: 0;
      }
      figcaption {
        font-size: 0.8rem;
        color: var(--_muted);
        max-width: 24rem;
      }
      svg {
        display: block;
        overflow: visible;
      }
      .tile {
        fill: var(--_panel);
        stroke: var(--_grid);
        stroke-width: 1;
      }
      .tile.traced {
        fill: var(--_bg);
        stroke: var(--_muted);
      }
      .tile.visited {
        fill: var(--_series-5);
        fill-opacity: 0.45;
      }
      .tile.current {
        fill: var(--_accent);
        fill-opacity: 1;
        stroke: var(--_fg);
        stroke-width: 2;
      }
      .tile.skipped {
        fill: url(#ft-hatch);
      }
      .hatch-bg {
        fill: var(--_mask);
      }
      .hatch-line {
        stroke: var(--_bg);
        stroke-width: 1.2;
        stroke-opacity: 0.55;
      }
      svg.grid:focus-visible {
        outline: 2px solid var(--_accent);
        outline-offset: 2px;
      }
      .cursor {
        fill: none;
        stroke: var(--_fg);
        stroke-width: 2;
        stroke-dasharray: 3 2;
        pointer-events: none;
      }
      .sel {
        fill: var(--_accent);
      }
      .diag {
        stroke: var(--_error);
        stroke-width: 1.2;
        stroke-dasharray: 4 3;
        fill: none;
        pointer-events: none;
      }
      .axis-text {
        fill: var(--_muted);
        font-size: 10px;
      }
      .axis line,
      .gridline {
        stroke: var(--_grid);
      }
      .now {
        stroke: var(--_accent);
        stroke-width: 1.5;
      }
      .exact {
        stroke-dasharray: 5 4;
        stroke-width: 1.5;
        fill: none;
      }
      .run {
        stroke-width: 2;
        fill: none;
      }
      .meter-naive {
        fill: var(--_series-3);
      }
      .meter-flash {
        fill: var(--_series-2);
      }
      .meter-out {
        fill: var(--_muted);
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        font-size: 0.8rem;
        margin-top: 0.4rem;
      }
      th,
      td {
        border-bottom: 1px solid var(--_grid);
        padding: 0.15rem 0.5rem;
        text-align: right;
      }
      th {
        color: var(--_muted);
        font-weight: 600;
      }
      .swatch {
        display: inline-block;
        width: 0.7em;
        height: 0.7em;
        margin-right: 0.3em;
        vertical-align: baseline;
      }
    `,
  ];

  constructor() {
    super();
    this.cursor = null;
    this.gpu = null;
    this.source = defaultFlashTraceSource;
    this.data = null;
    this.task = new GpuTask<FlashTilesModel>(this, {
      // While an attribute is bad, the key stays where it was: nothing new is computed.
      key: () => {
        if (!this.attributesBlocked)
          this.taskKey = this.inputs
            ? JSON.stringify([
                this.inputVersion,
                this.causal,
                this.keyLength,
                this.window,
                this.keysPerSplit,
                this.queryBlock,
                this.blockQ,
                this.blockK,
                this.backend,
                Boolean(this.source),
              ])
            : null;
        return this.taskKey;
      },
      device: () => (this.backend === 'cpu' ? 'cpu' : (this.gpu ?? undefined)),
      run: (gpu, signal) => {
        const Nk = this.inputs!.k.shape[2]!;
        const reason = !gpu
          ? this.task.cpuReason
          : this.source
            ? null
            : "no GPU trace source: the flash kernel's trace mode is not in this build";
        return computeFlashTiles(
          this.inputs!,
          {
            causal: this.causal,
            keyLength: this.keyLength ?? Nk,
            window: this.window,
            keysPerSplit: this.keysPerSplit,
            queryBlock: this.queryBlock,
            blockQ: this.blockQ,
            blockK: this.blockK,
          },
          this.source ? gpu : null,
          this.source,
          reason,
          signal,
        );
      },
      onSettled: (status, value, error) => {
        if (status === 'done' && value) {
          if (this.queryBlock !== value.queryBlock) this.queryBlock = value.queryBlock;
          void this.updateComplete.then(() =>
            this.fire('ks-rendered', { source: value.source, steps: value.trace.steps.length, blockQ: value.blockQ, blockK: value.blockK }),
          );
        } else this.fireRunError(errorMessage(error));
      },
    });
  }

  /** The trace drawn (last good), or null before the first one. */
  get model(): FlashTilesModel | null {
    return this.task.value;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTimer();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const inputs = ['n', 'nk', 'dim', 'pattern', 'seed', 'data'];
    const changes = this.takeChanges(changed, ['data']);
    const ready = changes !== null && (inputs.some((p) => changes.has(p)) || !this.inputs);
    if (ready || changed.has('data')) {
      const data = this.checkAcross(() => this.checkData());
      if (data !== undefined && ready) this.readInputs(data);
    }
    if (changed.has('playing')) {
      if (this.playing) this.startTimer();
      else this.stopTimer();
    }
  }

  /** The `data` property (not an attribute), checked: one (batch, head), matching shapes, finite values. */
  private checkData(): FlashInputs | null {
    if (!this.data) return null;
    try {
      return checkFlashData(this.data);
    } catch (e) {
      const message = e instanceof KernelscopeError ? e.message : `flash-tiles: data: ${errorMessage(e)}`;
      throw new AttributeError('flash-tiles', 'data', this.data, 'valid inputs', message);
    }
  }

  /** The Q, K, V to trace: `data` when given, else the seeded pattern of the attributes. */
  private readInputs(data: FlashInputs | null): void {
    let next: FlashInputs;
    if (data) next = data;
    else {
      const nk = this.nk ?? this.n;
      const N = Math.max(this.n, nk);
      const p = generatePattern({ pattern: this.pattern, seed: this.seed, n: N, heads: 1, dim: this.dim });
      // Queries are the last n positions (bottom-right alignment), keys the first nk.
      const d = this.dim;
      const q = p.q.data.slice((N - this.n) * d, N * d);
      next = {
        q: { data: q, shape: [1, 1, this.n, d] },
        k: { data: p.k.data.slice(0, nk * d), shape: [1, 1, nk, d] },
        v: { data: p.v.data.slice(0, nk * d), shape: [1, 1, nk, d] },
      };
    }
    this.inputs = next;
    this.inputVersion += 1;
  }

  private startTimer(): void {
    this.stopTimer();
    this.timer = setInterval(
      () => {
        const S = this.task.value?.trace.steps.length ?? 0;
        const cur = this.currentStep();
        if (cur >= S) {
          this.playing = false;
          return;
        }
        this.setStep(cur + 1);
      },
      Math.max(50, this.interval),
    );
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private currentStep(): number {
    const S = this.task.value?.trace.steps.length ?? 0;
    return this.step === null || !Number.isFinite(this.step) ? S : Math.max(0, Math.min(S, Math.round(this.step)));
  }

  /** Moves to `step` (tiles processed, 0 … steps): sets the `step` attribute, fires `ks-change` and `ks-step`. */
  setStep(step: number): void {
    const model = this.task.value;
    if (!model) return;
    const S = model.trace.steps.length;
    const next = Math.max(0, Math.min(S, Math.round(step)));
    this.setState('step', next);
    this.step = next;
    const s = next > 0 ? model.trace.steps[next - 1]! : null;
    this.fire('ks-step', {
      step: next,
      kBlock: s?.kBlock ?? null,
      skipped: s?.skipped ?? null,
      m: s ? Array.from(s.m) : null,
      l: s ? Array.from(s.l) : null,
      rescale: s ? Array.from(s.rescale) : null,
    });
  }

  /** The plotted rows, as indices into the trace's rows (offsets past the block are left out). */
  private plotRows(model: FlashTilesModel): number[] {
    const R = model.trace.rows.length;
    const fallback = [...new Set([0, Math.floor((R - 1) / 2), R - 1])];
    const picked = (Array.isArray(this.rows) ? (this.rows as number[]) : []).filter((x) => x < R);
    return picked.length ? [...new Set(picked)] : fallback;
  }

  override render() {
    const model = this.task.value;
    const error = this.attributeError?.message ?? (this.task.status === 'error' ? errorMessage(this.task.error) : null);
    return html`
      ${this.noControls ? nothing : this.renderControls(model)}
      ${error ? html`<div class="error" role="alert">${error}${model ? ' (showing the last good state)' : ''}</div>` : nothing}
      ${
        model
          ? html`<div class="status ${model.source}" part="status">${this.statusText(model)}</div>
              <div class="panels">
                ${this.renderGrid(model)}
                <div>${this.renderPlot(model, 'm')}${this.renderPlot(model, 'l')}</div>
                <div>${this.renderTable(model)}${this.renderMeter(model)}</div>
              </div>
              ${model.splitK ? renderSplitK(model, model.splitK, this.plotRows(model)) : nothing}`
          : html`<div class="status">${this.task.status === 'pending' ? 'tracing…' : ''}</div>`
      }
    `;
  }

  private statusText(model: FlashTilesModel): string {
    if (model.source === 'gpu') {
      const err =
        model.outputMaxAbsErr === null
          ? ''
          : `; its output for this block is within ${model.outputMaxAbsErr.toExponential(1)} of the float64 reference`;
      return `GPU trace from ${model.sourceName}, tiles ${model.blockQ}×${model.blockK}${err}.`;
    }
    return `CPU trace: ${model.sourceName}, tiles ${model.blockQ}×${model.blockK}, because ${model.cpuReason}.`;
  }

  private renderControls(model: FlashTilesModel | null): TemplateResult {
    const S = model?.trace.steps.length ?? 0;
    const cur = this.currentStep();
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
          @input=${(e: Event) => {
            this.playing = false;
            this.setStep(Number((e.target as HTMLInputElement).value));
          }}
      /></label>
      <span>
        <button
          type="button"
          name="prev"
          @click=${() => {
            this.playing = false;
            this.setStep(cur - 1);
          }}
          ?disabled=${!model || cur <= 0}
          title="previous tile"
        >
          ◀
        </button>
        <button
          type="button"
          name="play"
          @click=${() => {
            if (!this.playing && cur >= S) this.setStep(0);
            this.playing = !this.playing;
          }}
          ?disabled=${!model}
        >
          ${this.playing ? 'pause' : 'play'}
        </button>
        <button
          type="button"
          name="next"
          @click=${() => {
            this.playing = false;
            this.setStep(cur + 1);
          }}
          ?disabled=${!model || cur >= S}
          title="next tile"
        >
          ▶
        </button>
      </span>
      <label
        >query block
        <select name="query-block" @change=${(e: Event) => this.traceRow(Number((e.target as HTMLSelectElement).value))}>
          ${Array.from({ length: model?.qBlocks ?? 1 }, (_, b) => html`<option value=${b} ?selected=${b === (model?.queryBlock ?? this.queryBlock)}>${b}</option>`)}
        </select></label
      >
      <label
        >rows (offsets in the block)
        <input
          type="text"
          name="rows"
          class="rows"
          .value=${model ? this.plotRows(model).join(',') : ''}
          placeholder="0,15,31"
          @change=${(e: Event) => this.setState('rows', (e.target as HTMLInputElement).value)}
      /></label>
      <label class="inline"
        ><input
          type="checkbox"
          name="causal"
          .checked=${this.causal}
          @change=${(e: Event) => {
            this.setState('step', null);
            this.setState('causal', (e.target as HTMLInputElement).checked);
          }}
        />
        causal</label
      >
      ${
        this.data
          ? nothing
          : html`<label
                >pattern
                <select
                  name="pattern"
                  @change=${(e: Event) => {
                    this.setState('step', null);
                    this.setState('pattern', (e.target as HTMLSelectElement).value);
                  }}
                >
                  ${PATTERNS.map((p) => html`<option value=${p} ?selected=${p === this.pattern}>${p}</option>`)}
                </select></label
              >
              <label
                >N
                <select
                  name="n"
                  @change=${(e: Event) => {
                    this.setState('step', null);
                    this.setState('nk', null);
                    this.setState('n', Number((e.target as HTMLSelectElement).value));
                  }}
                >
                  ${[64, 128, 256, 512].map((v) => html`<option value=${v} ?selected=${v === this.n}>${v}</option>`)}
                </select></label
              >`
      }
      <span>
        <button type="button" @click=${() => this.download('svg')} ?disabled=${!model}>SVG</button>
        <button type="button" @click=${() => this.download('png')} ?disabled=${!model}>PNG</button>
        <button type="button" @click=${() => this.download('json')} ?disabled=${!model}>trace JSON</button>
      </span>
    </div>`;
  }

  private renderGrid(model: FlashTilesModel): TemplateResult {
    const { qBlocks, kBlocks, queryBlock } = model;
    const px = Math.max(6, Math.min(34, Math.floor(300 / Math.max(qBlocks, kBlocks))));
    const left = 34;
    const top = 28;
    const width = left + kBlocks * px + 8;
    // Tall enough for the rotated axis label even when there are few query blocks.
    const height = top + Math.max(qBlocks * px, 130) + 30;
    const cur = this.currentStep();
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
            @click=${() => this.onTileClick(model, qb, kb)}></rect>`,
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
        @keydown=${(e: KeyboardEvent) => this.onGridKey(e, model)}
        @blur=${() => (this.cursor = null)}
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
        ${this.cursor ? svg`<rect class="cursor" x=${left + this.cursor.col * px} y=${top + this.cursor.row * px} width=${px} height=${px}></rect>` : nothing}
        <text class="axis-text" x=${left} y=${top + qBlocks * px + 16}>${this.gridCaption(model, cur)}</text>
      </svg>
      <figcaption style=${styleMap({ maxWidth: `${Math.max(width, 240)}px` })}>
        Row ${queryBlock} is traced: blue tiles are done, the dark one is being processed, hatched tiles are skipped${skipReason(model)}.
        Click a row to trace it, a tile to step to it (or focus the grid: arrow keys, Enter).
      </figcaption>
    </figure>`;
  }

  private gridCaption(model: FlashTilesModel, cur: number): string {
    const steps = model.trace.steps;
    const visited = steps.filter((s) => !s.skipped).length;
    if (cur === 0) return `before the first tile · ${visited} of ${steps.length} tiles will be visited`;
    const s = steps[cur - 1]!;
    return `tile ${s.kBlock} (keys ${s.kBlock * model.blockK}–${Math.min(model.Nk, (s.kBlock + 1) * model.blockK) - 1})${s.skipped ? ': skipped' : ''} · ${visited} of ${steps.length} visited`;
  }

  private onTileClick(model: FlashTilesModel, qb: number, kb: number): void {
    this.playing = false;
    if (qb !== model.queryBlock) return this.traceRow(qb);
    this.setStep(kb + 1);
  }

  /** Traces query block `qb` from its last tile (the `query-block` attribute set, `step` removed). */
  private traceRow(qb: number): void {
    this.setState('step', null);
    this.setState('queryBlock', qb);
  }

  /** The keyboard on the grid: the arrows move over the tiles, Enter does what a click does, Escape leaves. */
  private onGridKey(e: KeyboardEvent, model: FlashTilesModel): void {
    const at = this.cursor ?? { row: model.queryBlock, col: Math.max(0, this.currentStep() - 1) };
    const r = gridKey(e.key, at, model.qBlocks, model.kBlocks, { ctrl: e.ctrlKey });
    if (r === null) return;
    e.preventDefault();
    if (r === 'leave') this.cursor = null;
    else if (r === 'select') this.onTileClick(model, at.row, at.col);
    else this.cursor = r;
  }

  private renderPlot(model: FlashTilesModel, which: 'm' | 'l'): TemplateResult {
    const steps = model.trace.steps;
    const S = steps.length;
    const rows = this.plotRows(model);
    const cur = this.currentStep();
    const width = 330;
    const height = 150;
    const m = { l: 48, r: 12, t: 12, b: 26 };
    const x = scaleLinear()
      .domain([0, Math.max(1, S)])
      .range([m.l, width - m.r]);
    const vals: number[] = [];
    for (const r of rows) {
      const e = which === 'm' ? model.exact.max[r]! : model.exact.sum[r]!;
      if (Number.isFinite(e)) vals.push(e);
      for (const s of steps) {
        const v = which === 'm' ? s.m[r]! : s.l[r]!;
        if (Number.isFinite(v)) vals.push(v);
      }
    }
    const lo = vals.length ? Math.min(...vals) : 0;
    const hi = vals.length ? Math.max(...vals) : 1;
    const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
    const y = scaleLinear()
      .domain([which === 'l' ? Math.min(0, lo) : lo - pad, hi + pad])
      .nice()
      .range([height - m.b, m.t]);
    const path = line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    const series = rows.map((r, idx) => {
      const color = seriesColor(idx);
      const pts: [number, number][] = [];
      for (let t = 1; t <= cur; t++) {
        const v = which === 'm' ? steps[t - 1]!.m[r]! : steps[t - 1]!.l[r]!;
        if (Number.isFinite(v)) pts.push([t, v]);
      }
      const exact = which === 'm' ? model.exact.max[r]! : model.exact.sum[r]!;
      return svg`<g class="series" data-row=${model.trace.rows[r]}>
        ${Number.isFinite(exact) ? svg`<line class="exact" x1=${m.l} x2=${width - m.r} y1=${y(exact)} y2=${y(exact)} stroke=${color}></line>` : nothing}
        <path class="run" d=${path(pts) ?? ''} stroke=${color}></path>
        ${pts.map(([t, v]) => svg`<circle cx=${x(t)} cy=${y(v)} r="3" fill=${steps[t - 1]!.skipped ? 'none' : color} stroke=${color}></circle>`)}
      </g>`;
    });
    const label = which === 'm' ? 'running max m (dashed: naive row max)' : 'running sum l (dashed: naive Σ e^(s − max))';
    return html`<figure class="plot">
      <svg class="plot plot-${which}" width=${width} height=${height} role="img" aria-label=${label}>
        ${y.ticks(4).map((t) => svg`<line class="gridline" x1=${m.l} x2=${width - m.r} y1=${y(t)} y2=${y(t)}></line><text class="axis-text" x=${m.l - 4} y=${y(t)} text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`)}
        ${x
          .ticks(Math.min(S, 8))
          .filter(Number.isInteger)
          .map((t) => svg`<text class="axis-text" x=${x(t)} y=${height - m.b + 12} text-anchor="middle">${t}</text>`)}
        <text class="axis-text" x=${width - m.r} y=${height - 2} text-anchor="end">tiles processed</text>
        <line class="now" x1=${x(cur)} x2=${x(cur)} y1=${m.t} y2=${height - m.b}></line>
        ${series}
      </svg>
      <figcaption>${label}. Hollow points: skipped tiles.</figcaption>
    </figure>`;
  }

  private renderTable(model: FlashTilesModel): TemplateResult {
    const rows = this.plotRows(model);
    const cur = this.currentStep();
    const s = cur > 0 ? model.trace.steps[cur - 1]! : null;
    return html`<table class="stats">
      <thead>
        <tr>
          <th>row</th>
          <th>m</th>
          <th>l</th>
          <th>rescale</th>
          <th>naive max</th>
          <th>naive sum</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r, idx) =>
            html`<tr data-row=${model.trace.rows[r]}>
              <td><span class="swatch" style=${styleMap({ background: seriesColor(idx) })}></span>${model.trace.rows[r]}</td>
              <td>${s ? fmt(s.m[r]!) : '−∞'}</td>
              <td>${s ? fmt(s.l[r]!) : '0'}</td>
              <td>${s ? fmt(s.rescale[r]!) : '—'}</td>
              <td>${fmt(model.exact.max[r]!)}</td>
              <td>${fmt(model.exact.sum[r]!)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderMeter(model: FlashTilesModel): TemplateResult {
    const { naiveScoreBytes, flashTileBytes, outputBytes } = model.memory;
    const width = 330;
    const bar = 14;
    const max = Math.max(naiveScoreBytes, flashTileBytes, outputBytes);
    const w = scaleLinear()
      .domain([0, max])
      .range([0, width - 150]);
    const items: [string, number, string][] = [
      [`naive: S, ${model.Nq}×${model.Nk} f32`, naiveScoreBytes, 'meter-naive'],
      ['flash: one workgroup’s tiles', flashTileBytes, 'meter-flash'],
      [`output O, ${model.Nq}×${model.d} (both)`, outputBytes, 'meter-out'],
    ];
    return html`<figure class="meter">
      <svg class="meter" width=${width} height=${items.length * (bar + 18) + 6} role="img" aria-label="memory meter">
        ${items.map(
          ([name, bytes, cls], i) => svg`<text class="axis-text" x="0" y=${i * (bar + 18) + 10}>${name}</text>
            <rect class=${cls} x="0" y=${i * (bar + 18) + 14} width=${Math.max(2, w(bytes))} height=${bar} data-bytes=${bytes}></rect>
            <text class="axis-text" x=${Math.max(2, w(bytes)) + 6} y=${i * (bar + 18) + 25}>${formatBytes(bytes)}</text>`,
        )}
      </svg>
      <figcaption>
        Per head, naive allocates the whole N×N score matrix (and P) in global memory: O(N²). Flash allocates no N×N buffer; its global
        buffers are Q, K, V and O, O(N·d). Each resident workgroup holds tiles of this size, so the on-chip total is this times the
        workgroups in flight.
      </figcaption>
    </figure>`;
  }

  protected override get exportReady(): boolean {
    return this.task.value !== null;
  }

  /** The trace, exact statistics and memory as JSON text. */
  exportJson(): string {
    const model = this.task.value;
    if (!model) throw new Error('flash-tiles: nothing to export yet');
    return toJsonText(flashTilesJson(model));
  }

  /** Offers an export as a download. */
  async download(kind: 'svg' | 'png' | 'json'): Promise<void> {
    if (kind === 'svg') download('flash-tiles.svg', this.exportSvg(), 'image/svg+xml');
    else if (kind === 'png') download('flash-tiles.png', await this.exportPng());
    else download('flash-tiles.json', this.exportJson(), 'application/json');
  }
}

/** Checks `{q, k, v}` given as the `data` property: one (batch, head), matching shapes, finite values. */
function checkFlashData(data: FlashInputs): FlashInputs {
  attentionDims('flash-tiles', data.q, data.k, data.v);
  if (data.q.shape[0] !== 1 || data.q.shape[1] !== 1) throw new Error('must be one (batch, head): shapes [1, 1, N, d]');
  for (const [name, t] of Object.entries(data)) {
    const bad = Array.prototype.findIndex.call(t.data, (x: number) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`${name}.data[${bad}] is ${t.data[bad]}; every value must be finite`);
  }
  return data;
}

function fmt(v: number): string {
  if (v === -Infinity) return '−∞';
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

function formatBytes(b: number): string {
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(1)} MiB`;
  if (b >= 1 << 10) return `${(b / (1 << 10)).toFixed(1)} KiB`;
  return `${b} B`;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

if (!customElements.get('flash-tiles')) customElements.define('flash-tiles', FlashTiles);

declare global {
  interface HTMLElementTagNameMap {
    'flash-tiles': FlashTiles;
  }
}
