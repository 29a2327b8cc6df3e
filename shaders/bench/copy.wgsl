// Roofline probe: copy bandwidth.
//
// Algorithm: dst[i] = src[i] over `params.count` vec4 elements: each element is read
// once and written once, 32 bytes of traffic per vec4, no arithmetic. The host may
// encode several dispatches in one submission (src/bench/probes.ts), so the fixed
// cost of a submission does not dominate.
//
// Override constants (the roofline suite tries several and keeps the fastest):
//   WG   invocations per workgroup;
//   VPT  vec4 elements each invocation copies (1, 4, 8, …). More per invocation
//        amortizes the index arithmetic and the bounds check on CPU-style adapters.
//
// Tiling: workgroup w (folded into x·y, linear index wid.x + wid.y * num_workgroups.x)
// owns the WG * VPT elements from w * WG * VPT; invocation `lid` copies elements
// lid, lid + WG, …, lid + (VPT - 1) * WG of that block, so neighbouring invocations
// always touch neighbouring vec4s (coalesced on GPUs, one contiguous SIMD access on
// CPU-style adapters).
override WG: u32 = 256;
override VPT: u32 = 1;

struct Params {
  count: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let base = (wid.x + wid.y * nwg.x) * WG * VPT + lid;
  for (var k = 0u; k < VPT; k++) {
    let i = base + k * WG;
    if (i < params.count) {
      dst[i] = src[i];
    }
  }
}
