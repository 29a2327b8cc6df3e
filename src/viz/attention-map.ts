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
import { KS_STYLES } from './styles';
import { css, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { scaleBand, scaleLinear } from 'd3';
import type { Gpu } from '../gpu/device';
import { sequential } from './palette';
import { svgToPng, toJsonText, download } from './export';
import { snapshotSvg, svgSize } from './svg-snapshot';
import { GpuTask } from './task';
import { ATTENTION_PATTERNS, generatePattern, type AttentionPattern } from './attention-patterns';
import { AttributeElement } from './attribute-element';
import { gridKey } from './grid-keys';
import { AttributeError, attributeProperties } from './attributes';
import { ATTENTION_MAP_ATTRIBUTES, MAP_LIMITS } from './attention-map-attributes';
import {
  MASK_DATA,
  MASK_PADDING,
  MASK_WINDOW,
  checkInput,
  groupKeys,
  maskName,
  computeModel,
  displayValues,
  modelJson,
  type AttentionMapInput,
  type AttentionMapModel,
  type CheckedInput,
  type ComputeOptions,
} from './attention-map-data';

/** The colour of `value` on the map's scale [lo, hi] (viridis), optionally through a square root. */
export function attentionColor(value: number, lo: number, hi: number, colorScale: 'linear' | 'sqrt' = 'linear'): string {
  const t = Math.max(0, Math.min(1, hi > lo ? (value - lo) / (hi - lo) : 1));
  return sequential(colorScale === 'sqrt' ? Math.sqrt(t) : t);
}

/** The colour domain of one head's displayed values (NaN = masked, skipped). */
export function valueDomain(values: Float32Array, mode: 'weights' | 'logits'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === -Infinity) return [0, 1];
  if (mode === 'weights') lo = 0;
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

interface Hover {
  head: number;
  i: number;
  j: number;
}

interface MapLayout {
  plot: number;
  cell: number;
  left: number;
  top: number;
  width: number;
  height: number;
  canvas: boolean;
}

const MARGIN_LEFT = 78;
const MARGIN_TOP = 64;
const LEGEND = 64;

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
      input.seed {
        width: 5em;
      }
      .error {
        color: var(--_error);
        border-left: 3px solid var(--_error);
        padding: 0.2rem 0.6rem;
        margin: 0.3rem 0;
        white-space: pre-wrap;
      }
      .status {
        color: var(--_muted);
        font-size: 0.8rem;
        margin: 0.2rem 0;
      }
      .maps {
        display: flex;
        flex-wrap: wrap;
        gap: 0.8rem;
      }
      figure {
        margin: 0;
        position: relative;
      }
      figcaption {
        font-size: 0.8rem;
        color: var(--_muted);
        text-align: center;
      }
      .frame {
        position: relative;
      }
      canvas.heat {
        position: absolute;
        image-rendering: pixelated;
      }
      svg {
        display: block;
        overflow: visible;
      }
      rect.cell {
        shape-rendering: crispEdges;
      }
      svg.map:focus-visible {
        outline: 2px solid var(--_accent);
        outline-offset: 2px;
      }
      svg.map {
        position: relative;
      }
      .axis-label {
        fill: var(--_muted);
        font-size: 10px;
        font-family: ui-monospace, monospace;
      }
      .title {
        fill: var(--_fg);
        font-size: 11px;
      }
      .hit {
        fill: transparent;
        cursor: crosshair;
      }
      .outline {
        fill: none;
        stroke: var(--_accent);
        stroke-width: 2;
        pointer-events: none;
      }
      .hover-outline {
        fill: none;
        stroke: var(--_fg);
        stroke-width: 1.5;
        pointer-events: none;
      }
      .hatch-bg {
        fill: var(--_mask);
      }
      .hatch-line {
        stroke: var(--_bg);
        stroke-width: 1.2;
        stroke-opacity: 0.55;
      }
      .tooltip {
        min-height: 1.4em;
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
        margin: 0.2rem 0;
      }
      .bar {
        fill: var(--_accent);
      }
      .bar-mask {
        fill: url(#am-hatch-causal);
        opacity: 0.5;
      }
      .legend-text {
        fill: var(--_muted);
        font-size: 10px;
      }
      .gridline {
        stroke: var(--_grid);
      }
    `,
  ];

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
              renderer: this.layout(value, false).canvas ? 'canvas' : 'svg',
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
    if (this.checkAcross(() => this.checkCells()) && ready) this.readInput();
  }

  /** The seeded pattern's size rule (heads × n² cells), across three attributes; kv-heads must divide heads. */
  private checkCells(): true {
    if (this.kvHeads !== null && this.heads % this.kvHeads !== 0) {
      const message = `attention-map: kv-heads ${this.kvHeads} must divide heads ${this.heads} (each key head serves heads / kv-heads query heads)`;
      throw new AttributeError('attention-map', 'kvHeads', this.kvHeads, 'a divisor of heads', message);
    }
    const cells = this.heads * this.n * this.n;
    if (this.attributeValue('data') === null && this.pattern && cells > MAP_LIMITS.maxCells) {
      const message = `attention-map: ${this.heads} heads × ${this.n}×${this.n} is ${cells} cells, more than the ${MAP_LIMITS.maxCells} this element draws`;
      throw new AttributeError('attention-map', 'n', this.n, 'fewer cells', message);
    }
    return true;
  }

  /** The input to draw: the data attribute (already checked), else the seeded pattern. */
  private readInput(): void {
    let next = this.attributeValue('data') as CheckedInput | null;
    if (!next && this.pattern) {
      const p = generatePattern({
        pattern: this.pattern,
        seed: this.seed,
        n: this.n,
        heads: this.heads,
        dim: this.dim,
        window: this.window ?? undefined,
      });
      const k = this.kvHeads !== null && this.kvHeads < this.heads ? groupKeys(p.k, this.kvHeads) : p.k;
      next = checkInput({ q: p.q, k, tokens: p.tokens, headNames: p.headPatterns.map((name, h) => `head ${h}: ${name}`) });
    }
    if (next) {
      this.checked = next;
      this.inputVersion += 1;
      if (this.head >= next.H) this.head = 0;
      if (this.selectedQuery >= next.Nq) this.selectedQuery = -1;
    }
  }

  private layout(model: AttentionMapModel, grid: boolean): MapLayout {
    const target = grid ? Math.max(120, Math.round(this.size * 0.5)) : this.size;
    const nMax = Math.max(model.Nq, model.Nk);
    const cell = Math.max(target / nMax, 0.5);
    const plot = cell * nMax;
    const left = grid ? 40 : MARGIN_LEFT;
    const top = grid ? 20 : MARGIN_TOP;
    return {
      plot,
      cell,
      left,
      top,
      width: left + cell * model.Nk + (grid ? 8 : LEGEND),
      height: top + cell * model.Nq + 8,
      canvas: model.Nq * model.Nk > this.canvasThreshold,
    };
  }

  override render() {
    const model = this.task.value;
    const error = this.attributeError?.message ?? (this.task.status === 'error' ? errorMessage(this.task.error) : null);
    return html`
      ${this.noControls ? nothing : this.renderControls(model)}
      ${error ? html`<div class="error" role="alert">${error}${model ? ' (showing the last good state)' : ''}</div>` : nothing}
      <div class="status" part="status">${this.statusText(model)}</div>
      ${model ? this.renderMaps(model) : nothing}
      <div class="tooltip" aria-live="polite">${model && this.hover ? this.hoverText(model, this.hover) : nothing}</div>
      ${model && this.selectedQuery >= 0 && this.selectedQuery < model.Nq ? this.renderBars(model) : nothing}
    `;
  }

  private statusText(model: AttentionMapModel | null): string {
    if (this.task.status === 'pending' && !model) return 'computing…';
    if (!model) return this.checked || this.attributeError ? '' : 'no data: set the data property, the data attribute or a pattern';
    const where =
      model.source === 'gpu'
        ? 'weights computed on the GPU by the attention-map kernel'
        : model.source === 'cpu'
          ? `weights computed by the float64 CPU reference: ${this.task.cpuReason ?? 'no GPU'}`
          : 'ready weights given as data';
    const scale = model.scale === null ? '' : `, scale ${model.scale.toPrecision(3)}`;
    const gqa =
      model.kvHeads < model.H
        ? ` (grouped-query: ${model.kvHeads} key head${model.kvHeads > 1 ? 's' : ''}, each shared by ${model.H / model.kvHeads})`
        : '';
    return `${model.H} head${model.H > 1 ? 's' : ''}${gqa} × ${model.Nq} queries × ${model.Nk} keys; ${where}${scale}${this.task.status === 'pending' ? ' (updating…)' : ''}`;
  }

  private renderControls(model: AttentionMapModel | null): TemplateResult {
    const H = model?.H ?? this.checked?.H ?? 1;
    const fromQk = this.checked?.kind !== 'weights';
    const hasLogits = fromQk || Boolean(model?.logits);
    // Each control sets its attribute (state a page can keep) and fires ks-change.
    const change = (property: string, value: unknown) => {
      const state = {
        temperature: this.temperature,
        causal: this.causal,
        head: this.head,
        mode: this.mode,
        pattern: this.pattern,
        seed: this.seed,
      };
      this.setState(property, value, { ...state, [property]: value });
    };
    return html`<div class="controls" part="controls">
      <label
        >temperature ${this.temperature.toPrecision(2)}
        <input
          type="range"
          name="temperature"
          min="-2"
          max="2"
          step="0.05"
          .value=${String(Math.log2(this.temperature))}
          ?disabled=${!fromQk}
          @input=${(e: Event) => {
            change('temperature', Number(Math.pow(2, Number((e.target as HTMLInputElement).value)).toPrecision(4)));
          }}
      /></label>
      <label class="inline"
        ><input
          type="checkbox"
          name="causal"
          .checked=${this.causal}
          @change=${(e: Event) => {
            change('causal', (e.target as HTMLInputElement).checked);
          }}
        />
        causal</label
      >
      <label
        >head
        <select
          name="head"
          @change=${(e: Event) => {
            const head = Number((e.target as HTMLSelectElement).value);
            change('head', head < 0 ? 'all' : head);
          }}
        >
          ${H > 1 ? html`<option value="-1" ?selected=${this.head < 0}>all (small multiples)</option>` : nothing}
          ${Array.from({ length: H }, (_, h) => html`<option value=${h} ?selected=${h === this.head}>${model?.headNames[h] ?? `head ${h}`}</option>`)}
        </select></label
      >
      <label
        >values
        <select
          name="mode"
          @change=${(e: Event) => {
            change('mode', (e.target as HTMLSelectElement).value);
          }}
        >
          <option value="weights" ?selected=${this.mode === 'weights'}>normalised weights (softmax)</option>
          <option value="logits" ?selected=${this.mode === 'logits'} ?disabled=${!hasLogits}>raw logits</option>
        </select></label
      >
      ${
        this.pattern && !this.data
          ? html`<label
                >pattern
                <select
                  name="pattern"
                  @change=${(e: Event) => {
                    change('pattern', (e.target as HTMLSelectElement).value);
                  }}
                >
                  ${ATTENTION_PATTERNS.map((p) => html`<option value=${p} ?selected=${p === this.pattern}>${p}</option>`)}
                </select></label
              >
              <label
                >seed
                <input
                  type="number"
                  name="seed"
                  class="seed"
                  .value=${String(this.seed)}
                  min="0"
                  step="1"
                  @change=${(e: Event) => {
                    change('seed', Number((e.target as HTMLInputElement).value) >>> 0);
                  }}
              /></label>`
          : nothing
      }
      <span>
        <button type="button" @click=${() => this.download('svg')} ?disabled=${!model}>SVG</button>
        <button type="button" @click=${() => this.download('png')} ?disabled=${!model}>PNG</button>
        <button type="button" @click=${() => this.download('json')} ?disabled=${!model}>weights JSON</button>
      </span>
    </div>`;
  }

  private renderMaps(model: AttentionMapModel): TemplateResult {
    const grid = this.head < 0 && model.H > 1;
    const heads = grid ? Array.from({ length: model.H }, (_, h) => h) : [Math.min(Math.max(0, this.head), model.H - 1)];
    const lay = this.layout(model, grid);
    return html`<div class="maps">${heads.map((h) => this.renderMap(model, h, lay, grid))}</div>`;
  }

  private renderMap(model: AttentionMapModel, h: number, lay: MapLayout, grid: boolean): TemplateResult {
    const values = displayValues(model, h, this.mode);
    const [lo, hi] = valueDomain(values, this.mode);
    const { cell, left, top } = lay;
    const Nq = model.Nq;
    const Nk = model.Nk;
    const maxLabels = Math.max(1, Math.floor((cell * Math.max(Nq, Nk)) / 11));
    const qStep = Math.ceil(Nq / maxLabels);
    const kStep = Math.ceil(Nk / maxLabels);
    const showLabels = !grid || cell >= 9;
    const cells: TemplateResult[] = [];
    if (!lay.canvas) {
      for (let i = 0; i < Nq; i++)
        for (let j = 0; j < Nk; j++) {
          const c = i * Nk + j;
          const m = model.mask[c]!;
          const v = values[c]!;
          const fill = m ? `url(#am-hatch-${maskName(m)})` : attentionColor(v, lo, hi, this.colorScale);
          cells.push(
            svg`<rect class=${m ? 'cell mask' : 'cell'} x=${left + j * cell} y=${top + i * cell} width=${cell + 0.02} height=${cell + 0.02} fill=${fill} data-i=${i} data-j=${j} data-v=${m ? 'masked' : String(v)}></rect>`,
          );
        }
    }
    const sel = this.selectedQuery >= 0 && (grid ? this.selectedHead === h : true) && this.selectedQuery < Nq ? this.selectedQuery : -1;
    const hov = this.hover && this.hover.head === h ? this.hover : null;
    const legendX = left + cell * Nk + 14;
    const legendH = Math.min(cell * Nq, 200);
    const group = model.kvHeads < model.H ? ` · key head ${Math.floor(h / (model.H / model.kvHeads))}` : '';
    const caption = grid
      ? `${model.headNames[h]}${group}`
      : `${model.headNames[h]}${group} · ${this.mode === 'logits' ? 'raw logits' : 'softmax weights'}`;
    return html`<figure data-head=${h}>
      <div class="frame" style=${styleMap({ width: `${lay.width}px`, height: `${lay.height}px` })}>
        ${lay.canvas ? html`<canvas class="heat" data-head=${h} width=${Nk} height=${Nq} style=${styleMap({ left: `${left}px`, top: `${top}px`, width: `${cell * Nk}px`, height: `${cell * Nq}px` })}></canvas>` : nothing}
        <svg
          class="map"
          data-head=${h}
          width=${lay.width}
          height=${lay.height}
          viewBox="0 0 ${lay.width} ${lay.height}"
          role="img"
          tabindex="0"
          aria-label="attention weights, ${caption}; arrow keys move over the cells, Enter shows a query's weights"
          @keydown=${(e: KeyboardEvent) => this.onKey(e, model, h)}
          @focus=${() => {
            if (this.hover?.head !== h) this.hoverCell(model, h, { i: Math.max(0, this.selectedQuery), j: 0 });
          }}
        >
          <defs>${hatchDefs(this.slidingWindow !== null)}</defs>
          ${cells}
          ${
            showLabels
              ? svg`${model.queryLabels.map((t, i) =>
                  i % qStep === 0
                    ? svg`<text class="axis-label q-label" x=${left - 4} y=${top + (i + 0.5) * cell} text-anchor="end" dominant-baseline="middle">${clip(t)}</text>`
                    : nothing,
                )}
              ${model.keyLabels.map((t, j) =>
                j % kStep === 0
                  ? svg`<text class="axis-label k-label" transform="translate(${left + (j + 0.5) * cell},${top - 4}) rotate(-60)" text-anchor="start" dominant-baseline="middle">${clip(t)}</text>`
                  : nothing,
              )}`
              : nothing
          }
          ${grid ? nothing : svg`<text class="title" x="2" y="12">query ↓ key →</text>`}
          ${sel >= 0 ? svg`<rect class="outline" x=${left} y=${top + sel * cell} width=${cell * Nk} height=${Math.max(cell, 1)}></rect>` : nothing}
          ${hov ? svg`<rect class="hover-outline" x=${left + hov.j * cell} y=${top + hov.i * cell} width=${Math.max(cell, 2)} height=${Math.max(cell, 2)}></rect>` : nothing}
          <rect
            class="hit"
            x=${left}
            y=${top}
            width=${cell * Nk}
            height=${cell * Nq}
            @pointermove=${(e: PointerEvent) => this.onPointer(e, model, h, lay)}
            @pointerleave=${() => (this.hover = null)}
            @click=${(e: MouseEvent) => this.onClick(e, model, h, lay)}
          ></rect>
          ${grid ? nothing : this.renderLegend(legendX, top, legendH, lo, hi)}
        </svg>
      </div>
      <figcaption>${caption}</figcaption>
    </figure>`;
  }

  private renderLegend(x: number, y: number, h: number, lo: number, hi: number): TemplateResult {
    const steps = 24;
    const fmt = (v: number) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(2));
    return svg`<g class="legend">
      ${Array.from({ length: steps }, (_, s) => svg`<rect x=${x} y=${y + (h * s) / steps} width="10" height=${h / steps + 0.5} fill=${attentionColor(hi - ((hi - lo) * (s + 0.5)) / steps, lo, hi, this.colorScale)}></rect>`)}
      <text class="legend-text" x=${x + 13} y=${y + 8}>${fmt(hi)}</text>
      <text class="legend-text" x=${x + 13} y=${y + h}>${fmt(lo)}</text>
      <rect x=${x} y=${y + h + 10} width="10" height="10" fill="url(#am-hatch-causal)"></rect>
      <text class="legend-text" x=${x + 13} y=${y + h + 19}>causal</text>
      <rect x=${x} y=${y + h + 26} width="10" height="10" fill="url(#am-hatch-padding)"></rect>
      <text class="legend-text" x=${x + 13} y=${y + h + 35}>padding</text>
      ${
        this.slidingWindow !== null
          ? svg`<rect x=${x} y=${y + h + 42} width="10" height="10" fill="url(#am-hatch-window)"></rect>
      <text class="legend-text" x=${x + 13} y=${y + h + 51}>window</text>`
          : nothing
      }
    </g>`;
  }

  private cellAt(e: MouseEvent, model: AttentionMapModel, lay: MapLayout): { i: number; j: number } | null {
    const r = (e.currentTarget as Element).getBoundingClientRect();
    const j = Math.floor((e.clientX - r.left) / lay.cell);
    const i = Math.floor((e.clientY - r.top) / lay.cell);
    if (i < 0 || j < 0 || i >= model.Nq || j >= model.Nk) return null;
    return { i, j };
  }

  private onPointer(e: PointerEvent, model: AttentionMapModel, head: number, lay: MapLayout): void {
    const at = this.cellAt(e, model, lay);
    if (at) this.hoverCell(model, head, at);
  }

  /** The keyboard on a map: the arrows move the hovered cell, Enter selects its query, Escape leaves. */
  private onKey(e: KeyboardEvent, model: AttentionMapModel, head: number): void {
    const hv = this.hover?.head === head ? this.hover : null;
    const at = hv ? { row: hv.i, col: hv.j } : { row: Math.max(0, this.selectedQuery), col: 0 };
    const r = gridKey(e.key, at, model.Nq, model.Nk, { ctrl: e.ctrlKey });
    if (r === null) return;
    e.preventDefault();
    if (r === 'leave') this.hover = null;
    else if (r === 'select') this.selectQuery(at.row, head);
    else this.hoverCell(model, head, { i: r.row, j: r.col });
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

  private onClick(e: MouseEvent, model: AttentionMapModel, head: number, lay: MapLayout): void {
    const at = this.cellAt(e, model, lay);
    if (!at) return;
    this.selectQuery(at.i, head);
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

  private hoverText(model: AttentionMapModel, hv: Hover): string {
    const c = hv.i * model.Nk + hv.j;
    const m = model.mask[c]!;
    const v = displayValues(model, hv.head, this.mode)[c]!;
    const what = m
      ? `masked (${m === MASK_DATA ? 'data mask' : m === MASK_WINDOW ? 'outside the sliding window' : maskName(m)})`
      : `${this.mode === 'logits' ? 'logit' : 'weight'} ${v.toPrecision(4)}`;
    return `${model.headNames[hv.head]} · query ${hv.i} “${model.queryLabels[hv.i]}” → key ${hv.j} “${model.keyLabels[hv.j]}”: ${what}`;
  }

  private renderBars(model: AttentionMapModel): TemplateResult {
    const h = this.head < 0 ? Math.min(this.selectedHead, model.H - 1) : Math.min(this.head, model.H - 1);
    const i = this.selectedQuery;
    const Nk = model.Nk;
    const row = model.weights.subarray((h * model.Nq + i) * Nk, (h * model.Nq + i + 1) * Nk);
    const width = Math.max(360, Math.min(900, Nk * 14 + 60));
    const height = 150;
    const x = scaleBand<number>()
      .domain(Array.from({ length: Nk }, (_, j) => j))
      .range([44, width - 8])
      .paddingInner(Nk > 64 ? 0 : 0.15);
    let max = 0;
    for (const v of row) max = Math.max(max, v);
    const y = scaleLinear()
      .domain([0, max > 0 ? max : 1])
      .nice()
      .range([height - 36, 10]);
    const kStep = Math.ceil(Nk / Math.floor((width - 52) / 11));
    return html`<figure class="bars">
      <svg class="bars" width=${width} height=${height} role="img" aria-label="weights of query ${i}">
        <defs>${hatchDefs(this.slidingWindow !== null)}</defs>
        ${y.ticks(4).map((t) => svg`<line class="gridline" x1="44" x2=${width - 8} y1=${y(t)} y2=${y(t)}></line><text class="legend-text" x="40" y=${y(t)} text-anchor="end" dominant-baseline="middle">${t}</text>`)}
        ${Array.from(row, (v, j) =>
          model.mask[i * Nk + j]
            ? svg`<rect class="bar-mask" x=${x(j)} y=${y.range()[1]} width=${Math.max(1, x.bandwidth())} height=${y.range()[0]! - y.range()[1]!} data-j=${j} data-v="masked"></rect>`
            : svg`<rect class="bar" x=${x(j)} y=${y(v)} width=${Math.max(1, x.bandwidth())} height=${Math.max(0, y(0) - y(v))} data-j=${j} data-v=${String(v)}></rect>`,
        )}
        ${model.keyLabels.map((t, j) => (j % kStep === 0 ? svg`<text class="axis-label" transform="translate(${x(j)! + x.bandwidth() / 2},${height - 32}) rotate(60)" text-anchor="start">${clip(t)}</text>` : nothing))}
      </svg>
      <figcaption>${model.headNames[h]}: weights of query ${i} “${model.queryLabels[i]}” over the keys (hatched: masked)</figcaption>
    </figure>`;
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

/** The hatch patterns of masked cells (the window's only when a sliding window is set). */
function hatchDefs(withWindow: boolean): TemplateResult {
  return svg`<pattern id="am-hatch-causal" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
      <rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line></pattern>
    <pattern id="am-hatch-padding" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(-45)">
      <rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line><line class="hatch-line" x1="3" y1="0" x2="3" y2="6"></line></pattern>
    <pattern id="am-hatch-data" patternUnits="userSpaceOnUse" width="6" height="6">
      <rect class="hatch-bg" width="6" height="6"></rect></pattern>
    ${
      withWindow
        ? svg`<pattern id="am-hatch-window" patternUnits="userSpaceOnUse" width="6" height="6">
      <rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="3" x2="6" y2="3"></line></pattern>`
        : nothing
    }`;
}

/** Draws one head's cells into a canvas of Nk×Nq pixels (one pixel per cell; CSS scales it). */
function drawHeatCanvas(
  canvas: HTMLCanvasElement,
  model: AttentionMapModel,
  head: number,
  mode: 'weights' | 'logits',
  colorScale: 'linear' | 'sqrt',
  maskColor: string,
  lineColor: string,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { Nq, Nk } = model;
  const values = displayValues(model, head, mode);
  const [lo, hi] = valueDomain(values, mode);
  const image = ctx.createImageData(Nk, Nq);
  const mask = parseRgb(maskColor);
  const line = parseRgb(lineColor);
  for (let i = 0; i < Nq; i++)
    for (let j = 0; j < Nk; j++) {
      const c = i * Nk + j;
      const m = model.mask[c]!;
      // Masked cells: the mask colour, with a faint diagonal hatch every 4 cells.
      const rgb = m
        ? (i + (m === MASK_PADDING ? -j : j)) % 4 === 0
          ? mix(mask, line, 0.35)
          : mask
        : parseRgb(attentionColor(values[c]!, lo, hi, colorScale));
      image.data.set([rgb[0], rgb[1], rgb[2], 255], c * 4);
    }
  ctx.putImageData(image, 0, 0);
}

const rgbCache = new Map<string, [number, number, number]>();
function parseRgb(color: string): [number, number, number] {
  let rgb = rgbCache.get(color);
  if (rgb) return rgb;
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  const fn = /^rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/i.exec(color);
  if (hex) {
    const v = parseInt(hex[1]!, 16);
    rgb = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  } else if (fn) rgb = [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  else rgb = [154, 160, 166];
  if (rgbCache.size < 4096) rgbCache.set(color, rgb);
  return rgb;
}

function mix(a: [number, number, number], b: [number, number, number], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function clip(text: string): string {
  return text.length > 10 ? `${text.slice(0, 9)}…` : text;
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
