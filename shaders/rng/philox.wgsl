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

// log(w) for w in [2^-24, 1], accurate to a few f32 ulps everywhere. The builtin
// log only promises an absolute error of 2^-21 near 1, which becomes a large error in
// r = sqrt(-2 log w) when r is small. Here w = 2^e * m with m in [sqrt(1/2), sqrt(2)),
// log m = 2 atanh(s), s = (m - 1)/(m + 1), |s| <= 0.172, series to s^9 (error < 1e-9).
fn philox_log(w: f32) -> f32 {
  let fr = frexp(w);
  var m = fr.fract;
  var e = f32(fr.exp);
  if (m < 0.70710678) {
    m = m * 2.0;
    e = e - 1.0;
  }
  let s = (m - 1.0) / (m + 1.0);
  let s2 = s * s;
  let p = 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (0.2 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0)))));
  return e * 0.6931471805599453 + p;
}

// (cos 2 pi u, sin 2 pi u) for u in [0, 1). Builtin sin/cos only promise an absolute
// error of 2^-11 (WGSL/Vulkan), so reduce exactly instead: 4u = q + f with q the
// quadrant (exact, u has 24 bits), phi = f pi/2 in [0, pi/2), Taylor series to
// degree 13 / 14 (error < 1e-9), then rotate by the quadrant.
fn philox_cos_sin_turns(u: f32) -> vec2f {
  let x4 = u * 4.0;
  let qf = floor(x4);
  let x = (x4 - qf) * 1.5707963267948966;
  let x2 = x * x;
  let s = x * (1.0 - x2 / 6.0 * (1.0 - x2 / 20.0 * (1.0 - x2 / 42.0 * (1.0 - x2 / 72.0 * (1.0 - x2 / 110.0 * (1.0 - x2 / 156.0))))));
  let c = 1.0 - x2 / 2.0 * (1.0 - x2 / 12.0 * (1.0 - x2 / 30.0 * (1.0 - x2 / 56.0 * (1.0 - x2 / 90.0 * (1.0 - x2 / 132.0 * (1.0 - x2 / 182.0))))));
  let q = u32(qf);
  if (q == 0u) { return vec2f(c, s); }
  if (q == 1u) { return vec2f(-s, c); }
  if (q == 2u) { return vec2f(-c, -s); }
  return vec2f(s, -c);
}

// The standard normal addressed by (seed, stream, step, element), by Box-Muller:
// r = sqrt(-2 log(1 - u1)), theta = 2 pi u2. 1 - u1 lies in [2^-24, 1] (exact), so
// the log is finite and |z| <= 5.77.
fn philox_normal(seed: u32, stream: u32, step: u32, element: u32) -> f32 {
  let w = philox_block(seed, stream, step, element);
  let pair = (element & 3u) >> 1u;
  let u1 = philox_uniform(select(w.x, w.z, pair == 1u));
  let u2 = philox_uniform(select(w.y, w.w, pair == 1u));
  let r = sqrt(-2.0 * philox_log(1.0 - u1));
  let cs = philox_cos_sin_turns(u2);
  return r * select(cs.x, cs.y, (element & 1u) == 1u);
}
