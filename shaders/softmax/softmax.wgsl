// softmax: y = softmax(x + bias) (or log-softmax) along the last axis, numerically
// stable for any row length, with the masks attention needs.
//
// Algorithm. softmax(s)_j = e^{s_j − m} / Σ_k e^{s_k − m} for any m; taking m = max_k s_k
// makes every exponent ≤ 0, so nothing overflows (logits of ±1e4 are fine) and the
// largest term is 1, so the sum is ≥ 1 and nothing underflows to 0/0. Log-softmax is
// s_j − m − log Σ_k e^{s_k − m} (the log-sum-exp trick), never log(0) of a kept entry.
//
// Any row length, one pass of reading for the statistics: each invocation keeps an
// online (running) max and sum over its strided share of the row,
//   m_new = max(m, s),  l_new = l·e^{m − m_new} + e^{s − m_new},
// evaluated with a single exponential e = e^{−|s − m|} (l·e + 1 if s > m, else l + e),
// then a tree reduction in workgroup memory merges pairs with the same rule,
//   (m, l) ⊕ (m', l') = (M, l·e^{m−M} + l'·e^{m'−M}),  M = max(m, m').
// A second sweep writes the outputs. Lanes loop over their row, so a row may be as
// long as a buffer allows.
//
// Masks. An entry is masked when its logit s = x + bias is below −1e30 (−∞
// included), when the causal mask hides it (key j > query i + causalOffset, with
// i = row mod nq), or when keep[batch, j] = 0 (batch = row / rowsPerBatch). Masked
// entries give exactly 0 (log: −∞), and a row with every entry masked gives all 0
// (log: all −∞), never NaN.
//
// Tiling: a workgroup of WG = ROWS·LPR invocations handles ROWS rows, LPR lanes per
// row (LPR is chosen from the row length, so short rows do not leave most lanes
// idle). Workgroups are folded into x·y past 65,535. The bias is broadcast over
// leading dims: bias row = row mod biasRows.

override LPR: u32 = 64u;   // lanes per row (a power of two)
override ROWS: u32 = 1u;   // rows per workgroup
override WG: u32 = LPR * ROWS;
const MASKED: f32 = -3.0e38;
const MASK_T: f32 = -1.0e30;

struct Params {
  rows: u32, len: u32, biasRows: u32, logOut: u32,
  causal: u32, causalOffset: i32, nq: u32, hasKeep: u32,
  rowsPerBatch: u32, negInf: f32, _p0: u32, _p1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;          // [rows, len]
@group(0) @binding(2) var<storage, read> bias: array<f32>;       // [biasRows, len]
@group(0) @binding(3) var<storage, read> keep: array<f32>;       // [batches, len] if hasKeep
@group(0) @binding(4) var<storage, read_write> y: array<f32>;    // [rows, len]

var<workgroup> redM: array<f32, WG>;
var<workgroup> redL: array<f32, WG>;

fn logit(row: u32, j: u32, biasBase: u32, keepBase: u32, qi: i32) -> f32 {
  if (params.causal != 0u && i32(j) > qi + params.causalOffset) { return MASKED; }
  if (params.hasKeep != 0u && keep[keepBase + j] == 0.0) { return MASKED; }
  var s = x[row * params.len + j];
  if (params.biasRows != 0u) { s += bias[biasBase + j]; }
  if (s < MASK_T) { return MASKED; }
  return s;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let group = wid.x + wid.y * nwg.x;   // folded dispatch
  if (group * ROWS >= params.rows) { return; }
  let lane = lid % LPR;
  let seg = lid - lane;                // this row's first slot in redM / redL
  let row = group * ROWS + lid / LPR;
  let live = row < params.rows;        // the last workgroup may be partial
  let len = select(0u, params.len, live);
  let biasBase = select(0u, (row % max(params.biasRows, 1u)) * params.len, params.biasRows != 0u);
  let keepBase = (row / max(params.rowsPerBatch, 1u)) * params.len;
  let qi = i32(row % max(params.nq, 1u));

  var m = MASKED;
  var l = 0.0;
  for (var j = lane; j < len; j += LPR) {
    let s = logit(row, j, biasBase, keepBase, qi);
    if (s != MASKED) {
      let e = exp(-abs(s - m));
      l = select(l + e, l * e + 1.0, s > m);
      m = max(m, s);
    }
  }
  redM[lid] = m;
  redL[lid] = l;
  for (var stride = LPR / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (lane < stride) {
      let m2 = redM[lid + stride];
      let mm = max(m, m2);
      l = l * exp(m - mm) + redL[lid + stride] * exp(m2 - mm);
      m = mm;
      redM[lid] = m;
      redL[lid] = l;
    }
  }
  workgroupBarrier();
  let rowMax = redM[seg];
  let rowSum = redL[seg];
  let logSum = log(rowSum);
  for (var j = lane; j < len; j += LPR) {
    let s = logit(row, j, biasBase, keepBase, qi);
    var out: f32;
    if (params.logOut != 0u) {
      out = select(s - rowMax - logSum, params.negInf, s == MASKED);
    } else {
      out = select(exp(s - rowMax) / rowSum, 0.0, s == MASKED);
    }
    y[row * params.len + j] = out;
  }
}
