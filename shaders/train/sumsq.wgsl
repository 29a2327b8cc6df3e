// sumsq: the squared global norm of a flat vector, out[0] = Σ_i g[i]² (gradient
// clipping by global norm reads it).
//
// Algorithm: one workgroup. Invocation l sums g[l]², g[l + WG]², …, then a
// fixed-order tree reduction in workgroup memory (deterministic); invocation 0
// writes out[0]. count is a uniform.

override WG: u32 = 256;

struct Params {
  count: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> g: array<f32>;            // [count]
@group(0) @binding(2) var<storage, read_write> out: array<f32>;    // [1]

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < params.count; i += WG) { s += g[i] * g[i]; }
  partial[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k = k / 2u) {
    if (lid < k) { partial[lid] += partial[lid + k]; }
    workgroupBarrier();
  }
  if (lid == 0u) { out[0] = partial[0]; }
}
