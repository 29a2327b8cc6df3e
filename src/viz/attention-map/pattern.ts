/**
 * The seeded pattern of `<attention-map>` as its input, when no data is given: the rules its
 * attributes must keep together (heads × n² cells at most; kv-heads divides heads), and its
 * Q/K (keys grouped for grouped-query attention), checked like data.
 */
import { generatePattern, type AttentionPattern } from './patterns';
import { AttributeError } from '../attributes';
import { MAP_LIMITS } from './attributes';
import { checkInput, groupKeys, type CheckedInput } from './data';

/** The attributes of a seeded pattern. */
export interface PatternAttributes {
  pattern: AttentionPattern | '';
  seed: number;
  n: number;
  heads: number;
  dim: number;
  window: number | null;
  kvHeads: number | null;
}

/**
 * The pattern's rules across attributes: kv-heads must divide heads, and (when the pattern is
 * drawn, `hasData` false) heads × n² must not pass the element's cell limit. Throws an `AttributeError`.
 */
export function checkPatternCells(p: PatternAttributes, hasData: boolean): true {
  if (p.kvHeads !== null && p.heads % p.kvHeads !== 0) {
    const message = `attention-map: kv-heads ${p.kvHeads} must divide heads ${p.heads} (each key head serves heads / kv-heads query heads)`;
    throw new AttributeError('attention-map', 'kvHeads', p.kvHeads, 'a divisor of heads', message);
  }
  const cells = p.heads * p.n * p.n;
  if (!hasData && p.pattern && cells > MAP_LIMITS.maxCells) {
    const message = `attention-map: ${p.heads} heads × ${p.n}×${p.n} is ${cells} cells, more than the ${MAP_LIMITS.maxCells} this element draws`;
    throw new AttributeError('attention-map', 'n', p.n, 'fewer cells', message);
  }
  return true;
}

/** The Q and K of `pattern` (keys shared in `kvHeads` groups), with its tokens and head names, as a checked input. */
export function patternInput(pattern: AttentionPattern, p: PatternAttributes): CheckedInput {
  const g = generatePattern({ pattern, seed: p.seed, n: p.n, heads: p.heads, dim: p.dim, window: p.window ?? undefined });
  const k = p.kvHeads !== null && p.kvHeads < p.heads ? groupKeys(g.k, p.kvHeads) : g.k;
  return checkInput({ q: g.q, k, tokens: g.tokens, headNames: g.headPatterns.map((name, h) => `head ${h}: ${name}`) });
}
