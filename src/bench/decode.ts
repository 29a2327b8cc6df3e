/**
 * The `decode` suite and the attention suite's variant shapes.
 *
 * decode: one new token (Nq = 1) attending to a KV cache of Nk keys, B 1, Hq = Hkv = 8,
 * d 64, as a decoder generates. Three implementations per Nk: `naive`, plain `flash`
 * (split-K off) and `splitk` (flash with split-K on), so the plot of time against Nk
 * shows what splitting the keys buys. Quick: Nk 1024 and 4096; full: 1024 … 32768.
 * `--sizes` gives the Nk list.
 *
 * attention variants (added to the attention suite when no size, head, dim or causal
 * narrowing is given): grouped-query 8/1 next to multi-head 8/8 (K and V repeated: what
 * a library without GQA runs), a sliding window W next to full causal attention at the
 * same N, and ALiBi with soft-capping.
 */
import type { CaseParams } from './types';

/** One shape of the decode or attention suite, as cases.ts builds them. */
export interface VariantShape {
  shape: string;
  seriesTail: string;
  n: number;
  params: CaseParams;
}

/** The decode suite's implementations. */
export const DECODE_IMPLS = ['naive', 'flash', 'splitk'] as const;

/** The decode suite's heads and head dim. */
export const DECODE_SHAPE = { B: 1, H: 8, Hkv: 8, d: 64 } as const;

/** The decode shapes for `nks` (default: quick [1024, 4096], full 1024 … 32768). */
export function decodeShapes(quick: boolean, nks?: readonly number[]): VariantShape[] {
  const list = nks && nks.length > 0 ? nks : quick ? [1024, 4096] : [1024, 2048, 4096, 8192, 16384, 32768];
  const { B, H, Hkv, d } = DECODE_SHAPE;
  return list.map((Nk) => ({
    shape: `B${B} H${H}/${Hkv} Nq1 Nk${Nk} d${d}`,
    seriesTail: ` d${d} H${H}/${Hkv}`,
    n: Nk,
    params: { B, H, Hkv, Nq: 1, Nk, d, causal: false },
  }));
}

/** A square attention shape with variant options; the label names what differs from plain attention. */
function variantShape(
  H: number,
  Hkv: number,
  N: number,
  d: number,
  opts: { causal?: boolean; window?: number; softcap?: number; alibi?: boolean },
) {
  const tags = [
    Hkv !== H ? `GQA ${H}/${Hkv}` : '',
    opts.causal ? 'causal' : '',
    opts.window !== undefined ? `window ${opts.window}` : '',
    opts.alibi ? 'ALiBi' : '',
    opts.softcap !== undefined ? `softcap ${opts.softcap}` : '',
  ].filter(Boolean);
  const params: CaseParams = { B: 1, H, Hkv, N, d, causal: Boolean(opts.causal) };
  if (opts.window !== undefined) params.window = opts.window;
  if (opts.softcap !== undefined) params.softcap = opts.softcap;
  if (opts.alibi) params.alibi = true;
  return {
    shape: `B1 H${H}/${Hkv} N${N} d${d}${tags.length ? ` ${tags.join(' ')}` : ''}`,
    seriesTail: ` d${d} H${H}/${Hkv}${tags.length ? ` ${tags.join(' ')}` : ''}`,
    n: N,
    params,
  };
}

/**
 * The attention suite's variant shapes: GQA 8/1 and MHA 8/8 (N 1024; quick 256), a
 * causal window W = 256 and full causal (N 4096; quick: W 64, N 512), and causal ALiBi
 * with softcap 30 (N 1024; quick 128). Heads 1 or 8 and d 64, like the suite's own.
 */
export function attentionVariantShapes(quick: boolean): VariantShape[] {
  const [nGqa, nWin, win, nMix] = quick ? [256, 512, 64, 128] : [1024, 4096, 256, 1024];
  return [
    variantShape(8, 1, nGqa, 64, {}),
    variantShape(8, 8, nGqa, 64, {}),
    variantShape(1, 1, nWin, 64, { causal: true, window: win }),
    variantShape(1, 1, nWin, 64, { causal: true }),
    variantShape(8, 8, nMix, 64, { causal: true, alibi: true, softcap: 30 }),
  ];
}

/** Whether implementation `impl` runs a shape with these parameters (linear attention has no window, ALiBi or softcap). */
export function attentionImplRuns(impl: string, params: CaseParams): boolean {
  if (impl !== 'linear') return true;
  return params.window === undefined && params.softcap === undefined && params.alibi !== true;
}
