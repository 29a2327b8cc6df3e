// init: Gaussian initialization of a flat parameter vector, reproducible from a seed.
//
//   x[offset_s + i] = σ_s · philox_normal(seed, stream, s, i)   (0 where σ_s = 0)
//
// for slot s (one parameter tensor) and entry i; values outside every slot (the
// padding between tensors) are 0. Prepended with shaders/rng/philox.wgsl; the CPU
// twin is initNetworkRef in src/reference/train/network.ts.
// Tiling: none. Invocation i of linear workgroup w owns value w·WG + i; it finds its
// slot by a linear scan of the (few) slots.

override WG: u32 = 256;

struct Params {
  count: u32,
  slots: u32,
  seed: u32,
  stream: u32,
}

struct Slot {
  offset: u32,
  size: u32,
  sigma: f32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> slots: array<Slot>;       // [slots]
@group(0) @binding(2) var<storage, read_write> x: array<f32>;      // [count]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.count) { return; }
  var value = 0.0;
  for (var s = 0u; s < params.slots; s++) {
    let sl = slots[s];
    if (i >= sl.offset && i < sl.offset + sl.size && sl.sigma > 0.0) {
      value = sl.sigma * philox_normal(params.seed, params.stream, s, i - sl.offset);
    }
  }
  x[i] = value;
}
