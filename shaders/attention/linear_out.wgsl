// linear_out: the outputs of linear attention, O_i = φ(q_i)ᵀS_i / φ(q_i)ᵀz_i.
//
// For query i the visible keys are j ≤ t = i + Nk − Nq (causal) or all j (t = Nk − 1).
// With c = ⌊t/CH⌋, S_i = state[c] (the prefix before chunk c, from linear_prefix.wgsl)
// plus the keys c·CH … t of the partial chunk, added directly:
//
//   num = φ(q)ᵀ state[c][:, col] + Σ_{j=c·CH}^{t} coef_j v_j[col],   coef_j = w_j φ(q)ᵀφ(k_j)
//   den = φ(q)ᵀ state[c][:, dv]  + Σ_j coef_j,                         O_i = num/den (0 if den = 0)
//
// A query with no visible key (t < 0, or all weights 0) has den = 0 and outputs 0.
// Tiling: one workgroup of CH invocations per (bh, i). Invocation jj computes coef
// for key c·CH + jj into workgroup memory; then invocations own output columns
// col = lid, lid + CH, … and every one computes den itself (identically).
// The features φ(q̃), φ(k̃) come precomputed from linear_features.wgsl.
// Grouped-query attention: query head bh reads the keys, values and prefix states of
// K/V head ⌊bh / group⌋ (group = Hq / Hkv), which are never copied per query head.

override CH: u32 = 64u;

struct Params {
  nq: u32, nk: u32, d: u32, dv: u32,
  heads: u32, chunks: u32, total: u32, causal: u32,
  causalOffset: i32, group: u32, _p1: u32, _p2: u32,   // group = Hq / Hkv
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> fq: array<f32>;      // [B·H, Nq, d] features φ(√scale·q)
@group(0) @binding(2) var<storage, read> fk: array<f32>;      // [B·Hkv, Nk, d] features φ(√scale·k)
@group(0) @binding(3) var<storage, read> v: array<f32>;       // [B·Hkv, Nk, dv]
@group(0) @binding(4) var<storage, read> w: array<f32>;       // [B, Nk]
@group(0) @binding(5) var<storage, read> state: array<f32>;   // [B·Hkv, chunks, d, dv + 1]
@group(0) @binding(6) var<storage, read_write> o: array<f32>; // [B·H, Nq, dv]

var<workgroup> coef: array<f32, CH>;

@compute @workgroup_size(CH)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let linear = wid.x + wid.y * nwg.x;   // folded dispatch: one workgroup per (bh, i)
  if (linear >= params.total) { return; }
  let i = linear % params.nq;
  let bh = linear / params.nq;
  let b = bh / params.heads;
  let kvh = bh / params.group;   // the K/V head this query head reads
  let cols = params.dv + 1u;
  let oBase = (bh * params.nq + i) * params.dv;
  var t = i32(params.nk) - 1;
  if (params.causal != 0u) { t = min(t, i32(i) + params.causalOffset); }
  if (t < 0) {
    for (var col = lid; col < params.dv; col += CH) { o[oBase + col] = 0.0; }
    return;
  }
  let c = u32(t) / CH;
  let j0 = c * CH;
  let qBase = (bh * params.nq + i) * params.d;
  let j = j0 + lid;
  var cf = 0.0;
  if (j <= u32(t)) {
    let wj = w[b * params.nk + j];
    if (wj != 0.0) {
      let kBase = (kvh * params.nk + j) * params.d;
      var dotp = 0.0;
      for (var a = 0u; a < params.d; a++) {
        dotp += fq[qBase + a] * fk[kBase + a];
      }
      cf = wj * dotp;
    }
  }
  coef[lid] = cf;
  workgroupBarrier();
  let n = u32(t) - j0 + 1u;
  let sBase = (kvh * params.chunks + c) * params.d * cols;
  var den = 0.0;
  for (var a = 0u; a < params.d; a++) {
    den += fq[qBase + a] * state[sBase + a * cols + params.dv];
  }
  for (var jj = 0u; jj < n; jj++) { den += coef[jj]; }
  for (var col = lid; col < params.dv; col += CH) {
    var num = 0.0;
    for (var a = 0u; a < params.d; a++) {
      num += fq[qBase + a] * state[sBase + a * cols + col];
    }
    for (var jj = 0u; jj < n; jj++) { num += coef[jj] * v[(kvh * params.nk + j0 + jj) * params.dv + col]; }
    o[oBase + col] = select(num / den, 0.0, den == 0.0);
  }
}
