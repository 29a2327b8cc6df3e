// attention-map weights: for every head h and query i, the scaled logits and the
// attention weights of one row,
//
//   s_ij = scale · q_i · k_j                        (written to `logits`, unmasked)
//   P_ij = exp(s_ij − m_i) / l_i   for visible j,  0 for masked j
//   m_i  = max over visible j of s_ij,  l_i = Σ_visible exp(s_ij − m_i)
//
// which is the stable softmax: subtracting the row max keeps every exponent ≤ 0, so
// nothing overflows, and the largest term is exactly 1, so l_i ≥ 1 never underflows.
// A row with no visible key writes zeros (not NaN). The causal mask is aligned
// bottom-right: key j is visible to query i iff j ≤ i + (Nk − Nq); keys j ≥ keyLength
// are padding.
//
// This is the matrix that `<attention-map>` draws: it materializes Nq×Nk per head on
// purpose (a map is the matrix). The flash kernel is the one that never does.
//
// Tiling: one workgroup of WG invocations per row (h, i), linear workgroup index folded
// into x·y. WG is a power of two (8 … 64, chosen from Nk by the launcher) for the trees. Invocation t owns keys t, t + WG, t + 2·WG, …: it writes their logits, then
// the row max and sum are tree-reduced in workgroup memory, then it normalizes its keys.

override WG: u32 = 64;

struct Params {
  rows: u32,       // H · Nq
  nq: u32,
  nk: u32,
  d: u32,
  scale: f32,
  causal: u32,     // 0 or 1
  key_length: u32, // keys at or past this index are padding
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;             // [H, Nq, d]
@group(0) @binding(2) var<storage, read> k: array<f32>;             // [H, Nk, d]
@group(0) @binding(3) var<storage, read_write> logits: array<f32>;  // [H, Nq, Nk]
@group(0) @binding(4) var<storage, read_write> weights: array<f32>; // [H, Nq, Nk]

var<workgroup> red: array<f32, WG>;

const NEG_BIG: f32 = -3.0e38;

fn visible(i: u32, j: u32) -> bool {
  if (j >= params.key_length) { return false; }
  if (params.causal == 0u) { return true; }
  // j ≤ i + (Nk − Nq), in signed arithmetic.
  return i32(j) <= i32(i) + i32(params.nk) - i32(params.nq);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nwg.x;   // folded dispatch; uniform per workgroup
  if (row >= params.rows) { return; }
  let h = row / params.nq;
  let i = row % params.nq;
  let d = params.d;
  let nk = params.nk;
  let qo = row * d;
  let out = row * nk;

  // 1. logits and the invocation's running max over its visible keys.
  var m = NEG_BIG;
  for (var j = lid; j < nk; j += WG) {
    let ko = (h * nk + j) * d;
    var s = 0.0;
    for (var t = 0u; t < d; t++) { s += q[qo + t] * k[ko + t]; }
    s *= params.scale;
    logits[out + j] = s;
    if (visible(i, j)) { m = max(m, s); }
  }
  red[lid] = m;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lid < w) { red[lid] = max(red[lid], red[lid + w]); }
    workgroupBarrier();
  }
  let row_max = red[0];
  workgroupBarrier();

  // 2. exponentials and the row sum.
  var l = 0.0;
  for (var j = lid; j < nk; j += WG) {
    var e = 0.0;
    if (visible(i, j)) { e = exp(logits[out + j] - row_max); }
    weights[out + j] = e;
    l += e;
  }
  red[lid] = l;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w /= 2u) {
    if (lid < w) { red[lid] += red[lid + w]; }
    workgroupBarrier();
  }
  let row_sum = red[0];

  // 3. normalize (a fully masked row has row_sum = 0 and stays zero).
  if (row_sum > 0.0) {
    for (var j = lid; j < nk; j += WG) { weights[out + j] = weights[out + j] / row_sum; }
  }
}
