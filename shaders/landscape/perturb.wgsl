// perturb: one layer's parameters for a batch of grid points of a 2-D slice,
//   out[b, e] = θ[off + e] + α_b · d₁[off + e] + β_b · d₂[off + e],
// where grid point g = first + b has α = a0 + (g mod G)·dα and β = b0 + (g div G)·dβ.
// The launcher runs it once per weight matrix and bias of the MLP, so each comes
// out as its own [count, …] tensor, ready for batched matmul.
//
// Tiling: none. Invocation i of linear workgroup w owns element k = w·WG + i of
// out, i.e. (b, e) = (k div size, k mod size).

override WG: u32 = 256;

struct Params {
  offset: u32,   // where the layer's parameters start in θ
  size: u32,     // how many parameters the layer has
  first: u32,    // grid index of batch entry 0
  count: u32,    // batch entries in this chunk
  res: u32,      // G
  a0: f32,
  da: f32,
  b0: f32,
  db: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dirs: array<f32>;         // [3, P]: θ, d₁, d₂
@group(0) @binding(2) var<storage, read_write> out: array<f32>;    // [count, size]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let k = (wid.x + wid.y * nwg.x) * WG + lid;
  if (k >= params.count * params.size) { return; }
  let b = k / params.size;
  let e = k % params.size;
  let g = params.first + b;
  let alpha = params.a0 + f32(g % params.res) * params.da;
  let beta = params.b0 + f32(g / params.res) * params.db;
  let p = params.offset + e;
  let n = arrayLength(&dirs) / 3u;
  out[k] = (dirs[p] + alpha * dirs[n + p]) + beta * dirs[2u * n + p];
}
