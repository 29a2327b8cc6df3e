/**
 * `attentionMapWeights(gpu, q, k, opts)`: the launcher of `shaders/attention-map/weights.wgsl`,
 * the kernel that computes the Nq×Nk logits and attention weights of every head, the
 * matrix `<attention-map>` draws. It follows the project's launcher pattern: validate
 * on the CPU (typed errors, before any GPU call), then one declarative launch
 * (src/gpu/launch.ts): a cached pipeline and one folded dispatch.
 *
 * It exists for the element: it materializes the full score matrix (the thing the
 * attention kernels, `flash` above all, are built to avoid), because a map must show it.
 */
import type { Gpu } from '../gpu/device';
import { InvalidArgumentError, ShapeError, LimitExceededError } from '../problem/errors';
import { shapeOf, type Tensor, type TensorLike } from '../gpu/tensor';
import { launch } from '../gpu/launch';
import { ATTENTION_MAP_KERNEL } from './attention-weights-spec';

export { ATTENTION_MAP_KERNEL };

/** Invocations per row: a power of two (the reductions are trees), no more than the keys need. */
function workgroupSize(nk: number): number {
  let wg = 8;
  while (wg < 64 && wg < nk) wg *= 2;
  return wg;
}

export interface AttentionMapWeightsOptions {
  /** Logit scale (default 1/√d). */
  scale?: number;
  /** Bottom-right aligned causal mask. */
  causal?: boolean;
  /** Keys at or past this index are padding (default Nk). */
  keyLength?: number;
}

/**
 * Logits `scale·Q·Kᵀ` (unmasked) and weights `softmax(logits + mask)` for q `[H, Nq, d]`
 * and k `[H, Nk, d]`; both results are `[H, Nq, Nk]` tensors the caller destroys.
 */
export async function attentionMapWeights(
  gpu: Gpu,
  q: TensorLike,
  k: TensorLike,
  opts: AttentionMapWeightsOptions = {},
): Promise<{ logits: Tensor; weights: Tensor }> {
  const op = 'attentionMapWeights';
  const qs = shapeOf(op, 'q', q);
  const ks = shapeOf(op, 'k', k);
  if (qs.length !== 3 || ks.length !== 3) throw new ShapeError(op, 'q and k must have rank 3 ([H, N, d])', { q: qs, k: ks });
  const [H, Nq, d] = qs as [number, number, number];
  const [kH, Nk, kd] = ks as [number, number, number];
  if (kH !== H || kd !== d) throw new ShapeError(op, 'k must match q in heads and head dim', { q: qs, k: ks });
  const scale = opts.scale ?? 1 / Math.sqrt(Math.max(1, d));
  if (!(Number.isFinite(scale) && scale > 0)) throw new InvalidArgumentError(op, 'scale', scale, 'a finite positive number');
  const keyLength = opts.keyLength ?? Nk;
  if (!Number.isInteger(keyLength) || keyLength < 0 || keyLength > Nk)
    throw new InvalidArgumentError(op, 'keyLength', keyLength, `an integer in [0, ${Nk}]`);
  const bytes = H * Nq * Nk * 4;
  const maxBinding = gpu.limits.maxStorageBufferBindingSize;
  if (bytes > maxBinding) throw new LimitExceededError(op, 'maxStorageBufferBindingSize', bytes, maxBinding, `logits [${H}, ${Nq}, ${Nk}]`);
  await gpu.ready(op);
  // Both inputs are checked (tensors included) before the first upload or allocation.
  return launch(gpu, op, async (scope) => {
    const [qt, kt] = scope.inputs([
      ['q', q],
      ['k', k],
    ]) as [Tensor, Tensor];
    const logits = scope.output([H, Nq, Nk], 'logits');
    const weights = scope.output([H, Nq, Nk], 'weights');
    if (logits.size === 0 || d === 0) return { logits, weights };
    const params = { rows: H * Nq, nq: Nq, nk: Nk, d, scale, causal: opts.causal ? 1 : 0, key_length: keyLength };
    await scope.run(ATTENTION_MAP_KERNEL, { WG: workgroupSize(Nk) }, { params, q: qt, k: kt, logits, weights }, H * Nq);
    return { logits, weights };
  });
}
