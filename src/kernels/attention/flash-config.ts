/**
 * The flash kernel's configurations. Three layouts compute the same function from the
 * same inputs:
 *
 * - `workgroup` (shaders/attention/flash.wgsl): a workgroup owns a block of query rows
 *   and a block of output columns, K/V tiles staged in workgroup memory, barriers
 *   between stages. For GPUs with fast shared memory; the only layout with a trace mode.
 * - `rows` (shaders/attention/flash_rows.wgsl): an invocation owns 4 query rows and
 *   every output column, no workgroup memory, no barriers. For CPU-style adapters.
 * - `splitk` (shaders/attention/flash_decode.wgsl, then flash_merge.wgsl): split-K
 *   "flash-decoding": an invocation owns one query row and `keysPerSplit` keys, writes
 *   its partial (m, l, O), and a second pass merges them. For decoding: a few queries
 *   (Nq ≤ 16) against a long key/value cache, where the other layouts have B·H
 *   invocations or workgroups for the whole device.
 *
 * The default is chosen by adapter class and shape class (`decode` shapes get `splitk`);
 * the tuner may pick another per device and shape class.
 */
import flashRowsCode from '../../../shaders/attention/flash_rows.wgsl?raw';
import type { KernelSpec } from '../../gpu/bindings';
import type { AdapterClass } from '../../gpu/adapter-class';
import { InvalidArgumentError } from '../../problem/errors';
import { FLASH_KERNEL, withScoreRule } from './specs';

/** One flash configuration: the layout, its workgroup size, and for `splitk` the keys per split. */
export type FlashConfig = { layout: 'workgroup' } | { layout: 'rows'; WG: number } | { layout: 'splitk'; WG: number; keysPerSplit: number };

/** The `rows` layout's kernel: flash.wgsl's bindings, in the same order. */
export const FLASH_ROWS_KERNEL: KernelSpec = {
  name: 'attention:flash-rows',
  code: withScoreRule(flashRowsCode),
  bindings: FLASH_KERNEL.bindings,
};

/** Query rows one `rows` invocation owns. */
export const FLASH_ROWS_PER_INVOCATION = 4;

/** Decode shapes (the `decode` shape class, where `splitk` is the default): Nq ≤ this… */
export const DECODE_MAX_QUERIES = 16;
/** …against at least this many keys. */
export const DECODE_MIN_KEYS = 256;

/** Whether (Nq, Nk) is a decode shape. */
export function isDecodeShape(Nq: number, Nk: number): boolean {
  return Nq >= 1 && Nq <= DECODE_MAX_QUERIES && Nk >= DECODE_MIN_KEYS;
}

/** Every configuration the tuner tries, in a fixed order (ties go to the first). */
export const FLASH_CONFIGS: readonly FlashConfig[] = Object.freeze([
  { layout: 'rows', WG: 16 },
  { layout: 'rows', WG: 64 },
  { layout: 'workgroup' },
  { layout: 'splitk', WG: 16, keysPerSplit: 128 },
  { layout: 'splitk', WG: 64, keysPerSplit: 64 },
  { layout: 'splitk', WG: 64, keysPerSplit: 256 },
  { layout: 'splitk', WG: 64, keysPerSplit: 512 },
]);

/**
 * The shipped default per adapter class, for a decode shape or not. Decode: split-K
 * (on CPU-style adapters few long splits, measured on SwiftShader in the bench's decode
 * suite; on GPUs short splits, for more invocations: not measured here).
 */
export function defaultFlashConfig(cls: AdapterClass, decode = false): FlashConfig {
  if (decode) return cls === 'gpu' ? { layout: 'splitk', WG: 64, keysPerSplit: 64 } : { layout: 'splitk', WG: 16, keysPerSplit: 128 };
  return cls === 'gpu' ? { layout: 'workgroup' } : { layout: 'rows', WG: 16 };
}

/** The largest `keysPerSplit` accepted. */
export const MAX_KEYS_PER_SPLIT = 1 << 20;

/** Checks a caller-given configuration; throws `InvalidArgumentError` naming the field. */
export function validateFlashConfig(op: string, config: unknown, maxInvocations: number): FlashConfig {
  const expected = "{layout: 'workgroup'}, {layout: 'rows', WG} or {layout: 'splitk', WG, keysPerSplit}";
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError(op, 'config', config, expected);
  const c = config as Record<string, unknown>;
  if (c.layout === 'workgroup') return { layout: 'workgroup' };
  if (c.layout !== 'rows' && c.layout !== 'splitk')
    throw new InvalidArgumentError(op, 'config.layout', c.layout, "'workgroup', 'rows' or 'splitk'");
  const wg = c.WG;
  if (typeof wg !== 'number' || !Number.isInteger(wg) || wg < 1 || wg > maxInvocations) {
    throw new InvalidArgumentError(op, 'config.WG', wg, `an integer in [1, ${maxInvocations}] (maxComputeInvocationsPerWorkgroup)`);
  }
  if (c.layout === 'rows') return { layout: 'rows', WG: wg };
  const keys = c.keysPerSplit;
  if (typeof keys !== 'number' || !Number.isInteger(keys) || keys < 1 || keys > MAX_KEYS_PER_SPLIT) {
    throw new InvalidArgumentError(op, 'config.keysPerSplit', keys, `an integer in [1, ${MAX_KEYS_PER_SPLIT}]`);
  }
  return { layout: 'splitk', WG: wg, keysPerSplit: keys };
}
