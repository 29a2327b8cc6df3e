/**
 * Attention cases with the parameters practitioners benchmark: B, Hq (`H`), Hkv, Nq, Nk,
 * d, dv, window, causal, softcap and alibi, for the `attention` and `decode` suites.
 * Older records name a square case by `N` alone (Nq = Nk = N, Hkv = H, dv = d).
 *
 * FLOPs count only the key positions a query visits: 2·B·Hq·V·(d + dv), V the visited
 * (query, key) pairs: Nq·Nk, halved when causal (the usual convention), or with a
 * sliding window exactly the pairs inside the causal/window band (`visibleKeyCount`).
 * With d = dv and no window that is flops.ts's 4·B·H·Nq·Nk·d. Bytes: q, k, v read once
 * and the output written once (grouped-query K/V count Hkv heads, not Hq).
 */
import type { Gpu } from '../gpu/device';
import { alibiSlopes, attentionKeyRange, visibleKeyCount } from '../problem/attention';
import { configLabel } from './config-label';
import type { CaseInputs } from './inputs';
import { loadAttentionReference, loadTuned } from './modules';
import { adapterIdentity } from '../gpu/adapter-class';
import type { BenchCase, RunConfig, RunOptions } from './types';

/** One attention case's parameters, defaults filled in. */
export interface AttentionCaseParams {
  B: number;
  /** Query heads (Hq). */
  H: number;
  Hkv: number;
  Nq: number;
  Nk: number;
  d: number;
  dv: number;
  causal: boolean;
  /** Keys left of the diagonal (sliding window), or null for none. */
  window: number | null;
  softcap: number | null;
  alibi: boolean;
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** The parameters of an attention or decode case. */
export function attentionCaseParams(c: Pick<BenchCase, 'params'>): AttentionCaseParams {
  const p = c.params;
  const N = num(p.N) ?? 0;
  const H = num(p.H) ?? 1;
  const d = num(p.d) ?? 0;
  return {
    B: num(p.B) ?? 1,
    H,
    Hkv: num(p.Hkv) ?? H,
    Nq: num(p.Nq) ?? N,
    Nk: num(p.Nk) ?? N,
    d,
    dv: num(p.dv) ?? d,
    causal: p.causal === true,
    window: num(p.window) ?? null,
    softcap: num(p.softcap) ?? null,
    alibi: p.alibi === true,
  };
}

/** Whether the case uses nothing past plain multi-head attention (what every peer implements). */
export function isPlainAttention(p: AttentionCaseParams): boolean {
  return p.Hkv === p.H && p.Nq === p.Nk && p.dv === p.d && p.window === null && p.softcap === null && !p.alibi;
}

/** The variant options of `attention()` and its reference for these parameters. */
export function variantOptions(p: AttentionCaseParams): Record<string, unknown> {
  return {
    causal: p.causal,
    ...(p.window !== null ? { window: p.window } : {}),
    ...(p.softcap !== null ? { softcap: p.softcap } : {}),
    ...(p.alibi ? { alibi: true } : {}),
  };
}

/**
 * The options kernelscope's implementation `c.impl` runs with. In the decode suite,
 * `flash` is plain flash (`splitK: false`) and `splitk` is flash forced to split-K.
 */
export function attentionRunOptions(c: Pick<BenchCase, 'suite' | 'impl' | 'params'>): Record<string, unknown> {
  const p = attentionCaseParams(c);
  const opts: Record<string, unknown> = { ...variantOptions(p), variant: c.impl === 'splitk' ? 'flash' : c.impl };
  if (c.suite === 'decode' && c.impl === 'flash') opts.splitK = false;
  if (c.impl === 'splitk') opts.splitK = true;
  return opts;
}

/** Input and output shapes: q [B, Hq, Nq, d], k [B, Hkv, Nk, d], v [B, Hkv, Nk, dv] → [B, Hq, Nq, dv]. */
export function attentionCaseShapes(c: Pick<BenchCase, 'params'>): { inputs: Record<string, number[]>; output: number[] } {
  const p = attentionCaseParams(c);
  return {
    inputs: { q: [p.B, p.H, p.Nq, p.d], k: [p.B, p.Hkv, p.Nk, p.d], v: [p.B, p.Hkv, p.Nk, p.dv] },
    output: [p.B, p.H, p.Nq, p.dv],
  };
}

/** Visited (query, key) pairs per head: Nq·Nk (halved when causal), or the causal/window band exactly. */
export function visitedPairs(p: AttentionCaseParams): number {
  if (p.window === null) return p.causal ? (p.Nq * p.Nk) / 2 : p.Nq * p.Nk;
  return visibleKeyCount({ Nq: p.Nq, Nk: p.Nk, causal: p.causal, windowLeft: p.window, windowRight: null });
}

/** FLOPs (visited key positions only) and compulsory bytes of one call. */
export function attentionCaseWork(c: Pick<BenchCase, 'impl' | 'params'>): { flops: number; bytes: number } {
  const p = attentionCaseParams(c);
  const bytes = 4 * p.B * (p.H * p.Nq * (p.d + p.dv) + p.Hkv * p.Nk * (p.d + p.dv));
  // Linear attention: φ(K)ᵀV per K/V head and φ(Q)·(φ(K)ᵀV) per query head.
  if (c.impl === 'linear') return { flops: 2 * p.B * (p.Hkv * p.Nk + p.H * p.Nq) * p.d * p.dv, bytes };
  return { flops: 2 * p.B * p.H * visitedPairs(p) * (p.d + p.dv), bytes };
}

/**
 * Output rows of exact attention with the variants, float64: row r of the flattened
 * [B·Hq·Nq] queries, by the rule of src/problem/attention.ts (softcap, ALiBi with the
 * standard slopes, causal and window band, grouped-query K/V heads).
 */
export function attentionVariantRows(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  p: AttentionCaseParams,
  rows: readonly number[],
): Float64Array {
  const out = new Float64Array(rows.length * p.dv);
  const scale = 1 / Math.sqrt(p.d);
  const slopes = p.alibi ? alibiSlopes(p.H) : null;
  const band = { Nq: p.Nq, Nk: p.Nk, causal: p.causal, windowLeft: p.window, windowRight: null };
  const s = new Float64Array(p.Nk);
  rows.forEach((row, r) => {
    const bh = Math.floor(row / p.Nq);
    const i = row % p.Nq;
    const h = bh % p.H;
    const kvh = Math.floor(bh / p.H) * p.Hkv + Math.floor(h / (p.H / p.Hkv));
    const [start, end] = attentionKeyRange(band, i);
    let m = -Infinity;
    for (let j = start; j < end; j++) {
      let dot = 0;
      for (let t = 0; t < p.d; t++) dot += q[row * p.d + t]! * k[(kvh * p.Nk + j) * p.d + t]!;
      let x = dot * scale;
      if (p.softcap !== null) x = p.softcap * Math.tanh(x / p.softcap);
      if (slopes) x -= slopes[h]! * Math.abs(i + p.Nk - p.Nq - j);
      s[j] = x;
      m = Math.max(m, x);
    }
    let sum = 0;
    for (let j = start; j < end; j++) sum += s[j] = Math.exp(s[j]! - m);
    for (let j = start; j < end; j++) {
      const w = s[j]! / sum;
      for (let t = 0; t < p.dv; t++) out[r * p.dv + t] = out[r * p.dv + t]! + w * v[(kvh * p.Nk + j) * p.dv + t]!;
    }
  });
  return out;
}

/**
 * The reference of an attention case: every output against `attentionReference` when
 * its visited work is at most `options.fullCheckFlops`, else seeded rows (`pickRows`)
 * against `attentionVariantRows` (linear attention: the full reference only, its cases
 * being small or plain). Returns the compared outputs, flat.
 */
export async function attentionCheck(
  c: BenchCase,
  inputs: CaseInputs,
  output: Float32Array,
  options: Pick<RunOptions, 'fullCheckFlops' | 'sampleRows'>,
  pickRows: (rows: number, count: number) => number[],
): Promise<{ actual: ArrayLike<number>; oracle: ArrayLike<number>; checked: 'all' | 'sample' }> {
  const p = attentionCaseParams(c);
  const { q, k, v } = inputs as { q: CaseInputs[string]; k: CaseInputs[string]; v: CaseInputs[string] };
  const opts = attentionRunOptions(c);
  delete opts.splitK;
  if (c.impl === 'linear' || attentionCaseWork(c).flops <= options.fullCheckFlops) {
    const ref = (await loadAttentionReference()).attentionReference(q, k, v, opts);
    return { actual: output, oracle: ref.data, checked: 'all' };
  }
  const rows = pickRows(p.B * p.H * p.Nq, options.sampleRows);
  const actual = new Float32Array(rows.length * p.dv);
  rows.forEach((i, r) => actual.set(output.subarray(i * p.dv, (i + 1) * p.dv), r * p.dv));
  return { actual, oracle: attentionVariantRows(q.data, k.data, v.data, p, rows), checked: 'sample' };
}

/** The flash configuration an attention or decode case runs with (asked of the kernels' own lookup). */
export async function attentionConfig(gpu: Gpu, c: BenchCase): Promise<RunConfig> {
  if (c.impl !== 'flash' && c.impl !== 'splitk') return { label: c.impl, values: { variant: c.impl }, tuned: false };
  const t = await loadTuned();
  const p = attentionCaseParams(c);
  const splitK = attentionRunOptions(c).splitK as boolean | undefined;
  const shape = { d: p.d, dv: p.dv, causal: p.causal, Nq: p.Nq, Nk: p.Nk };
  const config = t.flashConfigFor(gpu, { ...shape, splitK });
  const shapeClass = t.flashShapeClass(shape);
  const family = t.FLASH_FAMILY;
  const record = gpu.tuning.lookup(adapterIdentity(gpu.info), family.kernel, shapeClass, family.source);
  const tuned = splitK === undefined && record !== undefined && family.accept(record.config, gpu) !== null;
  const { layout, ...rest } = config as { layout: string } & Record<string, unknown>;
  const origin = splitK === undefined ? (tuned ? ' (tuned)' : ' (default)') : ' (forced)';
  return { label: `${configLabel(layout, rest)}${origin}`, values: { ...config, shapeClass }, tuned };
}
