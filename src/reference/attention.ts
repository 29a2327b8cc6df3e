/**
 * CPU references of `attention`: plain loops in float64 (or, with precision 'f32',
 * every step rounded with Math.fround: the f32 baseline of the tolerance rule).
 *
 * - exact (variants 'naive' and 'flash'): O = softmax(scale·Q·Kᵀ + bias + mask)·V,
 *   computed the textbook way (scores, max, sum, weights, weighted sum of V);
 * - 'linear': the definition of kernel-feature linear attention,
 *   O_i = Σ_j w_j φ(q̃_i)·φ(k̃_j) v_j / Σ_j w_j φ(q̃_i)·φ(k̃_j), φ(x) = elu(x) + 1,
 *   q̃ = √scale·q, k̃ = √scale·k, w_j = e^{bias_j − max bias} (0 when masked),
 *   over the same visible keys as the exact attention.
 *
 * Masks as in the kernels: causal bottom-right (j ≤ i + Nk − Nq), the sliding window
 * (i + off − W ≤ j ≤ i + off + Wr), key lengths, a keep mask (0 masks), logits below
 * −1e30 masked. A row with no visible key is 0. The logit is
 * softcap(scale·q·k) + bias − slope_h·|i + off − j| (see src/problem/attention.ts), and
 * query head h reads key/value head ⌊h / (Hq/Hkv)⌋ (grouped-query attention).
 */
import { assertHostTensor, type HostTensor } from '../problem/shape';
import { InvalidArgumentError } from '../problem/errors';
import { assertHostElements } from '../problem/limits';
import { attentionKeyRange, resolveAttention, type AttentionOptionsOf, type AttentionProblem } from '../problem/attention';
import { rounder, softmaxRow, type Precision, type ReferenceResult } from './softmax';

export type { Precision, ReferenceResult };

/** Reference options: attention's, on host data. */
export type AttentionReferenceOptions = AttentionOptionsOf<HostTensor>;

interface Resolved {
  p: AttentionProblem;
  /** Key j of batch b is kept by the key lengths and the padding mask. */
  keyVisible: (b: number, j: number) => boolean;
  /** …and query i may see it (causal, window). */
  visible: (b: number, i: number, j: number) => boolean;
  biasAt: (bh: number, i: number, j: number) => number;
}

function resolve(op: string, q: HostTensor, k: HostTensor, v: HostTensor, opts: AttentionReferenceOptions): Resolved {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new InvalidArgumentError(op, 'options', opts, 'an options object or undefined');
  }
  assertHostTensor(op, 'q', q);
  assertHostTensor(op, 'k', k);
  assertHostTensor(op, 'v', v);
  // Given means not undefined, as in the kernels: a null or 0 mask or bias is bad input, not "none".
  if (opts.keyPaddingMask !== undefined) assertHostTensor(op, 'keyPaddingMask', opts.keyPaddingMask);
  if (opts.bias !== undefined) assertHostTensor(op, 'bias', opts.bias);
  const p = resolveAttention(op, q.shape, k.shape, v.shape, opts, opts.keyPaddingMask?.shape ?? null, opts.bias?.shape ?? null);
  assertHostElements(op, `the output [${p.outShape.join(', ')}]`, p.B * p.H * p.Nq * p.dv);
  const keep = opts.keyPaddingMask?.data;
  const bias = opts.bias?.data;
  const keyVisible = (b: number, j: number) => j < p.keyLengths[b]! && (keep === undefined || keep[b * p.Nk + j] !== 0);
  return {
    p,
    keyVisible,
    visible: (b, i, j) => {
      const [start, end] = attentionKeyRange(p, i);
      return j >= start && j < end && keyVisible(b, j);
    },
    biasAt: (bh, i, j) => (bias && p.biasRows > 0 ? bias[((bh * p.Nq + i) % p.biasRows) * p.Nk + j]! : 0),
  };
}

/** The key/value head (b·Hkv + ⌊h / group⌋) of query head bh = b·H + h. */
function kvHead(p: AttentionProblem, bh: number): number {
  return Math.floor(bh / p.H) * p.Hkv + Math.floor((bh % p.H) / p.group);
}

/** The masked, biased, scaled (and soft-capped, ALiBi-biased) logits of one query row (−∞ where masked). */
function logitsRow(x: Resolved, q: HostTensor, k: HostTensor, bh: number, i: number, r: (x: number) => number, out: Float64Array): void {
  const { p } = x;
  const b = Math.floor(bh / p.H);
  const kvh = kvHead(p, bh);
  const slope = p.alibiSlopes ? r(p.alibiSlopes[bh % p.H]!) : 0;
  const cap = r(p.softcap);
  const qo = (bh * p.Nq + i) * p.d;
  const [start, end] = attentionKeyRange(p, i);
  for (let j = 0; j < p.Nk; j++) {
    if (j < start || j >= end || !x.keyVisible(b, j)) {
      out[j] = -Infinity;
      continue;
    }
    const ko = (kvh * p.Nk + j) * p.d;
    let dot = 0;
    for (let a = 0; a < p.d; a++) dot = r(dot + r(q.data[qo + a]! * k.data[ko + a]!));
    let s = r(dot * r(p.scale));
    if (cap > 0) s = r(cap * r(Math.tanh(r(s / cap))));
    s = r(s + x.biasAt(bh, i, j));
    if (slope !== 0) s = r(s - r(slope * Math.abs(i + p.causalOffset - j)));
    out[j] = s < -1e30 ? -Infinity : s;
  }
}

