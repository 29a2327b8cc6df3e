// scatter_cols: copies a dense [rows, cols] block into columns offset … offset + cols
// of rows of `stride` values: out[r·stride + offset + j] = x[r·cols + j]. The learned
// denoiser places the samples beside their time embedding this way.
// Tiling: none. Invocation i of linear workgroup w owns element w·WG + i of x.

override WG: u32 = 256;

struct Params {
  rows: u32,
  cols: u32,
  stride: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;            // [rows, cols]
@group(0) @binding(2) var<storage, read_write> out: array<f32>;    // [rows, stride]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.rows * params.cols) { return; }
  let r = i / params.cols;
  out[r * params.stride + params.offset + (i % params.cols)] = x[i];
}
