/**
 * The work and traffic counts behind every GFLOP/s and GB/s figure. They are the
 * standard *algorithmic* counts, the same for every variant of a kernel, so a faster
 * variant shows as more GFLOP/s, never as less work.
 *
 * | kernel | FLOPs | bytes (compulsory traffic: read inputs once, write outputs once) |
 * |---|---|---|
 * | matmul C[M,N] = A[M,K]·B[K,N] | 2·M·N·K (one multiply and one add per term) | 4·(M·K + K·N + M·N) |
 * | softmax attention, q [B,H,Nq,d], k/v [B,H,Nk,d] | 4·B·H·Nq·Nk·d (Q·Kᵀ and P·V, 2·Nq·Nk·d each), halved when causal | 4·B·H·(2·Nq·d + 2·Nk·d) |
 * | linear attention | 4·B·H·N·d·d (φ(K)ᵀV and φ(Q)·(φ(K)ᵀV), 2·N·d·d each) | as softmax attention |
 * | softmax over rows [R, C] | 5·R·C (max, subtract, exp, sum, divide: one each per element; exp counts as one) | 4·2·R·C |
 * | copy probe, E f32, R copies per call | 0 | 4·2·E·R |
 * | FMA probe | 2 per FMA: 64 per invocation per round (8 vec4 multiply-adds) | 16 per invocation (its one vec4 write) |
 *
 * The softmax terms inside attention (≈5·Nq·Nk per head) are left out of the
 * attention count, as is customary (FlashAttention papers count only the matmuls).
 */

/** FLOPs of C[M,N] = A[M,K]·B[K,N]: 2·M·N·K. */
export function matmulFlops(M: number, K: number, N: number): number {
  return 2 * M * N * K;
}

/** Compulsory bytes of a matmul: A and B read once, C written once, f32. */
export function matmulBytes(M: number, K: number, N: number): number {
  return 4 * (M * K + K * N + M * N);
}

export interface AttentionDims {
  B: number;
  H: number;
  /** Query length. */
  Nq: number;
  /** Key/value length (defaults to Nq). */
  Nk?: number;
  d: number;
  causal?: boolean;
}

/** FLOPs of softmax attention: 4·B·H·Nq·Nk·d, halved when causal. */
export function attentionFlops({ B, H, Nq, Nk = Nq, d, causal = false }: AttentionDims): number {
  const full = 4 * B * H * Nq * Nk * d;
  return causal ? full / 2 : full;
}

/** FLOPs of linear attention (no N×N matrix): 4·B·H·N·d·d. */
export function linearAttentionFlops({ B, H, Nq, d }: AttentionDims): number {
  return 4 * B * H * Nq * d * d;
}

/** Compulsory bytes of attention: q, k, v read once, the output written once, f32. */
export function attentionBytes({ B, H, Nq, Nk = Nq, d }: AttentionDims): number {
  return 4 * B * H * (2 * Nq * d + 2 * Nk * d);
}

/** FLOPs of a row softmax over [rows, cols]: 5 per element (max, subtract, exp, sum, divide). */
export function softmaxFlops(rows: number, cols: number): number {
  return 5 * rows * cols;
}

/** Compulsory bytes of a row softmax: read once, write once, f32. */
export function softmaxBytes(rows: number, cols: number): number {
  return 8 * rows * cols;
}

/** GFLOP/s from a FLOP count and milliseconds (FLOPs / ms / 1e6). */
export function gflops(flops: number, ms: number): number {
  return ms > 0 ? flops / ms / 1e6 : NaN;
}

/** GB/s (10⁹ bytes per second) from a byte count and milliseconds. */
export function gbps(bytes: number, ms: number): number {
  return ms > 0 ? bytes / ms / 1e6 : NaN;
}

/**
 * Vec4 multiply-adds in one round of the FMA probe. A configuration with C chains
 * runs rounds · 8 / C loop trips, so every configuration does the same work.
 */
export const FMA_CHAINS_PER_ROUND = 8;

/** FLOPs one invocation of the FMA probe does per round: 8 vec4 multiply-adds × 4 lanes × (multiply + add). */
export const FMA_FLOPS_PER_ITERATION = FMA_CHAINS_PER_ROUND * 4 * 2;
