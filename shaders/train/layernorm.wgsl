// layernorm: y = γ·(x − μ)·ρ + β over the last axis, ρ = 1/√(σ² + ε), σ² the biased
// variance of the row; μ and ρ are written out for the backward pass.
//
// Algorithm: two passes over the row (mean, then the centred sum of squares, which
// is more accurate than E[x²] − μ²), then the normalized write. The CPU twin is
// layerNormRef in src/reference/train/norm-loss.ts. rows, D and ε are uniforms.
// Tiling: none. Invocation i of linear workgroup w owns row w·WG + i.

override WG: u32 = 64;

struct Params {
  rows: u32,
  D: u32,
  eps: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;            // [rows, D]
@group(0) @binding(2) var<storage, read> gamma: array<f32>;        // [D]
@group(0) @binding(3) var<storage, read> beta: array<f32>;         // [D]
@group(0) @binding(4) var<storage, read_write> y: array<f32>;      // [rows, D]
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;  // [rows, 2]: μ, ρ

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let r = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (r >= params.rows) { return; }
  let D = params.D;
  let base = r * D;
  var s = 0.0;
  for (var j = 0u; j < D; j++) { s += x[base + j]; }
  let mu = s / f32(D);
  var v = 0.0;
  for (var j = 0u; j < D; j++) {
    let c = x[base + j] - mu;
    v += c * c;
  }
  let rho = 1.0 / sqrt(v / f32(D) + params.eps);
  stats[2u * r] = mu;
  stats[2u * r + 1u] = rho;
  for (var j = 0u; j < D; j++) { y[base + j] = gamma[j] * ((x[base + j] - mu) * rho) + beta[j]; }
}