const phi = (x: number) => (x > 0 ? x + 1 : Math.exp(x));

/**
 * The reference output of `attention(q, k, v, opts)`: exact attention, or for
 * `variant: 'linear'` linear attention by its definition.
 */
export function attentionReference(
  q: HostTensor,
  k: HostTensor,
  v: HostTensor,
  opts: AttentionReferenceOptions = {},
  precision: Precision = 'f64',
): ReferenceResult {
  const x = resolve('attentionReference', q, k, v, opts);
  const { p } = x;
  const r = rounder(precision);
  const BH = p.B * p.H;
  const out = precision === 'f32' ? new Float32Array(BH * p.Nq * p.dv) : new Float64Array(BH * p.Nq * p.dv);
  if (p.variant === 'linear') {
    linear(x, q, k, v, r, out, opts.bias?.data);
    return { data: out, shape: p.outShape };
  }
  const s = new Float64Array(p.Nk);
  const w = precision === 'f32' ? new Float32Array(p.Nk) : new Float64Array(p.Nk);
  for (let bh = 0; bh < BH; bh++) {
    const kvh = kvHead(p, bh);
    for (let i = 0; i < p.Nq; i++) {
      logitsRow(x, q, k, bh, i, r, s);
      if (!s.some((z) => z !== -Infinity)) continue; // no visible key: the row stays 0
      softmaxRow(s, false, precision, w);
      const oo = (bh * p.Nq + i) * p.dv;
      for (let c = 0; c < p.dv; c++) {
        let acc = 0;
        for (let j = 0; j < p.Nk; j++) if (w[j] !== 0) acc = r(acc + r(w[j]! * v.data[(kvh * p.Nk + j) * p.dv + c]!));
        out[oo + c] = acc;
      }
    }
  }
  return { data: out, shape: p.outShape };
}

function linear(
  x: Resolved,
  q: HostTensor,
  k: HostTensor,
  v: HostTensor,
  r: (x: number) => number,
  out: Float64Array | Float32Array,
  bias: ArrayLike<number> | undefined,
): void {
  const { p } = x;
  const rs = r(Math.sqrt(p.scale));
  const w = new Float64Array(p.Nk);
  const fq = new Float64Array(p.d);
  const num = new Float64Array(p.dv);
  for (let bh = 0; bh < p.B * p.H; bh++) {
    const b = Math.floor(bh / p.H);
    const kvh = kvHead(p, bh);
    // Key weights: e^{bias − max visible bias}, 0 where the key is masked (query-independent masks only).
    let top = -Infinity;
    const visibleKey = (j: number) => x.keyVisible(b, j) && !(bias && bias[j]! < -1e30);
    for (let j = 0; j < p.Nk; j++) if (visibleKey(j)) top = Math.max(top, bias ? bias[j]! : 0);
    for (let j = 0; j < p.Nk; j++) w[j] = visibleKey(j) ? r(Math.exp(r((bias ? bias[j]! : 0) - top))) : 0;
    for (let i = 0; i < p.Nq; i++) {
      const qo = (bh * p.Nq + i) * p.d;
      for (let a = 0; a < p.d; a++) fq[a] = r(phi(r(rs * q.data[qo + a]!)));
      num.fill(0);
      let den = 0;
      const last = p.causal ? Math.min(p.Nk - 1, i + p.causalOffset) : p.Nk - 1;
      for (let j = 0; j <= last; j++) {
        if (w[j] === 0) continue;
        const ko = (kvh * p.Nk + j) * p.d;
        let dot = 0;
        for (let a = 0; a < p.d; a++) dot = r(dot + r(fq[a]! * r(phi(r(rs * k.data[ko + a]!)))));
        const c = r(w[j]! * dot);
        den = r(den + c);
        for (let col = 0; col < p.dv; col++) num[col] = r(num[col]! + r(c * v.data[(kvh * p.Nk + j) * p.dv + col]!));
      }
      const oo = (bh * p.Nq + i) * p.dv;
      for (let col = 0; col < p.dv; col++) out[oo + col] = den === 0 ? 0 : r(num[col]! / den);
    }
  }
}

/**
 * Per query row of exact attention: the max m of the scaled logits (+bias) over the
 * visible keys and l = Σ_j e^{s_j − m}: what the flash kernel's running m and l end at.
 * Rows with no visible key give m = −∞, l = 0. Float64. Arrays are [B·H·Nq].
 */
export function attentionRowStats(
  q: HostTensor,
  k: HostTensor,
  v: HostTensor,
  opts: AttentionReferenceOptions = {},
): { m: Float64Array; l: Float64Array } {
  const x = resolve('attentionRowStats', q, k, v, { ...opts, variant: 'flash' });
  const { p } = x;
  const m = new Float64Array(p.B * p.H * p.Nq);
  const l = new Float64Array(p.B * p.H * p.Nq);
  const s = new Float64Array(p.Nk);
  const id = (z: number) => z;
  for (let bh = 0; bh < p.B * p.H; bh++) {
    for (let i = 0; i < p.Nq; i++) {
      logitsRow(x, q, k, bh, i, id, s);
      let mx = -Infinity;
      for (const z of s) mx = Math.max(mx, z);
      let sum = 0;
      if (mx !== -Infinity) for (const z of s) if (z !== -Infinity) sum += Math.exp(z - mx);
      m[bh * p.Nq + i] = mx;
      l[bh * p.Nq + i] = sum;
    }
  }
  return { m, l };
}
