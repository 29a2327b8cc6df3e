/**
 * The data side of `<attention-map>`: validating what a page hands it (a property or a
 * JSON attribute, with Q/K or ready weights), the masks, and computing the weights
 * (on the GPU with `attentionMapWeights`, else with the float64 CPU reference).
 * Nothing here touches the DOM.
 */
import type { Gpu } from '../../gpu/device';
import { attentionScoresReference, attentionWeightsReference, isVisible } from '../../reference/flash-trace';
import { attentionMapWeights } from '../../kernels/attention-weights';
import { MAP_LIMITS } from './attributes';

export { MAP_LIMITS };

/**
 * Cell states: 0 visible, 1 hidden by the causal mask, 2 padding (key past the key
 * length), 3 masked by the data, 4 outside the sliding window.
 */
export const MASK_VISIBLE = 0;
export const MASK_CAUSAL = 1;
export const MASK_PADDING = 2;
export const MASK_DATA = 3;
export const MASK_WINDOW = 4;

/** The name of a masked cell state ('causal', 'padding', 'window' or 'data'), for hatches, legends and tooltips. */
export function maskName(state: number): 'causal' | 'padding' | 'window' | 'data' {
  return state === MASK_CAUSAL ? 'causal' : state === MASK_PADDING ? 'padding' : state === MASK_WINDOW ? 'window' : 'data';
}

/** A tensor as JSON or a property: row-major numbers plus a shape. */
export interface TensorInput {
  data: ArrayLike<number>;
  shape: number[];
}

/**
 * What `<attention-map>` accepts in its `data` property or JSON attribute. Give either
 * `q` and `k` (`[H, N, d]` or `[B, H, N, d]`; batch 0 is drawn; k may have fewer heads
 * Hkv, a divisor of H: grouped-query attention, query head h reading key head
 * ⌊h / (H/Hkv)⌋) or ready `weights`
 * (`[Nq, Nk]` or `[H, Nq, Nk]`, with optional raw `logits` of the same shape and an
 * optional `mask`, `[Nq, Nk]` with 1 where masked).
 */
export interface AttentionMapInput {
  q?: TensorInput;
  k?: TensorInput;
  weights?: TensorInput;
  logits?: TensorInput;
  mask?: TensorInput | ArrayLike<number>;
  /** Labels for both axes (when queries and keys are the same tokens). */
  tokens?: string[];
  queryLabels?: string[];
  keyLabels?: string[];
  /** Names for the heads (e.g. the pattern of each). */
  headNames?: string[];
}

/** Validated input. */
export type CheckedInput =
  | {
      kind: 'qk';
      q: Float32Array;
      k: Float32Array;
      H: number;
      /** Key heads (H for multi-head attention; fewer with grouped-query attention). */
      Hkv: number;
      Nq: number;
      Nk: number;
      d: number;
      queryLabels: string[];
      keyLabels: string[];
      headNames: string[];
    }
  | {
      kind: 'weights';
      weights: Float32Array;
      logits: Float32Array | null;
      mask: Uint8Array | null;
      H: number;
      Nq: number;
      Nk: number;
      queryLabels: string[];
      keyLabels: string[];
      headNames: string[];
    };

/** What the element draws. */
export interface AttentionMapModel {
  H: number;
  Nq: number;
  Nk: number;
  /** `[H, Nq, Nk]` softmax weights (0 in masked cells). */
  weights: Float32Array;
  /** `[H, Nq, Nk]` scaled logits, unmasked; null when only weights were given. */
  logits: Float32Array | null;
  /** `[Nq, Nk]` cell states (`MASK_*`), shared by every head. */
  mask: Uint8Array;
  /** Key heads: query head h reads key head ⌊h / (H / kvHeads)⌋ (kvHeads = H: one each). */
  kvHeads: number;
  queryLabels: string[];
  keyLabels: string[];
  headNames: string[];
  /** Where the weights came from. */
  source: 'gpu' | 'cpu' | 'data';
  /** The scale the logits were computed with (null for ready weights). */
  scale: number | null;
}

/** A problem with the data: the element shows its message inline and keeps its last good state. */
export class AttentionMapDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttentionMapDataError';
  }
}

function fail(message: string): never {
  throw new AttentionMapDataError(message);
}

