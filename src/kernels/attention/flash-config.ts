/**
 * The flash kernel's configurations. Two layouts compute the same function with the
 * same bindings and uniform block:
 *
 * - `workgroup` (shaders/attention/flash.wgsl): a workgroup owns a block of query rows
 *   and a block of output columns, K/V tiles staged in workgroup memory, barriers
 *   between stages. For GPUs with fast shared memory; the only layout with a trace mode.
 * - `rows` (shaders/attention/flash_rows.wgsl): an invocation owns 4 query rows and
 *   every output column, no workgroup memory, no barriers. For CPU-style adapters.
 *
 * The default is chosen by `adapterClass`; the tuner may pick another per device.
 */
import flashRowsCode from '../../../shaders/attention/flash_rows.wgsl?raw';
import type { KernelSpec } from '../../gpu/bindings';
import type { AdapterClass } from '../../gpu/adapter-class';
import { InvalidArgumentError } from '../../problem/errors';
import { FLASH_KERNEL } from './specs';

/** One flash configuration: the layout, and for `rows` the workgroup size. */
export type FlashConfig = { layout: 'workgroup' } | { layout: 'rows'; WG: number };

/** The `rows` layout's kernel: flash.wgsl's bindings, in the same order. */
export const FLASH_ROWS_KERNEL: KernelSpec = {
  name: 'attention:flash-rows',
  code: flashRowsCode,
  bindings: FLASH_KERNEL.bindings,
};

/** Query rows one `rows` invocation owns. */
export const FLASH_ROWS_PER_INVOCATION = 4;

/** Every configuration the tuner tries, in a fixed order (ties go to the first). */
export const FLASH_CONFIGS: readonly FlashConfig[] = Object.freeze([
  { layout: 'rows', WG: 16 },
  { layout: 'rows', WG: 64 },
  { layout: 'workgroup' },
]);

/** The shipped default per adapter class (measured: README, "Benchmarks"). */
export function defaultFlashConfig(cls: AdapterClass): FlashConfig {
  return cls === 'gpu' ? { layout: 'workgroup' } : { layout: 'rows', WG: 16 };
}

/** Checks a caller-given configuration; throws `InvalidArgumentError` naming the field. */
export function validateFlashConfig(op: string, config: unknown, maxInvocations: number): FlashConfig {
  if (typeof config !== 'object' || config === null)
    throw new InvalidArgumentError(op, 'config', config, "{layout: 'workgroup'} or {layout: 'rows', WG}");
  const c = config as Record<string, unknown>;
  if (c.layout === 'workgroup') return { layout: 'workgroup' };
  if (c.layout !== 'rows') throw new InvalidArgumentError(op, 'config.layout', c.layout, "'workgroup' or 'rows'");
  const wg = c.WG;
  if (typeof wg !== 'number' || !Number.isInteger(wg) || wg < 1 || wg > maxInvocations) {
    throw new InvalidArgumentError(op, 'config.WG', wg, `an integer in [1, ${maxInvocations}] (maxComputeInvocationsPerWorkgroup)`);
  }
  return { layout: 'rows', WG: wg };
}
