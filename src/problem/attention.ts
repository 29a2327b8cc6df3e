/**
 * Attention's CPU-side contract, shared by the GPU launchers and the CPU
 * references: the options, their validation, the resolution of the q/k/v (and
 * mask and bias) shapes into one problem, and the visible key band. The variant
 * options (attention-variant-options.ts) and the flash kernel's tile choice
 * (flash-tile.ts) live beside it and are re-exported here.
 * Pure: no GPU, no DOM, so it runs in Node too.
 *
 * Shapes: q [B, Hq, Nq, d], k [B, Hkv, Nk, d], v [B, Hkv, Nk, dv] → output [B, Hq, Nq, dv].
 * Hq is a multiple of Hkv (grouped-query attention; Hkv = 1 is multi-query): query
 * head h reads key/value head ⌊h / (Hq/Hkv)⌋. Rank-3 [H, N, d] and rank-2 [N, d]
 * inputs are read as B = 1 (and H = 1).
 *
 * The logit of query i and key j, in order (the kernels and references agree on it):
 *
 *   s = scale·q_i·k_j                         (scaled dot product)
 *   s = c·tanh(s / c)                         (softcap c, when given)
 *   s = s + bias[i, j] − slope_h·|i + off − j| (bias; ALiBi, when given; off = Nk − Nq)
 *   masked when: causal and j > i + off; outside the window [i + off − W, i + off + Wr];
 *   key padding; or s < −1e30.
 */
import { InvalidArgumentError, ShapeError } from './errors';
import { assertValidShape } from './shape';
import { assertHostList } from './limits';
import { checkAttentionVariantOptions } from './attention-variant-options';

export { alibiSlopes, checkAttentionVariantOptions, type AttentionVariantOptions } from './attention-variant-options';
export { flashTile, FLASH_WORKGROUP_BYTES, type FlashTile } from './flash-tile';

/** The three ways to compute attention. */
export type AttentionVariant = 'naive' | 'flash' | 'linear';

export const ATTENTION_VARIANTS: readonly AttentionVariant[] = Object.freeze(['naive', 'flash', 'linear'] as const);

/**
 * Logits below this (and −∞) count as masked: they get probability exactly 0, and a
 * row whose logits are all masked gives 0. WGSL does not promise IEEE infinities, so
 * the kernels test against this threshold instead of relying on exp(−∞) = 0.
 */
export const MASK_THRESHOLD = -1e30;

/** Attention's options (the `TensorLike` fields are shape-checked here, uploaded by the launcher). */
export interface AttentionOptionsOf<T> {
  /** Which kernel; default `'flash'`. */
  variant?: AttentionVariant;
  /** Causal mask, aligned bottom-right when Nq ≠ Nk: query i sees key j iff j ≤ i + (Nk − Nq). */
  causal?: boolean;
  /** Multiplies q·k; default 1/√d. Must be finite and > 0. */
  scale?: number;
  /** Per batch element: keys j ≥ keyLengths[b] are masked. Length B, integers in [0, Nk]. */
  keyLengths?: readonly number[];
  /** [B, Nk] (or [Nk] for B = 1): 1 keeps a key, 0 masks it. The alternative to `keyLengths`. */
  keyPaddingMask?: T;
  /**
   * Additive bias on the scaled logits, broadcast from the right over [B, H, Nq, Nk]:
   * [Nk] (per key), [Nq, Nk], [H, Nq, Nk] or [B, H, Nq, Nk]. −∞ (or < −1e30) masks.
   * `linear` accepts only a per-key bias (it weights key j by e^{bias_j}).
   */
  bias?: T;
  /**
   * Sliding window: query i sees keys j ≥ i + off − window (off = Nk − Nq, the causal
   * alignment), i.e. `window` keys to the left of its diagonal and the diagonal itself.
   * An integer ≥ 0; absent: unbounded. Tiles wholly outside the window are never visited.
   */
  window?: number;
  /** The window's right side: keys j ≤ i + off + windowRight. An integer ≥ 0; absent: unbounded (causal bounds it at 0). */
  windowRight?: number;
  /**
   * ALiBi: adds −slope_h·|i + off − j| to the logits of query head h. `true` takes the
   * standard slopes (`alibiSlopes(Hq)`: 2^(−8(h+1)/Hq) for a power-of-two Hq); an array
   * gives one finite slope per query head.
   */
  alibi?: boolean | readonly number[];
  /** Logit soft-capping: s → c·tanh(s / c) on the scaled logits, before bias and masks. Finite, > 0. */
  softcap?: number;
  /**
   * Flash only: split-K ("flash-decoding"): keys split across workgroups, partial
   * (m, l, O) merged by a second pass. Default: chosen by the device's configuration
   * (on for decode shapes, Nq ≤ 16 against Nk ≥ 256); `true` forces it, `false` forbids it.
   */
  splitK?: boolean;
}

