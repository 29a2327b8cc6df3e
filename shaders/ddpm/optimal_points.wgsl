// optimal_points: the exact denoiser E[x0 | x_t] of a training set for low-dimensional
// data (dim <= 4: the 2-D point clouds), fused in one pass. The same maths as the
// attention path (src/kernels/ddpm/denoiser.ts): for query q = x_t and training
// points k_i,
//
//   logit_i = scale * (q . k_i) + bias_factor * |k_i|^2,
//   scale = sqrt(abar)/(1 - abar),  bias_factor = -abar/(2(1 - abar)),
//   out = sum_i softmax_i(logit) k_i.
//
// Why a separate kernel: the generic flash tiling puts 4x4 query-by-column blocks
// on each invocation, so with d = dv = 2 most of its lanes work on padding. Here one
// invocation owns one query row and keeps it, and its accumulator, in vec4 registers.
//
// Tiling. A workgroup of WG invocations owns WG query rows. Keys are walked in tiles
// of WG: each invocation stages one key (zero-padded to a vec4) and its bias term in
// workgroup memory, then every invocation scans the tile once with the online
// softmax: a logit above the running max m rescales the running sum and accumulator
// by e^(m - logit) and becomes the new max; any other adds e^(logit - m) times its key.
// One exp per key, no N x M score matrix. m starts at -3e38, so the first key's
// rescale is e^(-huge) = 0.
//
// Shapes: x [n, dim], train [m, dim], out [n, dim], dim in 1..4.

override WG: u32 = 64;

struct Params {
  n: u32,
  m: u32,
  dim: u32,
  scale: f32,
  bias_factor: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;          // [n, dim]
@group(0) @binding(2) var<storage, read> train: array<f32>;      // [m, dim]
@group(0) @binding(3) var<storage, read_write> out: array<f32>;  // [n, dim]

var<workgroup> keys: array<vec4f, WG>;
var<workgroup> kbias: array<f32, WG>;

fn load_row(buf_is_x: bool, row: u32) -> vec4f {
  var v = vec4f(0.0);
  let d = params.dim;
  for (var j = 0u; j < d; j++) {
    if (buf_is_x) { v[j] = x[row * d + j]; } else { v[j] = train[row * d + j]; }
  }
  return v;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let row = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  let live = row < params.n;
  var q = vec4f(0.0);
  if (live) { q = load_row(true, row); }
  var m_run = -3.0e38;
  var l_run = 0.0;
  var acc = vec4f(0.0);
  for (var base = 0u; base < params.m; base += WG) {
    let kidx = base + lid;
    if (kidx < params.m) {
      let k = load_row(false, kidx);
      keys[lid] = k;
      kbias[lid] = params.bias_factor * dot(k, k);
    }
    workgroupBarrier();
    let count = min(WG, params.m - base);
    for (var i = 0u; i < count; i++) {
      let k = keys[i];
      let logit = params.scale * dot(q, k) + kbias[i];
      if (logit > m_run) {
        // new running max: rescale what was accumulated against the old one
        let r = exp(m_run - logit);
        l_run = l_run * r + 1.0;
        acc = acc * r + k;
        m_run = logit;
      } else {
        let w = exp(logit - m_run);
        l_run += w;
        acc += w * k;
      }
    }
    workgroupBarrier();
  }
  if (live) {
    let o = acc / l_run;
    let d = params.dim;
    for (var j = 0u; j < d; j++) { out[row * d + j] = o[j]; }
  }
}
