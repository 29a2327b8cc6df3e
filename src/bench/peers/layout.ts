/**
 * Host-side layouts and masks the peers share: the [B,H,N,d] ↔ [B,N,H·d] change
 * that ORT's MultiHeadAttention wants, and the additive causal mask that peers
 * without a causal flag add to their scores.
 */

/** [B,H,N,d] → [B,N,H·d]. */
export function toBsd(x: Float32Array, B: number, H: number, N: number, d: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let n = 0; n < N; n++) {
        const from = ((b * H + h) * N + n) * d;
        out.set(x.subarray(from, from + d), ((b * N + n) * H + h) * d);
      }
  return out;
}

/** [B,N,H·d] → [B,H,N,d]. */
export function fromBsd(y: Float32Array, B: number, H: number, N: number, d: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let b = 0; b < B; b++)
    for (let n = 0; n < N; n++)
      for (let h = 0; h < H; h++) {
        const from = ((b * N + n) * H + h) * d;
        out.set(y.subarray(from, from + d), ((b * H + h) * N + n) * d);
      }
  return out;
}

/** The additive causal mask [N,N]: 0 on and below the diagonal, −1e9 above (exp gives exactly 0 there). */
export function causalBias(N: number): Float32Array {
  const m = new Float32Array(N * N);
  for (let i = 0; i < N; i++) m.fill(-1e9, i * N + i + 1, (i + 1) * N);
  return m;
}
