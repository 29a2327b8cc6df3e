/**
 * `<attention-map>`: one head's Nq×Nk attention weights as a heatmap, or small
 * multiples of every head, with token labels on both axes. Hover a cell for its
 * query, key and weight; click a row for that query's distribution as bars. Cells
 * hidden by the causal mask or by padding are hatched in the mask colour, so a
 * masked cell never reads as a weight of 0.
 *
 * Data comes three ways, in this order of precedence:
 * 1. the `data` property (or the `data` attribute as JSON): `{q, k}` (`[H, N, d]` or
 *    `[B, H, N, d]`, batch 0 drawn) or ready `{weights}` (`[Nq, Nk]` or `[H, Nq, Nk]`,
 *    optional `logits`, `mask`), with optional `tokens` / `queryLabels` / `keyLabels`.
 *    Bad data shows an inline error and the element keeps its last good state;
 * 2. a seeded `pattern` (local, sink, previous, random, mixed), generated on the CPU;
 * Q/K are turned into weights by the project's kernel (`attentionMapWeights`) on the
 * page's shared GPU, or by the float64 CPU reference where there is none (it says so).
 *
 * Maps with more than `canvas-threshold` cells are drawn on a 2-D canvas, smaller ones
 * as SVG; axes, legend and bars are always SVG.
 *
 * Every attribute is read through its spec (`attention-map-attributes.ts`): a bad value
 * (out of range, not a number, not one of the choices, bad JSON or bad data) shows an
 * inline error, fires `ks-error`, and the last good state stays until it is fixed.
 *
 * @attr data - JSON input (see above).
 * @attr pattern - seeded pattern when no data is given: local | sink | previous | random | mixed.
 * @attr seed - the pattern's seed, 0 … 2³²−1 (default 1).
 * @attr n - the pattern's sequence length, 1 … 1024 (default 32).
 * @attr heads - the pattern's head count, 1 … 64 (default 4); heads × n² ≤ 4 Mi cells.
 * @attr dim - the pattern's head dim, 8 … 256 (default 32).
 * @attr window - the width σ in tokens (0.25 … 1024) of the local window of `local` and `sink` heads (default 2–4).
 * @attr head - the head drawn (0 … 63), or `all` for small multiples (default 0).
 * @attr temperature - divides the logits: scale = 1 / (√d · temperature), 0.01 … 100 (default 1).
 * @attr causal - bottom-right aligned causal mask.
 * @attr key-length - keys at or past this index are padding, 0 … 1024 (default: none).
 * @attr sliding-window - sliding-window attention: each query sees the `sliding-window` keys left of its
 *   diagonal and the diagonal, 0 … 1024 (default: none); the keys outside are hatched as masked.
 * @attr kv-heads - grouped-query attention for a pattern: the heads share keys in this many groups (a divisor
 *   of `heads`, 1 … 64; default: one key head per query head). Data with fewer key heads than query heads is
 *   grouped the same way. Each map's caption names its key head.
 * @attr mode - `weights` (softmax) or `logits` (raw scaled logits).
 * @attr canvas-threshold - cells per map above which a canvas is used, 0 … 4 Mi (default 4096).
 * @attr size - the side of a single map's plot in px, 64 … 2048 (default 400).
 * @attr color-scale - `linear` (default) or `sqrt`, which lifts small weights into view on big maps.
 * @attr no-controls - hides the built-in controls.
 * @attr backend - `auto` (shared GPU, else CPU) or `cpu`.
 * @attr selected-query - the query row whose bars are shown (-1: none); set by a click, or Enter on the focused map
 *   (the arrow keys move over the cells).
 *
 * @prop gpu - a `Gpu` to use instead of the page's shared one.
 * @prop model - (read-only) what is drawn: weights, logits, mask, labels, source.
 *
 * @fires ks-hover - `{head, query, key, value, masked, queryLabel, keyLabel}` when the hovered cell changes.
 * @fires ks-query-select - `{head, query, weights}` when a query row is clicked.
 * @fires ks-change - `{attribute, value, temperature, causal, head, mode, pattern, seed}` when a control, a click or a key
 *   changes an attribute (the state lives in attributes, so a page can keep it).
 * @fires ks-rendered - `{source, renderer, H, Nq, Nk}` after new weights are drawn.
 * @fires ks-error - `{attribute, value, message}` when an attribute or the data is bad, or (with `attribute: null`)
 *   when the computation fails; the last good state stays.
 *
 * @cssprop --ks-mask - masked cells (hatched).
 * @cssprop --ks-fg, --ks-bg, --ks-muted, --ks-grid, --ks-panel, --ks-accent, --ks-error - the palette.
 */
