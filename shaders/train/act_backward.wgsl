// act_backward: the backward pass of an activation, dz = dh ⊙ act'(z), element-wise.
//
// Prepended with activations.wgsl (ACT, GELU_K0, GELU_K1). z is the pre-activation
// saved by the forward pass. n is a uniform.
// Tiling: none. Invocation i of linear workgroup w owns element w·WG + i.

override WG: u32 = 256;

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;            // [n]
@group(0) @binding(2) var<storage, read> dh: array<f32>;           // [n]
@group(0) @binding(3) var<storage, read_write> dz: array<f32>;     // [n]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.n) { return; }
  dz[i] = dh[i] * act_grad(z[i]);
}
