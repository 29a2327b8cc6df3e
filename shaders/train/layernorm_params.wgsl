// layernorm_params: LayerNorm's parameter gradients, column sums over the rows,
//
//   dγ[j] = Σ_r dy[r, j]·x̂[r, j],   dβ[j] = Σ_r dy[r, j],   x̂ = (x − μ)ρ
//
// Algorithm: workgroup j owns column j; its WG invocations stride down the rows,
// then a fixed-order tree reduction in workgroup memory (deterministic). rows and
// D are uniforms. Tiling: one column per workgroup, folded into x·y past 65,535.

override WG: u32 = 64;

struct Params {
  rows: u32,
  D: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;            // [rows, D]
@group(0) @binding(2) var<storage, read> dy: array<f32>;           // [rows, D]
@group(0) @binding(3) var<storage, read> stats: array<f32>;        // [rows, 2]: μ, ρ
@group(0) @binding(4) var<storage, read_write> dgamma: array<f32>; // [D]
@group(0) @binding(5) var<storage, read_write> dbeta: array<f32>;  // [D]

var<workgroup> partial: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let j = wid.x + wid.y * nwg.x;   // folded dispatch: one column per workgroup
  var s = vec2f(0.0);
  if (j < params.D) {
    for (var r = lid; r < params.rows; r += WG) {
      let g = dy[r * params.D + j];
      let xh = (x[r * params.D + j] - stats[2u * r]) * stats[2u * r + 1u];
      s += vec2f(g * xh, g);
    }
  }
  partial[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k = k / 2u) {
    if (lid < k) { partial[lid] += partial[lid + k]; }
    workgroupBarrier();
  }
  if (lid == 0u && j < params.D) {
    dgamma[j] = partial[0].x;
    dbeta[j] = partial[0].y;
  }
}
