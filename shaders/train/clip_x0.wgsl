// clip_x0: an ε-prediction turned into a clipped x̂₀-prediction,
//
//   x̂₀ = clamp((x_t − √(1−ᾱ_t)·ε̂) / √ᾱ_t, −clip, clip)
//
// (Ho et al.'s sampler clips x̂₀ to the data's range the same way). At the noisiest
// steps √ᾱ_t is tiny (2·10⁻⁹ for ᾱ at the cosine schedule's last step), so an
// ε̂ error becomes an x̂₀ error hundreds of times larger; clipping keeps a learned
// denoiser's samples from being thrown out of the data's range there.
// s0 = √ᾱ_t, s1 = √(1−ᾱ_t) and clip are uniforms, computed on the host.
// Tiling: none. Invocation i of linear workgroup w owns element w·WG + i.

override WG: u32 = 256;

struct Params {
  n: u32,
  s0: f32,
  s1: f32,
  clip: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;            // x_t [n]
@group(0) @binding(2) var<storage, read> eps: array<f32>;          // ε̂ [n]
@group(0) @binding(3) var<storage, read_write> out: array<f32>;    // x̂₀ [n]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.n) { return; }
  out[i] = clamp((x[i] - params.s1 * eps[i]) / params.s0, -params.clip, params.clip);
}