function checkTensor(name: string, x: unknown, ranks: number[]): { data: Float32Array; shape: number[] } {
  if (typeof x !== 'object' || x === null) fail(`${name} must be {data: number[], shape: number[]}`);
  const t = x as { data?: unknown; shape?: unknown };
  if (!Array.isArray(t.shape)) fail(`${name}.shape must be an array of positive integers`);
  const shape = t.shape as unknown[];
  if (!ranks.includes(shape.length)) fail(`${name} must have rank ${ranks.join(' or ')}, got shape [${shape.map(String).join(', ')}]`);
  shape.forEach((dim, i) => {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1)
      fail(`${name}.shape[${i}] must be a positive integer, got ${JSON.stringify(dim) ?? String(dim)}`);
  });
  const dims = shape as number[];
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > MAP_LIMITS.maxCells * 4) fail(`${name} has ${size} values, more than this element accepts`);
  const data = t.data;
  const isArrayLike = Array.isArray(data) || (ArrayBuffer.isView(data) && !(data instanceof DataView));
  if (!isArrayLike) fail(`${name}.data must be an array of numbers`);
  const arr = data as ArrayLike<unknown>;
  if (arr.length !== size) fail(`${name} has ${arr.length} values but shape [${dims.join(', ')}] holds ${size}`);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      fail(
        `${name}.data[${i}] is ${typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v))}; every value must be a finite number`,
      );
    out[i] = v;
  }
  return { data: out, shape: dims };
}

function checkLabels(name: string, x: unknown, n: number): string[] | null {
  if (x === undefined || x === null) return null;
  if (!Array.isArray(x)) fail(`${name} must be an array of strings`);
  if (x.length !== n) fail(`${name} has ${x.length} labels but there are ${n} positions`);
  return x.map((s, i) => {
    if (typeof s !== 'string' && typeof s !== 'number') fail(`${name}[${i}] must be a string`);
    const text = String(s);
    return text.length > MAP_LIMITS.maxLabel ? `${text.slice(0, MAP_LIMITS.maxLabel)}…` : text;
  });
}

function checkSizes(H: number, Nq: number, Nk: number): void {
  if (H > MAP_LIMITS.maxHeads) fail(`${H} heads is more than the ${MAP_LIMITS.maxHeads} this element draws`);
  if (Nq > MAP_LIMITS.maxN || Nk > MAP_LIMITS.maxN)
    fail(`${Nq}×${Nk} is larger than the ${MAP_LIMITS.maxN}×${MAP_LIMITS.maxN} this element draws`);
  if (H * Nq * Nk > MAP_LIMITS.maxCells) fail(`${H}×${Nq}×${Nk} cells is more than the ${MAP_LIMITS.maxCells} this element draws`);
}

/** Validates the input; throws `AttentionMapDataError` with a message a reader can act on. */
export function checkInput(input: unknown): CheckedInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('data must be an object with {q, k} or {weights}');
  const x = input as AttentionMapInput;
  const labels = (Nq: number, Nk: number, H: number) => {
    const tokens = checkLabels('tokens', x.tokens, Nq);
    if (x.tokens !== undefined && Nq !== Nk)
      fail(`tokens label both axes, but there are ${Nq} queries and ${Nk} keys; give queryLabels and keyLabels`);
    const queryLabels = checkLabels('queryLabels', x.queryLabels, Nq) ?? tokens ?? Array.from({ length: Nq }, (_, i) => `q${i}`);
    const keyLabels = checkLabels('keyLabels', x.keyLabels, Nk) ?? tokens ?? Array.from({ length: Nk }, (_, i) => `k${i}`);
    const headNames = checkLabels('headNames', x.headNames, H) ?? Array.from({ length: H }, (_, h) => `head ${h}`);
    return { queryLabels, keyLabels, headNames };
  };
  if (x.weights !== undefined) {
    if (x.q !== undefined || x.k !== undefined) fail('give either {q, k} or {weights}, not both');
    const w = checkTensor('weights', x.weights, [2, 3]);
    const [H, Nq, Nk] = (w.shape.length === 2 ? [1, ...w.shape] : w.shape) as [number, number, number];
    checkSizes(H, Nq, Nk);
    for (let i = 0; i < w.data.length; i++) {
      if (w.data[i]! < 0 || w.data[i]! > 1 + 1e-5) fail(`weights.data[${i}] is ${w.data[i]}; attention weights lie in [0, 1]`);
    }
    let logits: Float32Array | null = null;
    if (x.logits !== undefined) {
      const l = checkTensor('logits', x.logits, [2, 3]);
      if (l.data.length !== w.data.length) fail(`logits shape [${l.shape.join(', ')}] must equal weights shape [${w.shape.join(', ')}]`);
      logits = l.data;
    }
    let mask: Uint8Array | null = null;
    if (x.mask !== undefined) {
      const m = Array.isArray(x.mask) || ArrayBuffer.isView(x.mask) ? { data: x.mask as ArrayLike<number>, shape: [Nq, Nk] } : x.mask;
      const checked = checkTensor('mask', m, [2]);
      if (checked.shape[0] !== Nq || checked.shape[1] !== Nk) fail(`mask shape [${checked.shape.join(', ')}] must be [${Nq}, ${Nk}]`);
      mask = Uint8Array.from(checked.data, (v) => (v ? MASK_DATA : MASK_VISIBLE));
    }
    return { kind: 'weights', weights: w.data, logits, mask, H, Nq, Nk, ...labels(Nq, Nk, H) };
  }
  if (x.q === undefined || x.k === undefined) fail('data needs both q and k (or ready weights)');
  const q = checkTensor('q', x.q, [3, 4]);
  const k = checkTensor('k', x.k, [3, 4]);
  if (q.shape.length !== k.shape.length) fail(`q [${q.shape.join(', ')}] and k [${k.shape.join(', ')}] must have the same rank`);
  const q4 = q.shape.length === 3 ? [1, ...q.shape] : q.shape;
  const k4 = k.shape.length === 3 ? [1, ...k.shape] : k.shape;
  const [B, H, Nq, d] = q4 as [number, number, number, number];
  const [kB, kH, Nk, kd] = k4 as [number, number, number, number];
  if (kB !== B || kd !== d) fail(`k [${k.shape.join(', ')}] must match q [${q.shape.join(', ')}] in batch and head dim`);
  if (H % kH !== 0)
    fail(`k has ${kH} heads, which must divide q's ${H} (grouped-query attention shares each key head among H / Hkv query heads)`);
  if (d > MAP_LIMITS.maxDim) fail(`head dim ${d} is more than the ${MAP_LIMITS.maxDim} this element accepts`);
  checkSizes(H, Nq, Nk);
  // Batch 0 is drawn.
  return { kind: 'qk', q: q.data.slice(0, H * Nq * d), k: k.data.slice(0, kH * Nk * d), H, Hkv: kH, Nq, Nk, d, ...labels(Nq, Nk, H) };
}

