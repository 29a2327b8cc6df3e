// time_embed: the sinusoidal time embedding (Vaswani et al., 2017; Ho et al., 2020),
//
//   out[r, offset + k]     = sin(t_r·ω_k)
//   out[r, offset + h + k] = cos(t_r·ω_k),   k < h = dim/2,  ω_k = maxPeriod^(−k/h)
//
// written into rows of `stride` values from column `offset` on, so the embedding can
// land beside the data columns of a network's input. ω comes from a table computed
// in float64 on the host (timeFrequencies in src/problem/train-layers.ts); sin and
// cos from trig.wgsl (prepended). The CPU twin is timeEmbeddingRef.
// Tiling: none. Invocation i of linear workgroup w owns the pair (r, k) with
// w·WG + i = r·h + k.

override WG: u32 = 256;

struct Params {
  rows: u32,
  half: u32,
  stride: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> t: array<f32>;            // [rows]
@group(0) @binding(2) var<storage, read> freqs: array<f32>;        // [half]
@group(0) @binding(3) var<storage, read_write> out: array<f32>;    // [rows, stride]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.rows * params.half) { return; }
  let r = i / params.half;
  let k = i % params.half;
  let cs = cos_sin(t[r] * freqs[k]);
  let o = r * params.stride + params.offset + k;
  out[o] = cs.y;
  out[o + params.half] = cs.x;
}
