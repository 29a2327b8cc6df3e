/**
 * The error column: the largest |output − reference| against the float64 CPU
 * reference. Small cases are checked on every output with the kernel's own
 * reference in src/reference; large ones on a seeded sample of output rows,
 * computed here in float64 row by row (same definitions), so a 4096-long
 * attention is checked in milliseconds instead of minutes.
 */
import { maxAbsError } from '../reference/compare';
import { mulberry32 } from '../reference/random';
import { hashString, type CaseInputs } from './inputs';
import { attentionFlops, matmulFlops, softmaxFlops } from './flops';
import { loadAttentionReference, loadMatmulReference, loadSoftmaxReference } from './modules';
import type { BenchCase, ErrorReport, RunOptions } from './types';
import { attentionCheck, attentionCaseParams, isPlainAttention } from './attention-case';

/** `count` distinct row indices in [0, rows), seeded, ascending. */
export function sampleRows(rows: number, count: number, seed: number): number[] {
  if (count >= rows) return Array.from({ length: rows }, (_, i) => i);
  const rng = mulberry32(seed);
  const picked = new Set<number>([0, rows - 1]);
  while (picked.size < count) picked.add(Math.floor(rng() * rows));
  return [...picked].sort((a, b) => a - b);
}

/** Rows `rows` of A[M,K]·B[K,N], float64. */
export function matmulRows(a: Float32Array, b: Float32Array, K: number, N: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * N);
  rows.forEach((i, r) => {
    for (let k = 0; k < K; k++) {
      const aik = a[i * K + k]!;
      const row = k * N;
      for (let j = 0; j < N; j++) out[r * N + j] = out[r * N + j]! + aik * b[row + j]!;
    }
  });
  return out;
}

/** Rows of a row softmax over x[R, C], float64 (max-subtracted). */
export function softmaxRows(x: Float32Array, C: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * C);
  rows.forEach((i, r) => {
    let m = -Infinity;
    for (let j = 0; j < C; j++) m = Math.max(m, x[i * C + j]!);
    let s = 0;
    for (let j = 0; j < C; j++) s += out[r * C + j] = Math.exp(x[i * C + j]! - m);
    for (let j = 0; j < C; j++) out[r * C + j]! /= s;
  });
  return out;
}

/**
 * Output rows of softmax attention, float64: row r of the flattened [B·H·N] queries,
 * softmax(q_i·K^T / √d, causal: keys j ≤ i only) · V.
 */
export function attentionRows(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  N: number,
  d: number,
  causal: boolean,
  rows: readonly number[],
): Float64Array {
  const out = new Float64Array(rows.length * d);
  const scale = 1 / Math.sqrt(d);
  const s = new Float64Array(N);
  rows.forEach((row, r) => {
    const head = Math.floor(row / N) * N * d;
    const i = row % N;
    const last = causal ? i : N - 1;
    let m = -Infinity;
    for (let j = 0; j <= last; j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += q[row * d + t]! * k[head + j * d + t]!;
      s[j] = dot * scale;
      m = Math.max(m, s[j]!);
    }
    let sum = 0;
    for (let j = 0; j <= last; j++) sum += s[j] = Math.exp(s[j]! - m);
    for (let j = 0; j <= last; j++) {
      const p = s[j]! / sum;
      for (let t = 0; t < d; t++) out[r * d + t] = out[r * d + t]! + p * v[head + j * d + t]!;
    }
  });
  return out;
}

/**
 * Output rows of linear attention, float64, by the definition src/reference/attention.ts
 * uses: φ(x) = x + 1 for x > 0, else eˣ (elu + 1), applied to √scale·q and √scale·k;
 * out_i = Σ_j (φq_i·φk_j) v_j / Σ_j φq_i·φk_j over the visible keys (j ≤ i when causal).
 */
export function linearAttentionRows(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  N: number,
  d: number,
  causal: boolean,
  rows: readonly number[],
): Float64Array {
  const out = new Float64Array(rows.length * d);
  const rs = Math.sqrt(1 / Math.sqrt(d));
  const phi = (x: number) => (x > 0 ? x + 1 : Math.exp(x));
  const fq = new Float64Array(d);
  rows.forEach((row, r) => {
    const head = Math.floor(row / N) * N * d;
    const i = row % N;
    for (let t = 0; t < d; t++) fq[t] = phi(rs * q[row * d + t]!);
    let den = 0;
    for (let j = 0; j <= (causal ? i : N - 1); j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += fq[t]! * phi(rs * k[head + j * d + t]!);
      den += dot;
      for (let t = 0; t < d; t++) out[r * d + t] = out[r * d + t]! + dot * v[head + j * d + t]!;
    }
    for (let t = 0; t < d; t++) out[r * d + t] = den === 0 ? 0 : out[r * d + t]! / den;
  });
  return out;
}

