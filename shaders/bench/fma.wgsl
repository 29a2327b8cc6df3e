// Roofline probe: sustained FMA throughput.
//
// Algorithm: each invocation runs `params.iterations` rounds of eight independent
// vec4 multiply-adds (a_i = a_i * m + c, written as `*` and `+`, which a compiler may
// fuse; the `fma()` builtin is emulated, and slow, on some software adapters). The
// eight chains do not depend on each other, so the hardware can overlap them;
// 8 chains x 4 lanes = 32 scalar multiply-adds, 64 FLOPs per round. The iteration count is a uniform, so the compiler cannot fold
// the loop, and each invocation writes the sum of its chains so none is dead code.
// Values converge to c / (1 - m) = 1 and stay finite.
//
// Tiling: none. Workgroups of WG invocations, folded into x·y (linear index
// wid.x + wid.y * num_workgroups.x); invocation i owns out[i] and nothing else.
override WG: u32 = 256;

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
  for (var it = 0u; it < params.iterations; it++) {
    a0 = a0 * m + c;
    a1 = a1 * m + c;
    a2 = a2 * m + c;
    a3 = a3 * m + c;
    a4 = a4 * m + c;
    a5 = a5 * m + c;
    a6 = a6 * m + c;
    a7 = a7 * m + c;
  }
  out[i] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}
