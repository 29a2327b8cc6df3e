// ddpm_batch: one training batch of the simplified DDPM objective, drawn on the GPU
// from Philox so a run is reproducible from its seed and no data crosses the bus.
// For row r of step `step`:
//
//   i = ⌊u·m⌋ (stream row),  t = ⌊u·T⌋ (stream time),  ε_j = N(0, 1) (stream noise, element r·dim + j)
//   input[r, j] = √ᾱ_t·data[i, j] + √(1 − ᾱ_t)·ε_j,   eps[r, j] = ε_j,   tcol[r] = t
//
// with ⌊u·n⌋ computed exactly in integers from the word's top 24 bits (as the CPU
// twin ddpmBatchRef does in float64). The input rows have `stride` values: the time
// embedding is written beside them by time_embed.wgsl. Prepended with
// shaders/rng/philox.wgsl. Tiling: none. Invocation i of linear workgroup w owns row w·WG + i.

override WG: u32 = 64;

struct Params {
  batch: u32,
  dim: u32,
  m: u32,
  T: u32,
  stride: u32,
  seed: u32,
  step: u32,
  streamRow: u32,
  streamTime: u32,
  streamNoise: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> data: array<f32>;         // [m, dim]
@group(0) @binding(2) var<storage, read> coef: array<f32>;         // [T, 2]: √ᾱ_t, √(1 − ᾱ_t)
@group(0) @binding(3) var<storage, read_write> input: array<f32>;  // [batch, stride]
@group(0) @binding(4) var<storage, read_write> tcol: array<f32>;   // [batch]
@group(0) @binding(5) var<storage, read_write> eps: array<f32>;    // [batch, dim]

// ⌊(w >> 8)·n / 2²⁴⌋ without overflow: (w >> 8) = hi·2⁸ + lo, hi·n = a1·2¹⁶ + a0.
fn philox_index(w: u32, n: u32) -> u32 {
  let a = (w >> 16u) * n;
  let lo = ((w >> 8u) & 0xffu) * n;
  return (a >> 16u) + (((a & 0xffffu) << 8u) + lo) / 16777216u;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let r = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (r >= params.batch) { return; }
  let i = philox_index(philox_word(params.seed, params.streamRow, params.step, r), params.m);
  let t = philox_index(philox_word(params.seed, params.streamTime, params.step, r), params.T);
  tcol[r] = f32(t);
  let c0 = coef[2u * t];
  let c1 = coef[2u * t + 1u];
  for (var j = 0u; j < params.dim; j++) {
    let e = philox_normal(params.seed, params.streamNoise, params.step, r * params.dim + j);
    eps[r * params.dim + j] = e;
    input[r * params.stride + j] = c0 * data[i * params.dim + j] + c1 * e;
  }
}
