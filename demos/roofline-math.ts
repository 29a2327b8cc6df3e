/**
 * The roofline arithmetic of the matmul page, with the two arithmetic intensities it
 * names:
 *
 * - compulsory: FLOPs per byte of the least traffic any kernel can have (each input
 *   read once, the output written once): 2MNK / 4(MK + KN + MN). The bench uses it.
 * - issued: FLOPs per byte of the global loads a kernel's code issues, caches ignored:
 *   naive loads one A and one B value per multiply-add (2 FLOPs per 8 bytes); a
 *   workgroup that shares an R×C output block loads R + C values per k for R·C
 *   multiply-adds.
 *
 * Real DRAM traffic lies between the two: caches serve repeated loads.
 */

/** Compulsory intensity of C[M,N] = A[M,K]·B[K,N] in f32: 2MNK / 4(MK + KN + MN) FLOP/byte. */
export function compulsoryIntensity(M: number, K: number, N: number): number {
  return (2 * M * N * K) / (4 * (M * K + K * N + M * N));
}

/**
 * Issued intensity (FLOP per byte of global loads issued) of a matmul variant, given
 * the output block one workgroup shares loads over; null for a variant this page does
 * not describe.
 */
export function issuedIntensity(variant: string, tile: { rows: number; cols: number } | null): number | null {
  switch (variant) {
    case 'naive':
    case 'subgroup':
      // One A and one B value (8 bytes) per multiply-add (2 FLOPs).
      return 0.25;
    case 'tiled':
    case 'register':
      // R + C values (4 bytes each) loaded per k for R·C multiply-adds: 2RC / 4(R + C).
      return tile ? (tile.rows * tile.cols) / (2 * (tile.rows + tile.cols)) : null;
    case 'direct':
      // No workgroup memory: each invocation loads 8 + 16 values per k for its own 8×16 block (direct.wgsl).
      return (8 * 16) / (2 * (8 + 16));
    default:
      return null;
  }
}

/** The roofline: min(peak GFLOP/s, intensity × bandwidth in GB/s). */
export function attainable(peakGflops: number, gbps: number, intensity: number): number {
  return Math.min(peakGflops, intensity * gbps);
}

/** The ridge point: the intensity (FLOP/byte) above which the roofline is flat (compute-bound). */
export function ridge(peakGflops: number, gbps: number): number {
  return peakGflops / gbps;
}

/** 'compute-bound' when the intensity is at or past the ridge, else 'bandwidth-bound'. */
export function boundBy(peakGflops: number, gbps: number, intensity: number): 'compute-bound' | 'bandwidth-bound' {
  return intensity >= ridge(peakGflops, gbps) ? 'compute-bound' : 'bandwidth-bound';
}
