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
import { KS_STYLES } from '../styles';
import { html, nothing, type PropertyValues } from 'lit';
import type { Gpu } from '../../gpu/device';
import { toJsonText, download } from '../export';
import { GpuTask } from '../task';
import type { AttentionPattern } from '../attention-map/patterns';
import { computeFlashTiles, flashTilesJson, type FlashInputs, type FlashTilesModel, type FlashTraceSource } from './data';
import { defaultFlashTraceSource } from './gpu';
import { renderSplitK } from './splitk';
import { AttributeElement } from '../attribute-element';
import { onGridKeydown, type Cell } from '../grid-keys';
import { GRID_ELEMENT_STYLES } from '../grid-styles';
import { attributeProperties } from '../attributes';
import { FLASH_TILES_ATTRIBUTES } from './attributes';
import { FLASH_TILES_STYLES } from './styles';
import { checkFlashData, patternInputs } from './inputs';
import { flashStatusText, renderFlashControls, type FlashControlsActions } from './controls';
import { renderTileGrid, type GridEvents } from './grid';
import { renderMemoryMeter, renderStatPlot, renderStatTable } from './draw';

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

  static override styles = [KS_STYLES, GRID_ELEMENT_STYLES, FLASH_TILES_STYLES];

  /** What the controls do: step, play, trace a row, set an attribute (each fires `ks-change`), offer a download. */
  private readonly controlsActions: FlashControlsActions = {
    goTo: (step) => {
      this.playing = false;
      this.setStep(step);
    },
    togglePlay: () => {
      if (!this.playing && this.currentStep() >= (this.task.value?.trace.steps.length ?? 0)) this.setStep(0);
      this.playing = !this.playing;
    },
    traceRow: (qb) => this.traceRow(qb),
    set: (...changes) => {
      for (const [property, value] of changes) this.setState(property, value);
    },
    download: (kind) => void this.download(kind),
  };

  /** What the tile grid's clicks and keys do (see `flash-tiles-grid.ts`). */
  private readonly gridEvents: GridEvents = {
    tile: (model, qb, kb) => this.onTileClick(model, qb, kb),
    key: (e, model) => this.onGridKey(e, model),
    blur: () => (this.cursor = null),
  };

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
      const data = this.checkAcross(() => (this.data ? checkFlashData(this.data) : null));
      if (data !== undefined && ready) this.readInputs(data);
    }
    if (changed.has('playing')) {
      if (this.playing) this.startTimer();
      else this.stopTimer();
    }
  }

  /** The Q, K, V to trace: `data` when given, else the seeded pattern of the attributes. */
  private readInputs(data: FlashInputs | null): void {
    this.inputs = data ?? patternInputs(this);
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
    const cur = this.currentStep();
    const rows = model ? this.plotRows(model) : null;
    return html`
      ${this.noControls ? nothing : renderFlashControls(this, model, cur, rows, this.controlsActions)}
      ${error ? html`<div class="error" role="alert">${error}${model ? ' (showing the last good state)' : ''}</div>` : nothing}
      ${
        model && rows
          ? html`<div class="status ${model.source}" part="status">${flashStatusText(model)}</div>
              <div class="panels">
                ${renderTileGrid(model, cur, this.cursor, this.gridEvents)}
                <div>${renderStatPlot(model, 'm', rows, cur)}${renderStatPlot(model, 'l', rows, cur)}</div>
                <div>${renderStatTable(model, rows, cur)}${renderMemoryMeter(model)}</div>
              </div>
              ${model.splitK ? renderSplitK(model, model.splitK, rows) : nothing}`
          : html`<div class="status">${this.task.status === 'pending' ? 'tracing…' : ''}</div>`
      }
    `;
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
    onGridKeydown(e, {
      at: this.cursor ?? { row: model.queryBlock, col: Math.max(0, this.currentStep() - 1) },
      rows: model.qBlocks,
      cols: model.kBlocks,
      move: (cell) => (this.cursor = cell),
      select: (cell) => this.onTileClick(model, cell.row, cell.col),
      leave: () => (this.cursor = null),
    });
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

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

if (!customElements.get('flash-tiles')) customElements.define('flash-tiles', FlashTiles);

declare global {
  interface HTMLElementTagNameMap {
    'flash-tiles': FlashTiles;
  }
}
