// forward: the forward (noising) process q(x_t | x_0) for a batch at mixed t,
//
//   x_t[r, j] = sqrt(abar[t_r]) * x0[r, j] + sqrt(1 - abar[t_r]) * eps[r, j]
//
// Prepended with shaders/rng/philox.wgsl. eps is read from `eps` (noise_mode 0) or
// drawn from Philox at (seed, stream, step, r*dim + j) (noise_mode 1; `eps` is then
// bound to a dummy buffer and never read).
//
// Shapes: x0, eps, out [rows, dim]; t [rows] (u32 timestep per row);
// coef [T, 2] = (sqrt(abar_t), sqrt(1 - abar_t)), computed in float64 on the CPU.
// Tiling: none. Invocation i of linear workgroup w owns element w*WG + i.

override WG: u32 = 256;

struct Params {
  n: u32,           // rows * dim
  dim: u32,
  noise_mode: u32,  // 0: eps buffer, 1: Philox
  seed: u32,
  stream: u32,
  step: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x0: array<f32>;        // [rows, dim]
@group(0) @binding(2) var<storage, read> t: array<u32>;         // [rows]
@group(0) @binding(3) var<storage, read> coef: array<f32>;      // [T, 2]
@group(0) @binding(4) var<storage, read> eps: array<f32>;       // [rows, dim] (noise_mode 0)
@group(0) @binding(5) var<storage, read_write> out: array<f32>; // [rows, dim]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.n) { return; }
  let tt = t[i / params.dim];
  var e: f32;
  if (params.noise_mode == 1u) {
    e = philox_normal(params.seed, params.stream, params.step, i);
  } else {
    e = eps[i];
  }
  out[i] = coef[2u * tt] * x0[i] + coef[2u * tt + 1u] * e;
}