import { KS_STYLES } from '../styles';
import { html, nothing, type PropertyValues } from 'lit';
import type { Gpu } from '../../gpu/device';
import { svgToPng, toJsonText, download } from '../export';
import { snapshotSvg, svgSize } from '../svg-snapshot';
import { GpuTask } from '../task';
import type { AttentionPattern } from './patterns';
import { AttributeElement } from '../attribute-element';
import { onGridKeydown } from '../grid-keys';
import { GRID_ELEMENT_STYLES } from '../grid-styles';
import { attributeProperties } from '../attributes';
import { ATTENTION_MAP_ATTRIBUTES } from './attributes';
import {
  checkInput,
  computeModel,
  displayValues,
  modelJson,
  type AttentionMapInput,
  type AttentionMapModel,
  type CheckedInput,
  type ComputeOptions,
} from './data';
import { ATTENTION_MAP_STYLES } from './styles';
import { cellAt, mapLayout, renderMaps, type Hover, type MapEvents } from './draw';
import { drawHeatCanvas } from './canvas';
import { renderBars } from './bars';
import { renderControls, type ControlsActions } from './controls';
import { checkPatternCells, patternInput } from './pattern';
import { hoverText, statusText } from './text';

export { attentionColor, valueDomain } from './draw';

export class AttentionMap extends AttributeElement {
  static override attributeSpecs = ATTENTION_MAP_ATTRIBUTES;
  static override properties = {
    ...attributeProperties(ATTENTION_MAP_ATTRIBUTES),
    gpu: { attribute: false },
    hover: { state: true },
    selectedHead: { state: true },
  };

  declare data: AttentionMapInput | string | null;
  declare pattern: AttentionPattern | '';
  declare seed: number;
  declare n: number;
  declare heads: number;
  declare dim: number;
  declare window: number | null;
  declare head: number;
  declare temperature: number;
  declare causal: boolean;
  declare keyLength: number | null;
  declare slidingWindow: number | null;
  declare kvHeads: number | null;
  declare mode: 'weights' | 'logits';
  declare canvasThreshold: number;
  declare size: number;
  declare colorScale: 'linear' | 'sqrt';
  declare noControls: boolean;
  declare backend: 'auto' | 'cpu';
  declare selectedQuery: number;
  declare gpu: Gpu | null;
  declare hover: Hover | null;
  declare selectedHead: number;

  /** The last valid input (kept when new input is bad). */
  private checked: CheckedInput | null = null;
  private inputVersion = 0;
  /** The task's key as of the last update with every attribute good. */
  private taskKey: string | null = null;
  private readonly task: GpuTask<AttentionMapModel>;

  /** What the controls do: set an attribute (firing `ks-change` with their state), or offer a download. */
  private readonly controlsActions: ControlsActions = {
    change: (property, value, state) => this.setState(property, value, state),
    download: (kind) => void this.download(kind),
  };

  static override styles = [KS_STYLES, GRID_ELEMENT_STYLES, ATTENTION_MAP_STYLES];

  /** What a map's pointer, keys and focus do (see `attention-map-draw.ts`). */
  private readonly mapEvents: MapEvents = {
    pointer: (e, model, head, lay) => {
      const at = cellAt(e, model, lay);
      if (at) this.hoverCell(model, head, at);
    },
    leave: () => (this.hover = null),
    click: (e, model, head, lay) => {
      const at = cellAt(e, model, lay);
      if (at) this.selectQuery(at.i, head);
    },
    key: (e, model, head) => this.onMapKey(e, model, head),
    focus: (model, head) => {
      if (this.hover?.head !== head) this.hoverCell(model, head, { i: Math.max(0, this.selectedQuery), j: 0 });
    },
  };

