// Roofline probe: copy bandwidth.
//
// Algorithm: dst[i] = src[i] over `params.count` vec4 elements: each element is read
// once and written once, 32 bytes of traffic per vec4, no arithmetic.
//
// Tiling: none. Workgroups of WG invocations, folded into x·y (linear index
// wid.x + wid.y * num_workgroups.x); invocation i owns dst[i].
override WG: u32 = 256;

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
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= params.count) {
    return;
  }
  dst[i] = src[i];
}
