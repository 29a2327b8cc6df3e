/**
 * Attention's variant options, checked and resolved: the sliding window, ALiBi (and
 * its standard slopes), logit soft-capping and the flash kernel's split-K choice.
 * Pure: no GPU, no DOM.
 */
import { InvalidArgumentError } from './errors';
import { assertHostList, MAX_DIMENSION } from './limits';
import type { AttentionVariant } from './attention';

/** The resolved variant options of one call (see `AttentionOptionsOf` for each). */
export interface AttentionVariantOptions {
  windowLeft: number | null;
  windowRight: number | null;
  alibiSlopes: number[] | null;
  softcap: number;
  splitK: boolean | undefined;
}

/**
 * The standard ALiBi slopes for `heads` heads (Press et al. 2022): for a power of two
 * n, the geometric sequence 2^(−8/n), 2^(−16/n), …, 2^(−8); otherwise the n = 2^⌊log₂ heads⌋
 * slopes, then every other slope of the 2n sequence (the odd ones) for the rest.
 */
export function alibiSlopes(heads: number): number[] {
  if (!Number.isInteger(heads) || heads < 0) throw new InvalidArgumentError('alibiSlopes', 'heads', heads, 'an integer ≥ 0');
  const geometric = (n: number) => Array.from({ length: n }, (_, h) => 2 ** ((-8 * (h + 1)) / n));
  if (heads === 0) return [];
  const n = 2 ** Math.floor(Math.log2(heads));
  if (n === heads) return geometric(n);
  const extra = geometric(2 * n).filter((_, h) => h % 2 === 0);
  return [...geometric(n), ...extra.slice(0, heads - n)];
}

/** A key count: an integer in [0, 2³¹ − 1] (the kernels hold it in a u32 uniform, and offsets in i32). */
function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= MAX_DIMENSION;
}

/**
 * Checks the sliding-window, ALiBi, softcap and split-K options (typed errors naming the
 * value at fault). `heads` is the query head count (Hq), which the slope list must match.
 */
export function checkAttentionVariantOptions(
  op: string,
  o: Record<string, unknown>,
  variant: AttentionVariant,
  heads: number,
): AttentionVariantOptions {
  if (o.window !== undefined && !isCount(o.window)) {
    throw new InvalidArgumentError(op, 'window', o.window, `an integer in [0, ${MAX_DIMENSION}] (keys left of the diagonal a query sees)`);
  }
  if (o.windowRight !== undefined && !isCount(o.windowRight)) {
    throw new InvalidArgumentError(
      op,
      'windowRight',
      o.windowRight,
      `an integer in [0, ${MAX_DIMENSION}] (keys right of the diagonal a query sees)`,
    );
  }
  let alibi: number[] | null = null;
  if (o.alibi === true) {
    // Hq comes from a shape that a zero-size dimension can leave unbacked: bound the list first.
    assertHostList(op, `one ALiBi slope per query head (Hq = ${heads})`, heads);
    alibi = alibiSlopes(heads);
  } else if (Array.isArray(o.alibi)) {
    // Array.from visits holes (as undefined), where every() would skip them.
    if (o.alibi.length !== heads || !Array.from(o.alibi as unknown[]).every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new InvalidArgumentError(
        op,
        'alibi',
        `${o.alibi.length} slope${o.alibi.length === 1 ? '' : 's'}`,
        `${heads} finite slopes (one per query head, Hq = ${heads})`,
      );
    }
    alibi = [...(o.alibi as number[])];
  } else if (o.alibi !== undefined && o.alibi !== false) {
    throw new InvalidArgumentError(op, 'alibi', o.alibi, 'true (the standard slopes), false, or one slope per query head');
  }
  const softcap = o.softcap;
  if (softcap !== undefined && (typeof softcap !== 'number' || !Number.isFinite(softcap) || !(softcap > 0))) {
    throw new InvalidArgumentError(op, 'softcap', softcap, 'a finite number > 0');
  }
  if (o.splitK !== undefined && typeof o.splitK !== 'boolean') throw new InvalidArgumentError(op, 'splitK', o.splitK, 'a boolean');
  if (o.splitK === true && variant !== 'flash') {
    throw new InvalidArgumentError(op, 'splitK', true, "used with variant 'flash' only (split-K is a flash kernel)");
  }
  if (variant === 'linear') {
    const exact = ['window', 'windowRight', 'softcap'].find((k) => o[k] !== undefined) ?? (alibi ? 'alibi' : undefined);
    if (exact !== undefined) {
      throw new InvalidArgumentError(op, exact, o[exact], "absent for variant 'linear' (it has no linear-time form)");
    }
  }
  return {
    windowLeft: o.window === undefined ? null : (o.window as number),
    windowRight: o.windowRight === undefined ? null : (o.windowRight as number),
    alibiSlopes: alibi,
    softcap: softcap === undefined ? 0 : softcap,
    splitK: o.splitK as boolean | undefined,
  };
}