/** The cell states for these masks (`window`: the sliding window's keys left of the diagonal, or null). */
export function buildMask(
  Nq: number,
  Nk: number,
  causal: boolean,
  keyLength: number,
  dataMask: Uint8Array | null = null,
  window: number | null = null,
): Uint8Array {
  const out = new Uint8Array(Nq * Nk);
  for (let i = 0; i < Nq; i++)
    for (let j = 0; j < Nk; j++) {
      const c = i * Nk + j;
      if (dataMask?.[c]) out[c] = MASK_DATA;
      else if (j >= keyLength) out[c] = MASK_PADDING;
      else if (!isVisible(i, j, { Nq, Nk }, causal, Nk)) out[c] = MASK_CAUSAL;
      else if (!isVisible(i, j, { Nq, Nk }, false, Nk, window)) out[c] = MASK_WINDOW;
    }
  return out;
}

/**
 * Key heads for grouped-query attention from per-head keys `[1, H, N, d]`: the first
 * head of each group of H / kvHeads serves the whole group (`[1, kvHeads, N, d]`).
 */
export function groupKeys(k: { data: Float32Array; shape: number[] }, kvHeads: number): { data: Float32Array; shape: number[] } {
  const [B, H, N, d] = k.shape as [number, number, number, number];
  if (!Number.isInteger(kvHeads) || kvHeads < 1 || H % kvHeads !== 0) fail(`kv-heads ${kvHeads} must divide the ${H} heads`);
  const group = H / kvHeads;
  const out = new Float32Array(B * kvHeads * N * d);
  for (let b = 0; b < B; b++)
    for (let g = 0; g < kvHeads; g++) {
      const from = (b * H + g * group) * N * d;
      out.set(k.data.subarray(from, from + N * d), (b * kvHeads + g) * N * d);
    }
  return { data: out, shape: [B, kvHeads, N, d] };
}

/** Each query head's keys: key head ⌊h / (H / Hkv)⌋ repeated, `[H·Nk·d]` (for the map's full score matrix). */
function keysPerQueryHead(k: Float32Array, H: number, Hkv: number, Nk: number, d: number): Float32Array {
  if (H === Hkv) return k;
  const out = new Float32Array(H * Nk * d);
  for (let h = 0; h < H; h++) {
    const from = Math.floor(h / (H / Hkv)) * Nk * d;
    out.set(k.subarray(from, from + Nk * d), h * Nk * d);
  }
  return out;
}

/** Softmax of each row's visible logits (float64), `[H, Nq, Nk]`: the weights under `mask`. */
function maskedWeights(logits: Float32Array, mask: Uint8Array, H: number, Nq: number, Nk: number): Float32Array {
  const out = new Float32Array(H * Nq * Nk);
  for (let h = 0; h < H; h++)
    for (let i = 0; i < Nq; i++) {
      const row = (h * Nq + i) * Nk;
      let m = -Infinity;
      for (let j = 0; j < Nk; j++) if (!mask[i * Nk + j]) m = Math.max(m, logits[row + j]!);
      if (m === -Infinity) continue;
      let sum = 0;
      for (let j = 0; j < Nk; j++) if (!mask[i * Nk + j]) sum += Math.exp(logits[row + j]! - m);
      for (let j = 0; j < Nk; j++) if (!mask[i * Nk + j]) out[row + j] = Math.exp(logits[row + j]! - m) / sum;
    }
  return out;
}

