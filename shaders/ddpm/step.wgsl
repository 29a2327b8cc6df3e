// step: one reverse step of a DDPM or DDIM sampler, in the form both reduce to,
//
//   x_prev[i] = ca * x[i] + cb * pred[i] + sigma * z[i]
//
// where pred is the denoiser's output (eps-hat or x0-hat) and (ca, cb, sigma) come
// from src/problem/ddpm-coefficients.ts (float64 on the CPU, one set per step):
//   DDPM, eps:  ca = 1/sqrt(alpha_t), cb = -beta_t / (sqrt(alpha_t) sqrt(1 - abar_t)),
//               sigma^2 = beta_t or beta-tilde_t, and sigma = 0 at t = 0;
//   DDIM:       x_prev = sqrt(abar_prev) x0-hat + sqrt(1 - abar_prev - sigma^2) eps-hat + sigma z.
// Prepended with shaders/rng/philox.wgsl. z comes from `z` (noise_mode 1), from
// Philox at (seed, stream, step, i) (noise_mode 2), or is absent (noise_mode 0).
//
// Shapes: x, pred, z, out [n] (rows * dim, flattened).
// Tiling: none. Invocation i of linear workgroup w owns element w*WG + i.

override WG: u32 = 256;

struct Params {
  n: u32,
  noise_mode: u32,   // 0: none, 1: z buffer, 2: Philox
  seed: u32,
  stream: u32,
  step: u32,
  ca: f32,
  cb: f32,
  sigma: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;         // [n]
@group(0) @binding(2) var<storage, read> pred: array<f32>;      // [n]
@group(0) @binding(3) var<storage, read> z: array<f32>;         // [n] (noise_mode 1)
@group(0) @binding(4) var<storage, read_write> out: array<f32>; // [n]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.n) { return; }
  var v = params.ca * x[i] + params.cb * pred[i];
  if (params.noise_mode == 1u) {
    v = v + params.sigma * z[i];
  } else if (params.noise_mode == 2u) {
    v = v + params.sigma * philox_normal(params.seed, params.stream, params.step, i);
  }
  out[i] = v;
}
