// linear_weights: the per-key weights w[b, j] of linear attention.
//
// Linear attention (see linear_prefix.wgsl) has no softmax to add a bias or a mask
// to, so both become a weight on each key: w[b, j] = e^{bias_j − max_b} for a visible
// key, 0 for a masked one (j ≥ keyLengths[b], keep = 0, or bias_j < −1e30). Since
// e^{s + bias} = e^{s}·e^{bias}, this is what a per-key bias does to softmax weights;
// subtracting max_b (the largest visible bias) changes nothing in the ratio
// num/den and keeps e^{·} ≤ 1, so a bias of +1e4 does not overflow.
//
// Tiling: one workgroup of WG invocations per batch element b; a tree reduction in
// workgroup memory gives max_b, then invocation i writes keys i, i + WG, …

override WG: u32 = 64u;
const MASK_T: f32 = -1.0e30;
const LOWEST: f32 = -3.0e38;

struct Params {
  nk: u32, batches: u32, hasBias: u32, hasKeep: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> bias: array<f32>;         // [Nk] if hasBias
@group(0) @binding(2) var<storage, read> kinfo: array<f32>;        // [B] lengths, then [B, Nk] keep if hasKeep
@group(0) @binding(3) var<storage, read_write> w: array<f32>;      // [B, Nk]

var<workgroup> red: array<f32, WG>;

fn visibleBias(b: u32, j: u32) -> f32 {
  if (j >= u32(kinfo[b])) { return LOWEST; }
  if (params.hasKeep != 0u && kinfo[params.batches + b * params.nk + j] == 0.0) { return LOWEST; }
  if (params.hasBias == 0u) { return 0.0; }
  let s = bias[j];
  if (s < MASK_T) { return LOWEST; }
  return s;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x;
  var mx = LOWEST;
  for (var j = lid; j < params.nk; j += WG) { mx = max(mx, visibleBias(b, j)); }
  red[lid] = mx;
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (lid < stride) { red[lid] = max(red[lid], red[lid + stride]); }
  }
  workgroupBarrier();
  let top = red[0];
  for (var j = lid; j < params.nk; j += WG) {
    let s = visibleBias(b, j);
    w[b * params.nk + j] = select(exp(s - top), 0.0, s <= LOWEST);
  }
}
