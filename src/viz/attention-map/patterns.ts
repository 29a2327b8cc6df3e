/**
 * Seeded Q and K that produce the attention patterns readers meet in papers, so the
 * live kernels can draw them. Every pattern is built from positions, not learned:
 *
 * - `local`: a sliding window around the diagonal; the logits fall off as a Gaussian
 *   in the distance |i − j| (width 2–4 tokens, by head).
 * - `previous`: each query looks at the token before it (previous-token heads, one
 *   half of an induction circuit): the same Gaussian, centred on j = i − 1 and narrow.
 * - `sink`: most of every row's mass lands on the first token (the "attention sink" of
 *   streaming LLMs), the rest on a local window. Key 0 carries a large component in a
 *   dimension that every query shares.
 * - `random`: Gaussian Q and K: diffuse, unstructured weights.
 * - `mixed`: head h takes local, previous, sink and random in turn, for small multiples.
 *
 * The window needs only three dimensions. With centred positions u and a centre c(i),
 * q_i = (2αc, α, −αc², …) and k_j = (u_j, −u_j², 1, …) give
 *
 *   q_i·k_j = 2αc·u_j − α·u_j² − αc² = −α (u_j − c)²,
 *
 * a Gaussian window of width 1/√(2α) around c whose peak logit is 0. The sink's key 0
 * drops the window terms and carries +3.5 in a dimension every query shares. The other
 * dimensions carry seeded noise, which makes each seed a slightly different head.
 */
import { mulberry32, normalArray } from '../../reference/random';

export const ATTENTION_PATTERNS = ['local', 'sink', 'previous', 'random', 'mixed'] as const;
export type AttentionPattern = (typeof ATTENTION_PATTERNS)[number];

/** One-line explanations, for the demo page and tooltips. */
export const PATTERN_NOTES: Readonly<Record<AttentionPattern, string>> = {
  local: 'a sliding window: each query attends to its neighbours, falling off with distance',
  sink: 'an attention sink: most of each row’s mass lands on the first token, the rest nearby',
  previous: 'a previous-token head: query i attends to key i − 1 (an off-diagonal stripe)',
  random: 'Gaussian Q and K: diffuse weights with no structure',
  mixed: 'head h takes local, previous, sink and random in turn',
};

export interface PatternOptions {
  pattern: AttentionPattern;
  seed: number;
  /** Sequence length (queries = keys). */
  n: number;
  heads?: number;
  /** Head dim, at least 8 (default 32). */
  dim?: number;
  /** Width σ (in tokens) of the local window of `local` and `sink` heads (default 2–4 by head, 3 for sink). */
  window?: number;
}

/** Seeded inputs, `[1, H, n, d]` each, plus token labels and each head's pattern. */
export interface PatternData {
  q: { data: Float32Array; shape: number[] };
  k: { data: Float32Array; shape: number[] };
  v: { data: Float32Array; shape: number[] };
  tokens: string[];
  headPatterns: Exclude<AttentionPattern, 'mixed'>[];
}

const TEXT = 'the cat sat on the mat because it was warm and the dog slept by the door while rain fell on the roof of the old house'.split(
  ' ',
);

/** Token labels: words of a fixed sentence, cycled. */
export function patternTokens(n: number): string[] {
  return Array.from({ length: n }, (_, i) => TEXT[i % TEXT.length]!);
}

/** Generates seeded Q, K and V for `pattern`. */
export function generatePattern(opts: PatternOptions): PatternData {
  const { pattern, seed, n } = opts;
  const H = opts.heads ?? 1;
  const d = opts.dim ?? 32;
  if (!ATTENTION_PATTERNS.includes(pattern))
    throw new RangeError(`generatePattern: unknown pattern ${JSON.stringify(pattern)}; use ${ATTENTION_PATTERNS.join(', ')}`);
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new RangeError(`generatePattern: n must be an integer in [1, 4096], got ${n}`);
  if (!Number.isInteger(H) || H < 1 || H > 64) throw new RangeError(`generatePattern: heads must be an integer in [1, 64], got ${H}`);
  if (!Number.isInteger(d) || d < 8 || d > 256) throw new RangeError(`generatePattern: dim must be an integer in [8, 256], got ${d}`);
  if (opts.window !== undefined && !(Number.isFinite(opts.window) && opts.window >= 0.25 && opts.window <= 1024)) {
    throw new RangeError(`generatePattern: window must be a number in [0.25, 1024], got ${opts.window}`);
  }
  const rng = mulberry32(seed);
  const q = new Float32Array(H * n * d);
  const k = new Float32Array(H * n * d);
  const v = normalArray(rng, H * n * d);
  const headPatterns: PatternData['headPatterns'] = [];
  const base: Exclude<AttentionPattern, 'mixed'>[] = ['local', 'previous', 'sink', 'random'];
  // The kernels scale logits by 1/√d; queries are multiplied by √d so gains mean what they say.
  const root = Math.sqrt(d);
  const mid = (n - 1) / 2;
  for (let h = 0; h < H; h++) {
    const p = pattern === 'mixed' ? base[h % base.length]! : pattern;
    headPatterns.push(p);
    const noise = normalArray(rng, 2 * n * d, p === 'random' ? 1 : 0.25);
    const sigma = p === 'previous' ? 0.45 : (opts.window ?? (p === 'sink' ? 3 : 2 + (h % 3)));
    const alpha = 1 / (2 * sigma * sigma);
    for (let i = 0; i < n; i++) {
      const qo = (h * n + i) * d;
      const ko = (h * n + i) * d;
      for (let t = 0; t < d; t++) {
        q[qo + t] = noise[2 * i * d + t]!;
        k[ko + t] = noise[(2 * i + 1) * d + t]!;
      }
      if (p === 'random') continue;
      const u = i - mid;
      const c = p === 'previous' ? u - 1 : u;
      q[qo] = 2 * alpha * c * root;
      q[qo + 1] = alpha * root;
      q[qo + 2] = -alpha * c * c * root;
      k[ko] = u;
      k[ko + 1] = -u * u;
      k[ko + 2] = 1;
      q[qo + d - 1] = 0;
      k[ko + d - 1] = 0;
      if (p === 'sink') {
        // Key 0 leaves the window and gets +3.5 for every query: e^3.5 ≈ 33 against a
        // window's Σ e^{−α(u−c)²} ≈ √(2π)·σ ≈ 7.5.
        q[qo + d - 1] = Math.sqrt(3.5 * root);
        if (i === 0) {
          k[ko] = 0;
          k[ko + 1] = 0;
          k[ko + 2] = 0;
          k[ko + d - 1] = Math.sqrt(3.5 * root);
        }
      }
    }
  }
  return {
    q: { data: q, shape: [1, H, n, d] },
    k: { data: k, shape: [1, H, n, d] },
    v: { data: v, shape: [1, H, n, d] },
    tokens: patternTokens(n),
    headPatterns,
  };
}