  constructor() {
    super();
    this.gpu = null;
    this.hover = null;
    this.selectedHead = 0;
    this.task = new GpuTask<AttentionMapModel>(this, {
      // While an attribute is bad, the key stays where it was: nothing new is computed.
      key: () => {
        if (!this.attributesBlocked)
          this.taskKey = this.checked ? JSON.stringify([this.inputVersion, this.computeOptions(), this.backend]) : null;
        return this.taskKey;
      },
      device: () => (this.backend === 'cpu' ? 'cpu' : (this.gpu ?? undefined)),
      run: (gpu, signal) => computeModel(this.checked!, this.computeOptions(), gpu, signal),
      onSettled: (status, value, error) => {
        if (status === 'done' && value) {
          void this.updateComplete.then(() =>
            this.fire('ks-rendered', {
              source: value.source,
              renderer: mapLayout(value, false, this).canvas ? 'canvas' : 'svg',
              H: value.H,
              Nq: value.Nq,
              Nk: value.Nk,
            }),
          );
        } else this.fireRunError(errorMessage(error));
      },
    });
  }

  /** What is drawn (the last good result), or null before the first one. */
  get model(): AttentionMapModel | null {
    return this.task.value;
  }

  private computeOptions(): ComputeOptions {
    const Nk = this.checked?.Nk ?? 0;
    return { causal: this.causal, temperature: this.temperature, keyLength: this.keyLength ?? Nk, window: this.slidingWindow };
  }

  /** The data attribute (or property) must also be a valid input: checked here, before it is accepted. */
  protected override checkAttribute(property: string, value: unknown): unknown {
    return property === 'data' && value !== null ? checkInput(value) : value;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const inputs = ['data', 'pattern', 'seed', 'n', 'heads', 'dim', 'window', 'kvHeads'] as const;
    const changes = this.takeChanges();
    const ready = changes !== null && (inputs.some((p) => changes.has(p)) || this.checked === null);
    if (!ready && !inputs.some((p) => changed.has(p))) return;
    if (this.checkAcross(() => checkPatternCells(this, this.attributeValue('data') !== null)) && ready) this.readInput();
  }

  /** The input to draw: the data attribute (already checked), else the seeded pattern. */
  private readInput(): void {
    let next = this.attributeValue('data') as CheckedInput | null;
    if (!next && this.pattern) next = patternInput(this.pattern, this);
    if (next) {
      this.checked = next;
      this.inputVersion += 1;
      if (this.head >= next.H) this.head = 0;
      if (this.selectedQuery >= next.Nq) this.selectedQuery = -1;
    }
  }

  override render() {
    const model = this.task.value;
    const error = this.attributeError?.message ?? (this.task.status === 'error' ? errorMessage(this.task.error) : null);
    const status = {
      pending: this.task.status === 'pending',
      cpuReason: this.task.cpuReason,
      hasInputOrError: Boolean(this.checked || this.attributeError),
    };
    return html`
      ${this.noControls ? nothing : renderControls(this, model, this.checked, this.controlsActions)}
      ${error ? html`<div class="error" role="alert">${error}${model ? ' (showing the last good state)' : ''}</div>` : nothing}
      <div class="status" part="status">${statusText(model, status)}</div>
      ${model ? renderMaps(this, model, this.mapEvents) : nothing}
      <div class="tooltip" aria-live="polite">${model && this.hover ? hoverText(model, this.hover, this.mode) : nothing}</div>
      ${model && this.selectedQuery >= 0 && this.selectedQuery < model.Nq ? renderBars(this, model) : nothing}
    `;
  }

  /** The keyboard on a map: the arrows move the hovered cell, Enter selects its query, Escape leaves. */
  private onMapKey(e: KeyboardEvent, model: AttentionMapModel, head: number): void {
    const hv = this.hover?.head === head ? this.hover : null;
    onGridKeydown(e, {
      at: hv ? { row: hv.i, col: hv.j } : { row: Math.max(0, this.selectedQuery), col: 0 },
      rows: model.Nq,
      cols: model.Nk,
      move: (cell) => this.hoverCell(model, head, { i: cell.row, j: cell.col }),
      select: (cell) => this.selectQuery(cell.row, head),
      leave: () => (this.hover = null),
    });
  }

