// col_sum: column sums of a row-major matrix, out[j] = Σ_r x[r, j]: a dense layer's
// bias gradient db = Σ_r dz[r, :].
//
// Algorithm: workgroup j owns column j. Its WG invocations stride down the rows
// (invocation l adds rows l, l + WG, …), then a tree reduction in workgroup memory
// adds the WG partial sums; invocation 0 writes out[j]. The order of additions is
// fixed, so the result is deterministic. rows and cols are uniforms.
// Tiling: one column per workgroup; workgroups are folded into x·y past 65,535.

override WG: u32 = 64;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;            // [rows, cols]
@group(0) @binding(2) var<storage, read_write> out: array<f32>;    // [cols]

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let j = wid.x + wid.y * nwg.x;   // folded dispatch: one column per workgroup
  var s = 0.0;
  if (j < params.cols) {
    for (var r = lid; r < params.rows; r += WG) { s += x[r * params.cols + j]; }
  }
  partial[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k = k / 2u) {
    if (lid < k) { partial[lid] += partial[lid + k]; }
    workgroupBarrier();
  }
  if (lid == 0u && j < params.cols) { out[j] = partial[0]; }
}
