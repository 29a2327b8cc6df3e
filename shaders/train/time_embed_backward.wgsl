// time_embed_backward: the gradient of the time embedding with respect to t,
//
//   dt[r] = Σ_k ω_k·(demb[r, k]·cos(t_r·ω_k) − demb[r, h + k]·sin(t_r·ω_k))
//
// (a network's timesteps are not trained, but the layer's backward pass exists and
// gradcheck covers it). Prepended with trig.wgsl. demb is dense [rows, 2h].
// The CPU twin is timeEmbeddingBackwardRef in src/reference/train/layers.ts.
// Tiling: none. Invocation i of linear workgroup w owns row w·WG + i.

override WG: u32 = 64;

struct Params {
  rows: u32,
  half: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> t: array<f32>;            // [rows]
@group(0) @binding(2) var<storage, read> freqs: array<f32>;        // [half]
@group(0) @binding(3) var<storage, read> demb: array<f32>;         // [rows, 2·half]
@group(0) @binding(4) var<storage, read_write> dt: array<f32>;     // [rows]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let r = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (r >= params.rows) { return; }
  let h = params.half;
  var s = 0.0;
  for (var k = 0u; k < h; k++) {
    let cs = cos_sin(t[r] * freqs[k]);
    let g = demb[r * 2u * h + k] * cs.x - demb[r * 2u * h + h + k] * cs.y;
    s += g * freqs[k];
  }
  dt[r] = s;
}
