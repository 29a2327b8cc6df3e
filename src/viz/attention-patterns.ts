/**
 * Seeded Q and K that produce the attention patterns readers meet in papers, so the
 * live kernels can draw them. Every pattern is built from positions, not learned:
 *
 * - `previous`: each query looks at the token before it (induction / previous-token
 *   heads). Keys carry a position code p(j); query i carries α·p(i − 1).
 * - `local`: a sliding window around the diagonal. Query i carries a weaker α·p(i), so
 *   the logits fall off smoothly with distance |i − j|.
 * - `sink`: nearly every query puts most of its mass on the first token (the
 *   "attention sink" of streaming LLMs), with a little local attention left over. Key 0
 *   carries a large component in a dimension that every query shares.
 * - `random`: Gaussian Q and K: diffuse, unstructured weights.
 * - `mixed`: head h takes the patterns above in turn, for the small multiples.
 *
 * The position code is RoPE-like: p(j) = [cos(ω_f j), sin(ω_f j)]_f with geometric
 * frequencies, so p(a)·p(b) = Σ_f cos(ω_f (a − b)) depends only on the distance and
 * peaks at a = b. Seeded Gaussian noise makes each seed a different head.
 */
import { mulberry32, normalArray } from '../reference/random';

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
}

/** Seeded inputs, `[1, H, n, d]` each, plus token labels and each head's pattern. */
export interface PatternData {
  q: { data: Float32Array; shape: number[] };
  k: { data: Float32Array; shape: number[] };
  v: { data: Float32Array; shape: number[] };
  tokens: string[];
  headPatterns: Exclude<AttentionPattern, 'mixed'>[];
}

const TEXT =
  'the cat sat on the mat because it was warm and the dog slept by the door while rain fell on the roof of the old house'.split(' ');

/** Token labels: words of a fixed sentence, cycled. */
export function patternTokens(n: number): string[] {
  return Array.from({ length: n }, (_, i) => TEXT[i % TEXT.length]!);
}

function positionCode(pos: number, freqs: readonly number[], out: Float32Array, offset: number, gain: number): void {
  freqs.forEach((w, f) => {
    out[offset + 2 * f] += gain * Math.cos(w * pos);
    out[offset + 2 * f + 1] += gain * Math.sin(w * pos);
  });
}

/** Generates seeded Q, K and V for `pattern`. */
export function generatePattern(opts: PatternOptions): PatternData {
  const { pattern, seed, n } = opts;
  const H = opts.heads ?? 1;
  const d = opts.dim ?? 32;
  if (!ATTENTION_PATTERNS.includes(pattern)) throw new RangeError(`generatePattern: unknown pattern ${JSON.stringify(pattern)}; use ${ATTENTION_PATTERNS.join(', ')}`);
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new RangeError(`generatePattern: n must be an integer in [1, 4096], got ${n}`);
  if (!Number.isInteger(H) || H < 1 || H > 64) throw new RangeError(`generatePattern: heads must be an integer in [1, 64], got ${H}`);
  if (!Number.isInteger(d) || d < 8 || d > 256) throw new RangeError(`generatePattern: dim must be an integer in [8, 256], got ${d}`);
  const rng = mulberry32(seed);
  const q = new Float32Array(H * n * d);
  const k = new Float32Array(H * n * d);
  const v = normalArray(rng, H * n * d);
  // Frequencies for d/2 − 1 pairs (the last dimension is kept for the sink).
  const F = Math.floor((d - 1) / 2);
  const headPatterns: PatternData['headPatterns'] = [];
  const base: Exclude<AttentionPattern, 'mixed'>[] = ['local', 'previous', 'sink', 'random'];
  // The kernels scale logits by 1/√d, so gains are multiplied by √d to mean what they say.
  const root = Math.sqrt(d);
  for (let h = 0; h < H; h++) {
    const p = pattern === 'mixed' ? base[h % base.length]! : pattern;
    headPatterns.push(p);
    const noise = normalArray(rng, 2 * n * d, 0.15);
    const wMax = p === 'previous' ? 1.6 : 0.35 + 0.15 * (h % 3);
    const freqs = Array.from({ length: F }, (_, f) => wMax * Math.pow(Math.PI / (2 * Math.max(n, 8)) / wMax, f / Math.max(1, F - 1)));
    for (let i = 0; i < n; i++) {
      const qo = (h * n + i) * d;
      const ko = (h * n + i) * d;
      for (let t = 0; t < d; t++) {
        q[qo + t] = noise[2 * i * d + t]!;
        k[ko + t] = noise[(2 * i + 1) * d + t]!;
      }
      if (p === 'random') {
        for (let t = 0; t < d; t++) {
          q[qo + t] = noise[2 * i * d + t]! / 0.15;
          k[ko + t] = noise[(2 * i + 1) * d + t]! / 0.15;
        }
        continue;
      }
      // Logit(i, j) ≈ gain · Σ_f cos(ω_f (target(i) − j)) / F.
      const gain = p === 'previous' ? 20 : p === 'local' ? 5 : 2;
      const target = p === 'previous' ? i - 1 : i;
      positionCode(target, freqs, q, qo, Math.sqrt((gain * root) / F));
      positionCode(i, freqs, k, ko, Math.sqrt((gain * root) / F));
      if (p === 'sink') {
        q[qo + d - 1] = Math.sqrt(6 * root);
        k[ko + d - 1] = i === 0 ? Math.sqrt(6 * root) : 0;
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
