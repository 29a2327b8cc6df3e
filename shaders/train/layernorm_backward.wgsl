// layernorm_backward: the input gradient of LayerNorm from the saved μ and ρ. With
// x̂ = (x − μ)ρ and g = dy·γ,
//
//   dx = ρ·(g − mean(g) − x̂·mean(g·x̂))
//
// (the mean terms are the gradient flowing through μ and through σ²). The parameter
// gradients dγ, dβ are column sums: layernorm_params.wgsl. The CPU twin is
// layerNormBackwardRef in src/reference/train/norm-loss.ts. rows and D are uniforms.
// Tiling: none. Invocation i of linear workgroup w owns row w·WG + i.

override WG: u32 = 64;

struct Params {
  rows: u32,
  D: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;            // [rows, D]
@group(0) @binding(2) var<storage, read> gamma: array<f32>;        // [D]
@group(0) @binding(3) var<storage, read> dy: array<f32>;           // [rows, D]
@group(0) @binding(4) var<storage, read> stats: array<f32>;        // [rows, 2]: μ, ρ
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;     // [rows, D]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let r = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (r >= params.rows) { return; }
  let D = params.D;
  let base = r * D;
  let mu = stats[2u * r];
  let rho = stats[2u * r + 1u];
  var sg = 0.0;
  var sgx = 0.0;
  for (var j = 0u; j < D; j++) {
    let xh = (x[base + j] - mu) * rho;
    let g = dy[base + j] * gamma[j];
    sg += g;
    sgx += g * xh;
  }
  let mg = sg / f32(D);
  let mgx = sgx / f32(D);
  for (var j = 0u; j < D; j++) {
    let xh = (x[base + j] - mu) * rho;
    let g = dy[base + j] * gamma[j];
    dx[base + j] = rho * ((g - mg) - xh * mgx);
  }
}
