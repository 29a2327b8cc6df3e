// linear_features: the feature map of linear attention, y = φ(√scale·x) with
// φ(x) = elu(x) + 1 = (x > 0 ? x + 1 : eˣ), element-wise over [B·H, N, d].
// Computed once per element, so the prefix and output kernels read features
// instead of re-evaluating an exponential inside their loops.
// Tiling: none. Invocation i of linear workgroup w owns element w·WG + i.

override WG: u32 = 256u;

struct Params {
  n: u32, rootScale: f32, _p0: u32, _p1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;          // [n]
@group(0) @binding(2) var<storage, read_write> y: array<f32>;    // [n]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.n) { return; }
  let s = params.rootScale * x[i];
  y[i] = select(exp(s), s + 1.0, s > 0.0);
}