/** One resolved attention problem. */
export interface AttentionProblem {
  variant: AttentionVariant;
  B: number;
  /** Query heads (Hq). */
  H: number;
  /** Key/value heads: H is a multiple of it. */
  Hkv: number;
  /** Query heads per key/value head, H / Hkv. */
  group: number;
  Nq: number;
  Nk: number;
  d: number;
  dv: number;
  scale: number;
  causal: boolean;
  /** Nk − Nq: query i sees keys j ≤ i + causalOffset when causal. */
  causalOffset: number;
  /** Per batch element, keys at or past this index are masked (Nk when none given). */
  keyLengths: number[];
  hasKeyPaddingMask: boolean;
  /** Bias element count divided by Nk (rows of bias, broadcast by modulo); 0 when no bias. */
  biasRows: number;
  biasShape: readonly number[] | null;
  /** Keys left of the diagonal a query sees (sliding window), or null when unbounded. */
  windowLeft: number | null;
  /** Keys right of the diagonal a query sees, or null when unbounded. */
  windowRight: number | null;
  /** One ALiBi slope per query head, or null without ALiBi. */
  alibiSlopes: number[] | null;
  /** The soft-cap c, or 0 for none. */
  softcap: number;
  /** The caller's split-K choice (flash only), or undefined for automatic. */
  splitK: boolean | undefined;
  /** Output shape, of the same rank as q. */
  outShape: number[];
}

function asRank4(op: string, name: string, s: readonly number[]): [number, number, number, number] {
  if (s.length === 4) return s as unknown as [number, number, number, number];
  if (s.length === 3) return [1, s[0]!, s[1]!, s[2]!];
  if (s.length === 2) return [1, 1, s[0]!, s[1]!];
  throw new ShapeError(op, `${name} must have rank 4 [B, H, N, d] (or 3 or 2), got rank ${s.length}`, { [name]: s });
}

/** What the kernels use for an unbounded window side (any key count stays far below it). */
export const WINDOW_UNBOUNDED = 2 ** 30;

/**
 * The keys [start, end) query row i may see under the causal mask and the window (key
 * lengths and padding aside): the band the kernels visit. Empty when start ≥ end.
 */
export function attentionKeyRange(
  p: Pick<AttentionProblem, 'Nq' | 'Nk' | 'causal' | 'windowLeft' | 'windowRight'>,
  i: number,
): [number, number] {
  const diag = i + p.Nk - p.Nq;
  let end = p.Nk;
  if (p.causal) end = Math.min(end, diag + 1);
  if (p.windowRight !== null) end = Math.min(end, diag + p.windowRight + 1);
  const start = p.windowLeft === null ? 0 : Math.max(0, diag - p.windowLeft);
  return [Math.max(0, start), Math.max(0, Math.min(p.Nk, end))];
}

/**
 * Visible (query, key) pairs of one (batch, head) under causal, window and key length
 * `keyLength` (default Nk); the keep mask aside. The bench counts FLOPs over these.
 */
export function visibleKeyCount(
  p: Pick<AttentionProblem, 'Nq' | 'Nk' | 'causal' | 'windowLeft' | 'windowRight'>,
  keyLength: number = p.Nk,
): number {
  let n = 0;
  for (let i = 0; i < p.Nq; i++) {
    const [a, b] = attentionKeyRange(p, i);
    n += Math.max(0, Math.min(b, keyLength) - a);
  }
  return n;
}

/** Validates the options record itself (not the tensors); returns variant, causal and scale or throws. */
function checkOptions(op: string, opts: unknown): Record<string, unknown> {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new InvalidArgumentError(op, 'options', opts, 'an options object or undefined');
  }
  return opts as Record<string, unknown>;
}

/**
 * Resolves and validates an attention call from its shapes. Throws `ShapeError`
 * (mismatched batch, heads, head dims, key counts, mask or bias shapes) or
 * `InvalidArgumentError` (unknown variant, bad scale, bad key lengths) naming the
 * shapes at fault. `maskShape`/`biasShape` are the shapes of the given tensors.
 */
