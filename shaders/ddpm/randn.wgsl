// randn: fills out[i] for i < n with the Philox value addressed by
// (seed, stream, step, i). Prepended with shaders/rng/philox.wgsl.
//
// MODE (override): 0 = the raw 32-bit word, 1 = the uniform in [0, 1), 2 = the
// standard normal. Floats are stored by bit pattern, so the buffer reads back as
// u32 words (MODE 0) or f32 values (MODE 1, 2).
//
// Tiling: none. Invocation i of linear workgroup w owns element w*WG + i.

override WG: u32 = 256;
override MODE: u32 = 2;

struct Params {
  n: u32,
  seed: u32,
  stream: u32,
  step: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;   // [n]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.n) { return; }
  if (MODE == 0u) {
    out[i] = philox_word(params.seed, params.stream, params.step, i);
  } else if (MODE == 1u) {
    out[i] = bitcast<u32>(philox_uniform(philox_word(params.seed, params.stream, params.step, i)));
  } else {
    out[i] = bitcast<u32>(philox_normal(params.seed, params.stream, params.step, i));
  }
}
