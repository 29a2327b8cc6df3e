/**
 * One attention call's inputs on the device: everything validated on the CPU first
 * (shapes, options, the flash configuration, device limits: typed errors, no GPU work),
 * then uploaded. Also the `kinfo` buffer the flash and linear kernels read: key lengths,
 * the padding mask and the ALiBi slopes.
 */
import type { Gpu } from '../../gpu/device';
import type { LaunchScope } from '../../gpu/launch';
import { InvalidArgumentError, LimitExceededError } from '../../problem/errors';
import { Tensor, assertArguments, shapeOf, toDeviceAll, type TensorLike } from '../../gpu/tensor';
import { resolveAttention, type AttentionOptionsOf, type AttentionProblem } from '../../problem/attention';
import { checkAttentionLimits } from './limits';
import { validateFlashConfig, type FlashConfig } from './flash-config';
import { flashConfigFor } from '../tuned';
import { splitPlan } from './split';

/**
 * Options of `attention` (see `AttentionOptionsOf` for each field), plus `config`: the
 * flash kernel's layout (`FlashConfig`), for tests and the tuner; by default the tuned
 * configuration of this device, else the shipped default for its adapter class.
 */
export type AttentionOptions = AttentionOptionsOf<TensorLike> & { config?: FlashConfig };

/** Usage of the attention scratch buffers; read when called, so the module loads where WebGPU is missing. */
export const storageUsage = (): GPUBufferUsageFlags => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

/** Inputs of one call on the device, with the buffers this call owns. */
export interface Prepared {
  p: AttentionProblem;
  q: Tensor;
  k: Tensor;
  v: Tensor;
  mask: Tensor | null;
  bias: Tensor | null;
  owned: Tensor[];
  /** The flash configuration this call runs (flash only; `workgroup` in trace mode). */
  config: FlashConfig | null;
}

/** The flash configuration of a call: the caller's (checked against `splitK`), else the device's. */
function chooseConfig(gpu: Gpu, op: string, p: AttentionProblem, given: unknown, trace: boolean): FlashConfig | null {
  if (p.variant !== 'flash') return null;
  if (trace) return { layout: 'workgroup' };
  if (given === undefined) return flashConfigFor(gpu, p);
  const config = validateFlashConfig(op, given, gpu.limits.maxComputeInvocationsPerWorkgroup);
  if (p.splitK !== undefined && p.splitK !== (config.layout === 'splitk')) {
    throw new InvalidArgumentError(op, 'splitK', p.splitK, `consistent with config.layout '${config.layout}' (or absent)`);
  }
  return config;
}

/** Validates everything on the CPU (typed errors, no GPU work), then uploads. */
export async function prepare(
  gpu: Gpu,
  op: string,
  q: TensorLike,
  k: TensorLike,
  v: TensorLike,
  opts: AttentionOptions | undefined,
  trace = false,
): Promise<Prepared> {
  const qs = shapeOf(op, 'q', q);
  const ks = shapeOf(op, 'k', k);
  const vs = shapeOf(op, 'v', v);
  const maskShape = opts?.keyPaddingMask !== undefined ? shapeOf(op, 'keyPaddingMask', opts.keyPaddingMask) : null;
  const biasShape = opts?.bias !== undefined ? shapeOf(op, 'bias', opts.bias) : null;
  const p = resolveAttention(op, qs, ks, vs, opts, maskShape, biasShape);
  const config = chooseConfig(gpu, op, p, opts?.config, trace);
  const maxBinding = gpu.limits.maxStorageBufferBindingSize;
  if (p.variant === 'naive' && p.B * p.H * p.Nq * p.Nk * 4 > maxBinding) {
    throw new LimitExceededError(
      op,
      'maxStorageBufferBindingSize',
      p.B * p.H * p.Nq * p.Nk * 4,
      maxBinding,
      "naive attention's Nq×Nk score matrix; use variant 'flash'",
    );
  }
  const splits = config?.layout === 'splitk' ? splitPlan(p, config.keysPerSplit).splits : 0;
  checkAttentionLimits(op, gpu.limits, p, splits);
  await gpu.ready(op);
  // Every argument is checked (tensors included: another Gpu's, destroyed, of a lost device)
  // before the first upload; a failed upload leaves nothing behind.
  const mask = opts?.keyPaddingMask;
  const bias = opts?.bias;
  assertArguments(gpu, op, [
    ['q', q],
    ['k', k],
    ['v', v],
    ['keyPaddingMask', mask],
    ['bias', bias],
  ]);
  const uploaded = toDeviceAll(gpu, op, [
    ['q', q],
    ['k', k],
    ['v', v],
    ['keyPaddingMask', p.B * p.Nk > 0 ? mask : null],
    ['bias', p.biasRows > 0 ? bias : null],
  ]);
  const [tq, tk, tv, tmask, tbias] = uploaded.tensors;
  return { p, q: tq!, k: tk!, v: tv!, mask: tmask ?? null, bias: tbias ?? null, owned: [...uploaded.owned], config };
}

/** Where the ALiBi slopes start in `kinfo` (after the key lengths and the keep mask). */
export function slopeBase(x: Prepared): number {
  return x.p.B + (x.mask ? x.p.B * x.p.Nk : 0);
}

/** The kernels' `kinfo` buffer, and the copy (of the keep mask) to encode before the pass that reads it. */
export interface KeyInfo {
  kinfo: GPUBuffer;
  before: (encoder: GPUCommandEncoder) => void;
}

/**
 * The kernels' `kinfo`: [B] key lengths as f32, then the [B, Nk] keep mask when one is
 * given, then the [H] ALiBi slopes when ALiBi is on; a scratch buffer of `scope`. The mask
 * is copied by `before`, which the launcher encodes ahead of its pass.
 */
export function keyInfo(scope: LaunchScope, x: Prepared): KeyInfo {
  const { B, Nk } = x.p;
  const slopes = x.p.alibiSlopes ?? [];
  const base = slopeBase(x);
  const kinfo = scope.scratch('kinfo', (base + slopes.length) * 4, storageUsage());
  const queue = scope.gpu.device.queue;
  queue.writeBuffer(kinfo, 0, Float32Array.from(x.p.keyLengths));
  if (slopes.length > 0) queue.writeBuffer(kinfo, base * 4, Float32Array.from(slopes));
  const mask = x.mask;
  return { kinfo, before: (e) => mask && e.copyBufferToBuffer(mask.buffer, 0, kinfo, B * 4, B * Nk * 4) };
}
