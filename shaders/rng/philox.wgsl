// philox: the counter-based random number generator of the DDPM kernels.
//
// Philox4x32-10 (Salmon et al., SC 2011): ten rounds of two 32x32->64-bit multiplies
// and xors over a 128-bit counter, keyed by 64 bits. WGSL has no u64, so the high
// word of each product is assembled from 16-bit halves (exact, like the JS reference
// in src/reference/philox.ts, which gives the same words bit for bit).
//
// Keying (see src/reference/philox.ts): key = (seed, stream),
// counter = (element >> 2, step, 0, 0). Element e uses Box-Muller pair (e & 3) >> 1 of
// its block and the cos (even e) or sin (odd e) half, so a value depends only on its
// address, never on the thread that computes it.
//
// This file declares no bindings: launchers prepend it to a kernel's source. The
// multipliers and key increments are `override`s, set from the TS constants.

override PHILOX_M0: u32;
override PHILOX_M1: u32;
override PHILOX_W0: u32;
override PHILOX_W1: u32;

// (hi, lo) of the 64-bit product a*b.
fn philox_mulhilo(a: u32, b: u32) -> vec2u {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let hh = ah * bh;
  let cross = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  let hi = hh + (lh >> 16u) + (hl >> 16u) + (cross >> 16u);
  return vec2u(hi, a * b);
}

// Philox4x32-10 of counter c under key k.
fn philox4x32_10(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var r = 0u; r < 10u; r++) {
    if (r > 0u) {
      k = k + vec2u(PHILOX_W0, PHILOX_W1);
    }
    let p0 = philox_mulhilo(PHILOX_M0, c.x);
    let p1 = philox_mulhilo(PHILOX_M1, c.z);
    c = vec4u(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
  }
  return c;
}

// The block of 4 words holding `element`.
fn philox_block(seed: u32, stream: u32, step: u32, element: u32) -> vec4u {
  return philox4x32_10(vec4u(element >> 2u, step, 0u, 0u), vec2u(seed, stream));
}

// The raw word of `element` (word e & 3 of its block).
fn philox_word(seed: u32, stream: u32, step: u32, element: u32) -> u32 {
  return philox_block(seed, stream, step, element)[element & 3u];
}

// Uniform in [0, 1 - 2^-24] from the top 24 bits: exact in f32, never 1.0.
fn philox_uniform(word: u32) -> f32 {
  return f32(word >> 8u) * (1.0 / 16777216.0);
}

// The standard normal addressed by (seed, stream, step, element), by Box-Muller.
// 1 - u1 lies in [2^-24, 1], so the log is finite.
fn philox_normal(seed: u32, stream: u32, step: u32, element: u32) -> f32 {
  let w = philox_block(seed, stream, step, element);
  let pair = (element & 3u) >> 1u;
  let u1 = philox_uniform(select(w.x, w.z, pair == 1u));
  let u2 = philox_uniform(select(w.y, w.w, pair == 1u));
  let r = sqrt(-2.0 * log(1.0 - u1));
  let theta = 6.283185307179586 * u2;
  return select(r * cos(theta), r * sin(theta), (element & 1u) == 1u);
}