export function resolveAttention(
  op: string,
  qShape: readonly number[],
  kShape: readonly number[],
  vShape: readonly number[],
  options: unknown,
  maskShape: readonly number[] | null,
  biasShape: readonly number[] | null,
): AttentionProblem {
  const o = checkOptions(op, options);
  const variant = (o.variant ?? 'flash') as AttentionVariant;
  if (!ATTENTION_VARIANTS.includes(variant)) {
    throw new InvalidArgumentError(op, 'variant', o.variant, ATTENTION_VARIANTS.map((v) => `'${v}'`).join(', '));
  }
  if (o.causal !== undefined && typeof o.causal !== 'boolean') throw new InvalidArgumentError(op, 'causal', o.causal, 'a boolean');
  assertValidShape(op, 'q', qShape);
  assertValidShape(op, 'k', kShape);
  assertValidShape(op, 'v', vShape);
  const shapes = { q: qShape, k: kShape, v: vShape };
  if (qShape.length !== kShape.length || qShape.length !== vShape.length) {
    throw new ShapeError(op, 'q, k and v must have the same rank', shapes);
  }
  const [B, H, Nq, d] = asRank4(op, 'q', qShape);
  const [Bk, Hk, Nk, dk] = asRank4(op, 'k', kShape);
  const [Bv, Hv, Nv, dv] = asRank4(op, 'v', vShape);
  if (B !== Bk || B !== Bv) throw new ShapeError(op, `batch sizes differ: q ${B}, k ${Bk}, v ${Bv}`, shapes);
  if (Hk !== Hv) throw new ShapeError(op, `k and v head counts differ: k ${Hk}, v ${Hv}`, shapes);
  if (Hk === 0 ? H !== 0 : H % Hk !== 0) {
    throw new ShapeError(
      op,
      `the query head count (${H}) must be a multiple of the key/value head count (${Hk}) (grouped-query attention)`,
      shapes,
    );
  }
  if (d !== dk) throw new ShapeError(op, `head dims differ: q has d = ${d} but k has d = ${dk}`, shapes);
  if (Nk !== Nv) throw new ShapeError(op, `k has ${Nk} keys but v has ${Nv} values`, shapes);
  if (d === 0) throw new ShapeError(op, 'the head dim d must be at least 1', shapes);

  const scale = o.scale === undefined ? 1 / Math.sqrt(d) : o.scale;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || !(scale > 0)) {
    throw new InvalidArgumentError(op, 'scale', o.scale, 'a finite number > 0');
  }

  // One key length per batch element: B comes from a shape, which a zero-size dimension can
  // leave unbacked by any data, so bound it before building the list.
  assertHostList(op, `one key length per batch element (B = ${B})`, B);
  let keyLengths: number[] = new Array<number>(B).fill(Nk);
  if (o.keyLengths !== undefined && o.keyPaddingMask !== undefined) {
    throw new InvalidArgumentError(
      op,
      'keyLengths',
      'given with keyPaddingMask',
      'given alone (use keyLengths or keyPaddingMask, not both)',
    );
  }
  if (o.keyLengths !== undefined) {
    const kl = o.keyLengths;
    if (!Array.isArray(kl) || kl.length !== B) {
      throw new InvalidArgumentError(op, 'keyLengths', kl, `an array of ${B} lengths (one per batch element)`);
    }
    for (const n of kl) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > Nk) {
        throw new InvalidArgumentError(op, 'keyLengths', kl, `integers in [0, ${Nk}]`);
      }
    }
    keyLengths = [...(kl as number[])];
  }
  if (maskShape) {
    const ok =
      (maskShape.length === 2 && maskShape[0] === B && maskShape[1] === Nk) || (B === 1 && maskShape.length === 1 && maskShape[0] === Nk);
    if (!ok) throw new ShapeError(op, `keyPaddingMask must have shape [B, Nk] = [${B}, ${Nk}]`, { ...shapes, keyPaddingMask: maskShape });
  }
  let biasRows = 0;
  if (biasShape) {
    const full = [B, H, Nq, Nk];
    const suffix = full.slice(full.length - biasShape.length);
    const ok = biasShape.length >= 1 && biasShape.length <= 4 && biasShape.every((n, i) => n === suffix[i]);
    if (!ok) {
      throw new ShapeError(op, `bias must have shape [Nk], [Nq, Nk], [H, Nq, Nk] or [B, H, Nq, Nk] (scores are [${full.join(', ')}])`, {
        ...shapes,
        bias: biasShape,
      });
    }
    if (variant === 'linear' && biasShape.length !== 1) {
      throw new InvalidArgumentError(
        op,
        'bias',
        `shape [${biasShape.join(', ')}]`,
        "a per-key bias [Nk] for variant 'linear' (a full bias has no linear-time form)",
      );
    }
    biasRows = biasShape.reduce((a, b) => a * b, 1) / Math.max(1, Nk);
  }
  const extra = checkAttentionVariantOptions(op, o, variant, H);
  const outShape = qShape.length === 4 ? [B, H, Nq, dv] : qShape.length === 3 ? [H, Nq, dv] : [Nq, dv];
  return {
    variant,
    B,
    H,
    Hkv: Hk,
    group: Hk === 0 ? 1 : H / Hk,
    Nq,
    Nk,
    d,
    dv,
    scale,
    causal: o.causal === true,
    causalOffset: Nk - Nq,
    keyLengths,
    hasKeyPaddingMask: maskShape !== null,
    biasRows,
    biasShape,
    ...extra,
    outShape,
  };
}