  private hoverCell(model: AttentionMapModel, head: number, at: { i: number; j: number }): void {
    if (this.hover && this.hover.head === head && this.hover.i === at.i && this.hover.j === at.j) return;
    this.hover = { head, ...at };
    const c = at.i * model.Nk + at.j;
    this.fire('ks-hover', {
      head,
      query: at.i,
      key: at.j,
      value: displayValues(model, head, this.mode)[c],
      masked: model.mask[c] !== 0,
      queryLabel: model.queryLabels[at.i],
      keyLabel: model.keyLabels[at.j],
    });
  }

  /** Shows query `query`'s distribution (of `head`, default the current one) as bars. */
  selectQuery(query: number, head = this.head < 0 ? 0 : this.head): void {
    const model = this.task.value;
    if (!model || query < 0 || query >= model.Nq) return;
    this.selectedHead = head;
    if (this.selectedQuery !== query) this.setState('selectedQuery', query, { head });
    const n = model.Nk;
    const row = Array.from(model.weights.subarray((head * model.Nq + query) * n, (head * model.Nq + query + 1) * n));
    this.fire('ks-query-select', { head, query, weights: row });
  }

  protected override updated(): void {
    const model = this.task.value;
    if (!model) return;
    const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.heat');
    if (canvases.length === 0) return;
    const style = getComputedStyle(this);
    const maskColor = style.getPropertyValue('--_mask').trim() || '#9aa0a6';
    const lineColor = style.getPropertyValue('--_bg').trim() || '#ffffff';
    for (const canvas of canvases)
      drawHeatCanvas(canvas, model, Number(canvas.dataset.head), this.mode, this.colorScale, maskColor, lineColor);
  }

  /** The displayed value of a cell (NaN when masked), as drawn. */
  cellValue(head: number, query: number, key: number): number {
    const model = this.task.value;
    if (!model) return NaN;
    return displayValues(model, head, this.mode)[query * model.Nk + key]!;
  }

  protected override get exportReady(): boolean {
    return this.task.value !== null;
  }

  /**
   * What the element shows (controls left out) as one standalone SVG document; with `head`,
   * only that head's map. A canvas map is embedded as an image.
   */
  override exportSvg(head?: number): string {
    if (head === undefined) return super.exportSvg();
    if (!this.task.value) throw new Error('attention-map: nothing to export yet');
    if (!this.renderRoot.querySelector(`svg.map[data-head="${head}"]`))
      throw new Error(`attention-map: head ${head} is not drawn; switch to it or to all heads first`);
    const others = `.maps > figure:not([data-head="${head}"]), figure.bars, .status, .tooltip`;
    return snapshotSvg(this.renderRoot as ShadowRoot, { skip: `${this.exportSkip()}, ${others}` });
  }

  /** The SVG export (of `head`, or of everything shown) as a PNG, at `scale`× its size. */
  override async exportPng(head?: number, scale = 2): Promise<Blob> {
    const text = this.exportSvg(head);
    const { width, height } = svgSize(text);
    return svgToPng(text, width, height, scale);
  }

  /** The weights, logits, mask and labels as JSON text. */
  exportJson(): string {
    const model = this.task.value;
    if (!model) throw new Error('attention-map: nothing to export yet');
    return toJsonText(modelJson(model, this.computeOptions()));
  }

  /** Offers an export as a download. */
  async download(kind: 'svg' | 'png' | 'json'): Promise<void> {
    if (kind === 'svg') download('attention-map.svg', this.exportSvg(), 'image/svg+xml');
    else if (kind === 'png') download('attention-map.png', await this.exportPng());
    else download('attention-map.json', this.exportJson(), 'application/json');
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

if (!customElements.get('attention-map')) customElements.define('attention-map', AttentionMap);

declare global {
  interface HTMLElementTagNameMap {
    'attention-map': AttentionMap;
  }
}
