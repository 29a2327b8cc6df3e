// bias-act: h[b, n, j] ← act(h[b, n, j] + bias[b, j]) in place, after a batched
// matmul of the MLP slice. act is tanh (1) or the identity (0). tanh is written
// out as sign(z)·(1 − e^(−2|z|))/(1 + e^(−2|z|)): no overflow for large |z|, and
// the CPU reference (src/reference/mlp.ts) uses the same formula.
//
// Tiling: none. Invocation i of linear workgroup w owns element w·WG + i of h.

override WG: u32 = 256;

struct Params {
  count: u32,   // batch entries
  rows: u32,    // N, data points
  width: u32,   // H, units of the layer
  act: u32,     // 0 identity, 1 tanh
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bias: array<f32>;      // [count, H]
@group(0) @binding(2) var<storage, read_write> h: array<f32>;   // [count, N, H]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let k = (wid.x + wid.y * nwg.x) * WG + lid;
  if (k >= params.count * params.rows * params.width) { return; }
  let j = k % params.width;
  let b = k / (params.rows * params.width);
  let z = h[k] + bias[b * params.width + j];
  if (params.act == 1u) {
    let t = exp(-2.0 * abs(z));
    h[k] = sign(z) * ((1.0 - t) / (1.0 + t));
  } else {
    h[k] = z;
  }
}
