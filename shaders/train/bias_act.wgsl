// bias_act: a dense layer's epilogue, after the matmul z = h·W has been written:
//
//   z[r, j] += b[j]          (in place: the pre-activation, kept for the backward pass)
//   h[r, j]  = act(z[r, j])  (skipped when ACT = 0: the output layer; h is then unused)
//
// Prepended with activations.wgsl (ACT, GELU_K0, GELU_K1). Shapes are uniforms:
// n = rows·cols values, cols per row.
// Tiling: none. Invocation i of linear workgroup w owns element w·WG + i.

override WG: u32 = 256;

struct Params {
  n: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bias: array<f32>;         // [cols]
@group(0) @binding(2) var<storage, read_write> z: array<f32>;      // [rows, cols]
@group(0) @binding(3) var<storage, read_write> h: array<f32>;      // [rows, cols] (ACT ≠ 0)

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.n) { return; }
  let v = z[i] + bias[i % params.cols];
  z[i] = v;
  if (ACT != 0u) { h[i] = act_value(v); }
}
