// Roofline probe: sustained FMA throughput.
//
// Algorithm: each invocation runs `params.iterations` rounds of CHAINS independent
// vec4 multiply-adds (a_k = a_k * m + c, written as `*` and `+`, which a compiler may
// fuse; the `fma()` builtin is emulated, and slow, on some software adapters). The
// chains do not depend on each other, so the hardware can overlap them; each round is
// CHAINS x 4 lanes scalar multiply-adds, 8 * CHAINS FLOPs. The iteration count is a
// uniform, so the compiler cannot fold the loop, and each invocation writes the sum of
// its chains so none is dead code. Values converge to c / (1 - m) = 1 and stay finite,
// so the output has a closed form the host checks (src/bench/probe-check.ts).
//
// Override constants (the roofline suite tries several and keeps the fastest):
//   WG      invocations per workgroup;
//   CHAINS  independent vec4 chains per invocation: 4, 8 or 16 (more hides latency
//           where the pipeline is deep, fewer spares registers). The `CHAINS >= …`
//           branches are constant once the pipeline is created, so they cost nothing.
//
// Tiling: none. Workgroups of WG invocations, folded into x·y (linear index
// wid.x + wid.y * num_workgroups.x); invocation i owns out[i] and nothing else.
override WG: u32 = 256;
override CHAINS: u32 = 8;

struct Params {
  invocations: u32,
  iterations: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= params.invocations) {
    return;
  }
  let m = vec4f(0.9999);
  let c = vec4f(0.0001);
  let s = f32(i & 1023u) * 1e-4;
  var a0 = vec4f(s, s + 0.1, s + 0.2, s + 0.3);
  var a1 = a0 + vec4f(0.01);
  var a2 = a0 + vec4f(0.02);
  var a3 = a0 + vec4f(0.03);
  var a4 = a0 + vec4f(0.04);
  var a5 = a0 + vec4f(0.05);
  var a6 = a0 + vec4f(0.06);
  var a7 = a0 + vec4f(0.07);
  var a8 = a0 + vec4f(0.08);
  var a9 = a0 + vec4f(0.09);
  var a10 = a0 + vec4f(0.10);
  var a11 = a0 + vec4f(0.11);
  var a12 = a0 + vec4f(0.12);
  var a13 = a0 + vec4f(0.13);
  var a14 = a0 + vec4f(0.14);
  var a15 = a0 + vec4f(0.15);
  for (var it = 0u; it < params.iterations; it++) {
    a0 = a0 * m + c;
    a1 = a1 * m + c;
    a2 = a2 * m + c;
    a3 = a3 * m + c;
    if (CHAINS >= 8u) {
      a4 = a4 * m + c;
      a5 = a5 * m + c;
      a6 = a6 * m + c;
      a7 = a7 * m + c;
    }
    if (CHAINS >= 16u) {
      a8 = a8 * m + c;
      a9 = a9 * m + c;
      a10 = a10 * m + c;
      a11 = a11 * m + c;
      a12 = a12 * m + c;
      a13 = a13 * m + c;
      a14 = a14 * m + c;
      a15 = a15 * m + c;
    }
  }
  var sum = (a0 + a1) + (a2 + a3);
  if (CHAINS >= 8u) {
    sum += (a4 + a5) + (a6 + a7);
  }
  if (CHAINS >= 16u) {
    sum += ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
  }
  out[i] = sum;
}
