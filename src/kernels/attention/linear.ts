/**
 * Linear attention's launcher: features φ(√scale·x) of q and k, per-key weights, the
 * chunked prefix states of the keys (per K/V head), then the outputs (see
 * shaders/attention/linear_prefix.wgsl for what it computes). Validate (prepare.ts) →
 * describe (the five dispatches) → run, in one launch scope and one submit.
 */
import type { Gpu } from '../../gpu/device';
import { launch } from '../../gpu/launch';
import type { Tensor } from '../../gpu/tensor';
import { LINEAR_CHUNK, LINEAR_FEATURES_KERNEL, LINEAR_OUT_KERNEL, LINEAR_PREFIX_KERNEL, LINEAR_WEIGHTS_KERNEL } from './specs';
import { keyInfo, storageUsage, type Prepared } from './prepare';

/** Runs linear attention on prepared inputs. */
export function runLinear(gpu: Gpu, op: string, x: Prepared): Promise<Tensor> {
  const { p } = x;
  const BH = p.B * p.H;
  // Grouped-query attention: key features and prefix states per K/V head (B·Hkv of them).
  const BKV = p.B * p.Hkv;
  const chunks = Math.max(1, Math.ceil(p.Nk / LINEAR_CHUNK));
  const rootScale = Math.sqrt(p.scale);
  const stateTotal = BKV * p.d * (p.dv + 1);
  const keys = p.Nk > 0 ? 1 : 0; // no keys: only the output pass runs (and writes zeros)
  return launch(gpu, op, async (scope) => {
    const o = scope.output(p.outShape, 'o');
    if (BH * p.Nq * p.dv === 0) return o;
    const { kinfo, before } = keyInfo(scope, x);
    const unused = scope.scratch('unused', 4, GPUBufferUsage.STORAGE);
    const w = scope.scratch('weights', p.B * p.Nk * 4, storageUsage()); // [B, Nk]
    const fq = scope.scratch('features-q', BH * p.Nq * p.d * 4, storageUsage()); // [B·H, Nq, d]
    const fk = scope.scratch('features-k', BKV * p.Nk * p.d * 4, storageUsage()); // [B·Hkv, Nk, d]
    const state = scope.scratch('state', BKV * chunks * p.d * (p.dv + 1) * 4, storageUsage()); // [B·Hkv, chunks, d, dv + 1]
    const v = keys ? x.v : unused;
    await scope.runAll(
      [
        {
          kernel: LINEAR_FEATURES_KERNEL,
          constants: { WG: 256 },
          bindings: { params: { n: BH * p.Nq * p.d, rootScale }, x: x.q, y: fq },
          workgroups: Math.ceil((BH * p.Nq * p.d) / 256),
        },
        {
          kernel: LINEAR_FEATURES_KERNEL,
          constants: { WG: 256 },
          bindings: { params: { n: BKV * p.Nk * p.d, rootScale }, x: keys ? x.k : unused, y: fk },
          workgroups: keys * Math.ceil((BKV * p.Nk * p.d) / 256),
        },
        {
          kernel: LINEAR_WEIGHTS_KERNEL,
          constants: { WG: 64 },
          bindings: {
            params: { nk: p.Nk, batches: p.B, hasBias: x.bias ? 1 : 0, hasKeep: x.mask ? 1 : 0 },
            bias: x.bias ?? unused,
            kinfo,
            w,
          },
          workgroups: keys * p.B,
        },
        {
          kernel: LINEAR_PREFIX_KERNEL,
          constants: { WG: 64, CH: LINEAR_CHUNK },
          bindings: { params: { nk: p.Nk, d: p.d, dv: p.dv, heads: p.Hkv, chunks, total: stateTotal }, fk, v, w, state },
          workgroups: keys * Math.ceil(stateTotal / 64),
        },
        {
          kernel: LINEAR_OUT_KERNEL,
          constants: { CH: LINEAR_CHUNK },
          bindings: {
            params: {
              nq: p.Nq,
              nk: p.Nk,
              d: p.d,
              dv: p.dv,
              heads: p.H,
              chunks,
              total: BH * p.Nq,
              causal: p.causal ? 1 : 0,
              causalOffset: p.causalOffset,
              group: p.group,
            },
            fq,
            fk,
            v,
            w,
            state,
            o,
          },
          workgroups: BH * p.Nq,
        },
      ],
      { before },
    );
    return o;
  });
}