export interface ComputeOptions {
  causal: boolean;
  /** Divides the logits: scale = 1 / (√d · temperature). */
  temperature: number;
  /** Keys at or past this index are padding (clamped to Nk). */
  keyLength: number;
  /** Sliding window: keys left of the diagonal a query sees (null or absent: unbounded). */
  window?: number | null;
}

/** The scale for a head dim and temperature. */
export function mapScale(d: number, temperature: number): number {
  return 1 / (Math.sqrt(d) * temperature);
}

/**
 * Computes what the element draws. Q/K input runs on `gpu` (the project's kernel) or,
 * when it is null, on the float64 CPU reference. Ready weights are passed through.
 */
export async function computeModel(
  input: CheckedInput,
  opts: ComputeOptions,
  gpu: Gpu | null,
  signal?: AbortSignal,
): Promise<AttentionMapModel> {
  const { H, Nq, Nk, queryLabels, keyLabels, headNames } = input;
  const keyLength = Math.max(0, Math.min(Nk, Math.floor(opts.keyLength)));
  const window = opts.window ?? null;
  if (input.kind === 'weights') {
    return {
      H,
      Nq,
      Nk,
      queryLabels,
      keyLabels,
      headNames,
      weights: input.weights,
      logits: input.logits,
      mask: buildMask(Nq, Nk, opts.causal, keyLength, input.mask, window),
      kvHeads: H,
      source: 'data',
      scale: null,
    };
  }
  const scale = mapScale(input.d, opts.temperature);
  const mask = buildMask(Nq, Nk, opts.causal, keyLength, null, window);
  // The map shows every query head's full score matrix, so each gets its group's keys.
  const kAll = keysPerQueryHead(input.k, H, input.Hkv, Nk, input.d);
  const common = { H, Nq, Nk, queryLabels, keyLabels, headNames, mask, kvHeads: input.Hkv, scale };
  if (gpu) {
    const { logits, weights } = await attentionMapWeights(
      gpu,
      { data: input.q, shape: [H, Nq, input.d] },
      { data: kAll, shape: [H, Nk, input.d] },
      { scale, causal: opts.causal, keyLength },
    );
    try {
      const [l, w] = await Promise.all([logits.read(), weights.read()]);
      signal?.throwIfAborted();
      // The map kernel has no sliding window: renormalize its logits over the window's keys.
      return { ...common, weights: window === null ? w : maskedWeights(l, mask, H, Nq, Nk), logits: l, source: 'gpu' };
    } finally {
      logits.destroy();
      weights.destroy();
    }
  }
  const q = { data: input.q, shape: [1, H, Nq, input.d] };
  const k = { data: kAll, shape: [1, H, Nk, input.d] };
  const ref = { scale, causal: opts.causal, keyLengths: [keyLength], window };
  return {
    ...common,
    weights: Float32Array.from(attentionWeightsReference(q, k, ref).data),
    logits: Float32Array.from(attentionScoresReference(q, k, ref).data),
    source: 'cpu',
  };
}

/** The values a view shows: weights, or raw logits; masked cells are NaN (drawn as masks). */
export function displayValues(model: AttentionMapModel, head: number, mode: 'weights' | 'logits'): Float32Array {
  const n = model.Nq * model.Nk;
  const src = mode === 'logits' && model.logits ? model.logits : model.weights;
  const out = src.slice(head * n, (head + 1) * n);
  for (let c = 0; c < n; c++) if (model.mask[c]) out[c] = NaN;
  return out;
}

/** The weights as plain JSON (for export). */
export function modelJson(model: AttentionMapModel, opts: ComputeOptions) {
  return {
    shape: [model.H, model.Nq, model.Nk],
    source: model.source,
    scale: model.scale,
    causal: opts.causal,
    keyLength: opts.keyLength,
    window: opts.window ?? null,
    kvHeads: model.kvHeads,
    temperature: opts.temperature,
    queryLabels: model.queryLabels,
    keyLabels: model.keyLabels,
    headNames: model.headNames,
    maskLegend: { 0: 'visible', 1: 'causal', 2: 'padding', 3: 'masked by data', 4: 'outside the sliding window' },
    mask: Array.from(model.mask),
    weights: Array.from(model.weights),
    logits: model.logits ? Array.from(model.logits) : null,
  };
}
