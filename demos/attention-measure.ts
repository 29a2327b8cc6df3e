/**
 * The attention page's measurements: seeded inputs for a chosen N, d and heads, the
 * float64 reference rows they are checked against, and the timed runs (every variant
 * at one point, flash alone with the causal mask toggled, and the CPU fallback).
 */
import { ATTENTION_VARIANTS, profileAttention, type AttentionVariant } from '../src/kernels/attention';
import { attentionReference } from '../src/reference/attention';
import { Tensor } from '../src/gpu/tensor';
import type { Gpu } from '../src/gpu/device';
import { mulberry32, normalArray } from '../src/reference/random';

const SAMPLED_ROWS = 12;

export interface State {
  n: number;
  d: number;
  heads: number;
  causal: boolean;
}

export interface Row {
  variant: AttentionVariant | string;
  ms: number | null;
  peak: number | null;
  largest: number | null;
  err: number | null;
  errExact: number | null;
}

/** Random q, k, v [1, H, N, d], seeded by the shape. */
function inputs(s: State) {
  const rng = mulberry32(s.n * 131 + s.d * 7 + s.heads);
  const size = s.heads * s.n * s.d;
  const shape = [1, s.heads, s.n, s.d];
  return {
    q: { data: normalArray(rng, size), shape },
    k: { data: normalArray(rng, size), shape },
    v: { data: normalArray(rng, size), shape },
  };
}

/** The sampled query rows of one head, as a [1, 1, rows, d] slice plus the offset that keeps the causal alignment. */
function sampledRows(n: number): number[] {
  if (n <= SAMPLED_ROWS) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: SAMPLED_ROWS }, (_, i) => Math.floor((i * (n - 1)) / (SAMPLED_ROWS - 1)));
}

/**
 * Float64 reference rows for head h: the references run on a query slice whose keys
 * are trimmed to what each row may see when causal (so bottom-right alignment holds).
 */
function referenceRows(x: ReturnType<typeof inputs>, s: State, h: number, rows: number[], variant: AttentionVariant): Float64Array {
  const out = new Float64Array(rows.length * s.d);
  const head = (t: { data: Float32Array }, r: number) => t.data.subarray((h * s.n + r) * s.d, (h * s.n + r + 1) * s.d);
  rows.forEach((i, r) => {
    const nk = s.causal ? i + 1 : s.n;
    const k = new Float32Array(nk * s.d);
    const v = new Float32Array(nk * s.d);
    for (let j = 0; j < nk; j++) {
      k.set(head(x.k, j), j * s.d);
      v.set(head(x.v, j), j * s.d);
    }
    const o = attentionReference(
      { data: head(x.q, i), shape: [1, 1, 1, s.d] },
      { data: k, shape: [1, 1, nk, s.d] },
      { data: v, shape: [1, 1, nk, s.d] },
      { variant },
    );
    out.set(o.data, r * s.d);
  });
  return out;
}

function maxDiff(got: Float32Array, s: State, h: number, rows: number[], want: Float64Array): number {
  let worst = 0;
  rows.forEach((i, r) => {
    for (let c = 0; c < s.d; c++) worst = Math.max(worst, Math.abs(got[(h * s.n + i) * s.d + c]! - want[r * s.d + c]!));
  });
  return worst;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs each variant (one warm-up, then `repeats` measured runs) at state `s`. */
export async function runPoint(gpu: Gpu, s: State, repeats: number, check: boolean, onStep: (label: string) => void): Promise<Row[]> {
  const x = inputs(s);
  const [q, k, v] = [x.q, x.k, x.v].map((t) => Tensor.fromData(gpu, t.data, t.shape, 'demo'));
  const rows = sampledRows(s.n);
  const exact = check ? referenceRows(x, s, 0, rows, 'flash') : null;
  const out: Row[] = [];
  try {
    for (const variant of ATTENTION_VARIANTS) {
      onStep(`${variant}: warm-up`);
      const warm = await profileAttention(gpu, q!, k!, v!, { variant, causal: s.causal });
      let err: number | null = null;
      let errExact: number | null = null;
      if (check) {
        const got = await warm.output.read();
        const own = variant === 'linear' ? referenceRows(x, s, 0, rows, 'linear') : exact!;
        err = maxDiff(got, s, 0, rows, own);
        errExact = maxDiff(got, s, 0, rows, exact!);
      }
      warm.output.destroy();
      const times: number[] = [];
      let peak = warm.memory.peakDeltaBytes;
      let largest = warm.largestBufferBytes;
      for (let r = 0; r < repeats; r++) {
        onStep(`${variant}: run ${r + 1} of ${repeats}`);
        const p = await profileAttention(gpu, q!, k!, v!, { variant, causal: s.causal });
        p.output.destroy();
        times.push(p.timing.gpuMs);
        peak = Math.max(peak, p.memory.peakDeltaBytes);
        largest = Math.max(largest, p.largestBufferBytes);
      }
      out.push({ variant, ms: median(times), peak, largest, err, errExact });
    }
  } finally {
    for (const t of [q, k, v]) t!.destroy();
  }
  return out;
}

/** The CPU fallback: the float64 reference at a small size, timed. */
export function runCpu(s: State): Row[] {
  const small = { ...s, n: Math.min(s.n, 128), heads: 1 };
  const x = inputs(small);
  const rows: Row[] = [];
  for (const variant of ['flash', 'linear'] as AttentionVariant[]) {
    const t0 = performance.now();
    attentionReference(x.q, x.k, x.v, { variant, causal: s.causal });
    const ms = performance.now() - t0;
    rows.push({
      variant: `CPU reference (${variant === 'flash' ? 'exact' : 'linear'}), N = ${small.n}`,
      ms,
      peak: null,
      largest: null,
      err: 0,
      errExact: null,
    });
  }
  return rows;
}

/** Median time of `repeats` flash runs (after one warm-up) with the causal mask set to `causal`. */
export async function flashMedian(gpu: Gpu, s: State, causal: boolean, repeats: number): Promise<number> {
  const x = inputs(s);
  const [q, k, v] = [x.q, x.k, x.v].map((t) => Tensor.fromData(gpu, t.data, t.shape, 'demo'));
  try {
    const times: number[] = [];
    for (let r = 0; r <= repeats; r++) {
      const p = await profileAttention(gpu, q!, k!, v!, { variant: 'flash', causal });
      p.output.destroy();
      if (r > 0) times.push(p.timing.gpuMs);
    }
    return median(times);
  } finally {
    for (const t of [q, k, v]) t!.destroy();
  }
}
