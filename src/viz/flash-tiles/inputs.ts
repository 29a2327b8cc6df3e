/**
 * The Q, K, V that `<flash-tiles>` traces: the `data` property, checked (one (batch, head),
 * matching shapes, finite values), or the seeded pattern of its attributes.
 */
import { attentionDims } from '../../reference/flash-trace';
import { KernelscopeError } from '../../problem/errors';
import { AttributeError } from '../attributes';
import { generatePattern, type AttentionPattern } from '../attention-map/patterns';
import type { FlashInputs } from './data';

/** Checks `{q, k, v}` given as the `data` property; a bad one throws an `AttributeError` of `data`. */
export function checkFlashData(data: FlashInputs): FlashInputs {
  try {
    attentionDims('flash-tiles', data.q, data.k, data.v);
    if (data.q.shape[0] !== 1 || data.q.shape[1] !== 1) throw new Error('must be one (batch, head): shapes [1, 1, N, d]');
    for (const [name, t] of Object.entries(data)) {
      const bad = Array.prototype.findIndex.call(t.data, (x: number) => !Number.isFinite(x));
      if (bad >= 0) throw new Error(`${name}.data[${bad}] is ${t.data[bad]}; every value must be finite`);
    }
    return data;
  } catch (e) {
    const message = e instanceof KernelscopeError ? e.message : `flash-tiles: data: ${e instanceof Error ? e.message : String(e)}`;
    throw new AttributeError('flash-tiles', 'data', data, 'valid inputs', message);
  }
}

/** The attributes of the seeded pattern. */
export interface FlashPatternAttributes {
  pattern: AttentionPattern;
  seed: number;
  /** Queries. */
  n: number;
  /** Keys (null: n). */
  nk: number | null;
  dim: number;
}

/** The pattern's one head: queries are its last n positions (bottom-right alignment), keys and values its first nk. */
export function patternInputs(p: FlashPatternAttributes): FlashInputs {
  const nk = p.nk ?? p.n;
  const N = Math.max(p.n, nk);
  const g = generatePattern({ pattern: p.pattern, seed: p.seed, n: N, heads: 1, dim: p.dim });
  const d = p.dim;
  const q = g.q.data.slice((N - p.n) * d, N * d);
  return {
    q: { data: q, shape: [1, 1, p.n, d] },
    k: { data: g.k.data.slice(0, nk * d), shape: [1, 1, nk, d] },
    v: { data: g.v.data.slice(0, nk * d), shape: [1, 1, nk, d] },
  };
}
