/**
 * The packing of resolved race configurations into the GPU's structs: optimizers
 * into the WGSL `array<OptConfig>` layout, a surface into the `Surface` struct's
 * `packScalars` fields. Numbers are already f32 (see `resolveOptimizer`, `resolveSurface`).
 */
import { OPTIMIZER_IDS, SCHEDULE_IDS, SURFACE_IDS, type ResolvedOptimizer, type ResolvedSurface } from './optim-vocabulary';

/** Bytes of one `OptConfig` in WGSL: 12 four-byte scalars. */
export const OPT_CONFIG_BYTES = 48;

/** Packs resolved optimizers into the WGSL `array<OptConfig>` layout. */
export function packOptimizers(opts: readonly ResolvedOptimizer[]): ArrayBuffer {
  const buf = new ArrayBuffer(Math.max(OPT_CONFIG_BYTES, opts.length * OPT_CONFIG_BYTES));
  const v = new DataView(buf);
  opts.forEach((o, i) => {
    const b = i * OPT_CONFIG_BYTES;
    v.setUint32(b + 0, OPTIMIZER_IDS[o.kind], true);
    v.setUint32(b + 4, SCHEDULE_IDS[o.schedule], true);
    v.setUint32(b + 8, o.biasCorrection ? 1 : 0, true);
    v.setUint32(b + 12, 0, true);
    v.setFloat32(b + 16, o.lr, true);
    v.setFloat32(b + 20, o.beta1, true);
    v.setFloat32(b + 24, o.beta2, true);
    v.setFloat32(b + 28, o.eps, true);
    v.setFloat32(b + 32, o.weightDecay, true);
    v.setFloat32(b + 36, o.s0, true);
    v.setFloat32(b + 40, o.s1, true);
    v.setFloat32(b + 44, 0, true);
  });
  return buf;
}

/** The `Surface` struct of surfaces.wgsl (8 scalars) as `packScalars` fields. */
export function surfaceFields(s: ResolvedSurface): ['u32' | 'f32', number][] {
  return [
    ['u32', SURFACE_IDS[s.kind]],
    ['f32', s.condition],
    ['f32', s.cosT],
    ['f32', s.sinT],
    ['f32', s.noise],
    ['u32', s.seed],
    ['u32', 0],
    ['u32', 0],
  ];
}
