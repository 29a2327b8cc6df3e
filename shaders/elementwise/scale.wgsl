// scale: y[i] = alpha * x[i] + beta, one invocation per element.
//
// The smallest real kernel: it exercises dispatch folding (a linear workgroup
// index folded into x·y past 65,535 workgroups) and serves the roofline's copy
// bandwidth probe (alpha = 1, beta = 0 reads and writes 8 bytes per element).
//
// Tiling: none. Workgroup: WG invocations in x; invocation i of linear workgroup w
// owns element w·WG + i.

override WG: u32 = 256;

struct Params {
  n: u32,       // element count
  alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;        // [n]
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // [n]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let linear = wid.x + wid.y * nwg.x;   // folded dispatch
  let i = linear * WG + lid;
  if (i >= params.n) { return; }
  y[i] = params.alpha * x[i] + params.beta;
}