function report(actual: ArrayLike<number>, oracle: ArrayLike<number>, checked: 'all' | 'sample', total: number): ErrorReport {
  const e = maxAbsError(actual, oracle);
  let maxAbsRef = 0;
  for (let i = 0; i < oracle.length; i++) if (Number.isFinite(oracle[i]!)) maxAbsRef = Math.max(maxAbsRef, Math.abs(oracle[i]!));
  return { maxAbsErr: e.maxAbsErr, checked, count: oracle.length, total, nonFinite: e.nonFiniteMismatches.length, maxAbsRef };
}

/** Gathers rows `rows` (each `width` long) of a flat array. */
function gatherRows(x: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((i, r) => out.set(x.subarray(i * width, (i + 1) * width), r * width));
  return out;
}

/** Compares `output` with the CPU reference; null where the case has none. */
export async function checkOutput(
  c: BenchCase,
  inputs: CaseInputs,
  output: Float32Array,
  options: RunOptions,
): Promise<ErrorReport | null> {
  const p = c.params as Record<string, number>;
  const seed = (options.seed ^ hashString(c.shape)) >>> 0;
  const total = output.length;
  switch (c.suite) {
    case 'matmul': {
      const { a, b } = inputs as { a: CaseInputs[string]; b: CaseInputs[string] };
      if (matmulFlops(p.M!, p.K!, p.N!) <= options.fullCheckFlops) {
        const ref = (await loadMatmulReference()).matmulReference(a, b);
        return report(output, ref.data, 'all', total);
      }
      const rows = sampleRows(p.M!, options.sampleRows, seed);
      return report(gatherRows(output, p.N!, rows), matmulRows(a.data, b.data, p.K!, p.N!, rows), 'sample', total);
    }
    case 'softmax': {
      const { x } = inputs as { x: CaseInputs[string] };
      if (softmaxFlops(p.rows!, p.cols!) <= options.fullCheckFlops) {
        const ref = (await loadSoftmaxReference()).softmaxReference(x);
        return report(output, ref.data, 'all', total);
      }
      const rows = sampleRows(p.rows!, options.sampleRows, seed);
      return report(gatherRows(output, p.cols!, rows), softmaxRows(x.data, p.cols!, rows), 'sample', total);
    }
    case 'attention': {
      if (!isPlainAttention(attentionCaseParams(c))) {
        const r = await attentionCheck(c, inputs, output, options, (n, count) => sampleRows(n, count, seed));
        return report(r.actual, r.oracle, r.checked, total);
      }
      const { q, k, v } = inputs as { q: CaseInputs[string]; k: CaseInputs[string]; v: CaseInputs[string] };
      const causal = Boolean(c.params.causal);
      const dims = { B: p.B!, H: p.H!, Nq: p.N!, d: p.d!, causal };
      const variant = c.impl === 'linear' ? { variant: 'linear' } : {};
      // The references loop over every (query, key) pair, linear attention's included.
      if (attentionFlops(dims) <= options.fullCheckFlops) {
        const ref = (await loadAttentionReference()).attentionReference(q, k, v, { ...variant, causal });
        return report(output, ref.data, 'all', total);
      }
      const rows = sampleRows(p.B! * p.H! * p.N!, options.sampleRows, seed);
      const rowsOf = c.impl === 'linear' ? linearAttentionRows : attentionRows;
      return report(gatherRows(output, p.d!, rows), rowsOf(q.data, k.data, v.data, p.N!, p.d!, causal, rows), 'sample', total);
    }
    case 'decode': {
      const r = await attentionCheck(c, inputs, output, options, (n, count) => sampleRows(n, count, seed));
      return report(r.actual, r.oracle, r.checked, total);
    }
    case 'roofline': {
      if (c.params.probe !== 'copy') return null;
      const { x } = inputs as { x: CaseInputs[string] };
      const rows = sampleRows(x.data.length, 4096, seed);
      return report(
        rows.map((i) => output[i]!),
        rows.map((i) => x.data[i]!),
        'sample',
        total,
      );
    }
  }
}
