// softmax, 'rows' variant: y = softmax(x + bias) (or log-softmax) along the last
// axis, one invocation per row, for CPU-style adapters (SwiftShader, lavapipe), where
// an invocation is a SIMD lane of a CPU core and workgroup barriers are expensive.
// Same results and masks as softmax.wgsl (the 'workgroup' variant); no workgroup
// memory, no barriers.
//
// What each invocation owns: RPI consecutive rows (rows (g·WG + lid)·RPI + t, t < RPI,
// g the folded workgroup index). It sweeps each of its rows twice:
//   1. statistics: an online (running) max and sum per vec4 lane,
//        m' = max(m, s),  l' = l·e^{m − m'} + e^{s − m'},
//      with one exponential per entry, e = e^{−|s − m|}: l' = l·e + 1 if s > m, else l + e.
//      The four lanes merge at the end: M = max m_c, L = Σ_c l_c·e^{m_c − M}.
//   2. output: y_j = e^{s_j − M} / L (log-softmax: (s_j − M) − log L), written once.
// So x is read twice, y written once, two exponentials per entry (the three-pass form
// max / exp-and-sum written / scale reads and writes y twice more; measured slower).
//
// Vector access. The row is swept in vec4 slots of the flat buffer (slot k holds
// entries 4k … 4k+3). Slots wholly inside the row are read through x4 and written
// through y as vec4. When len % 4 ≠ 0 a row may start and end mid-slot: those (at most
// two) edge slots are read entry by entry through x (a read-only alias of the same
// buffer) and written component by component. ALIGNED (len % 4 == 0, chosen by the
// launcher) compiles the edge handling away and reads bias and keep as vec4 too (their
// rows then start on a slot as well). y covers only the full4 = ⌊rows·len / 4⌋ whole
// slots of the output; entries past them (at most 3, only when rows·len % 4 ≠ 0) go
// to `tail`, which the launcher copies to the end of the output. A binding is never
// read past its length.
//
// Masks. An entry is masked when its logit s = x + bias is below −1e30 (−∞ included),
// when the causal mask hides it (key j > query i + causalOffset, i = row mod nq), or
// when keep[batch, j] = 0 (batch = row / rowsPerBatch). Masked entries give exactly 0
// (log: −∞), a fully masked row gives all 0 (log: all −∞), never NaN. Logits of ±1e4
// are fine: every exponent is ≤ 0. The bias is broadcast over leading dims: bias row =
// row mod biasRows. Whether a call has a bias, each mask and log output is fixed per
// pipeline by the overrides below. Workgroups are folded into x·y past 65,535.

override WG: u32 = 64u;          // invocations per workgroup
override RPI: u32 = 1u;          // rows per invocation
override ALIGNED: bool = false;  // len % 4 == 0: every row is whole vec4 slots
// The features a call uses, as constants, so that the hot loops carry no branch for
// those it does not (a uniform branch per slot cost ~1.7× on SwiftShader).
override HAS_BIAS: bool = false; // add bias (params.biasRows rows of it)
override CAUSAL: bool = false;   // the causal mask
override HAS_KEEP: bool = false; // the keep mask
override LOG_OUT: bool = false;  // log-softmax
const MASKED: f32 = -3.0e38;
const MASK_T: f32 = -1.0e30;

// The same block as softmax.wgsl's; this kernel takes logOut, causal and hasKeep from
// the overrides above instead.
struct Params {
  rows: u32, len: u32, biasRows: u32, logOut: u32,
  causal: u32, causalOffset: i32, nq: u32, hasKeep: u32,
  rowsPerBatch: u32, negInf: f32, full4: u32, _p0: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;          // [rows, len]
@group(0) @binding(2) var<storage, read> x4: array<vec4f>;       // the same buffer, whole slots
@group(0) @binding(3) var<storage, read> bias: array<f32>;       // [biasRows, len]
@group(0) @binding(4) var<storage, read> bias4: array<vec4f>;    // the same buffer (ALIGNED only)
@group(0) @binding(5) var<storage, read> keep: array<f32>;       // [batches, len] if hasKeep
@group(0) @binding(6) var<storage, read> keep4: array<vec4f>;    // the same buffer (ALIGNED only)
@group(0) @binding(7) var<storage, read_write> y: array<vec4f>;  // [rows·len / 4] whole slots
@group(0) @binding(8) var<storage, read_write> tail: array<f32>; // entries past 4·full4

/** One row: where it starts in x and y, and where its bias and keep rows start. */
struct Row { start: u32, len: u32, biasBase: u32, keepBase: u32, qlim: i32 }

/** Per-lane online statistics: running max and sum of e^{s − max}. */
struct Stats { m: vec4f, l: vec4f }

fn rowOf(row: u32) -> Row {
  let len = params.len;
  let biasBase = select(0u, (row % max(params.biasRows, 1u)) * len, params.biasRows != 0u);
  let keepBase = (row / max(params.rowsPerBatch, 1u)) * len;
  let qlim = i32(row % max(params.nq, 1u)) + params.causalOffset;
  return Row(row * len, len, biasBase, keepBase, qlim);
}

/** The logit of column j of the row (masked → MASKED), read entry by entry. */
fn logit(r: Row, j: u32) -> f32 {
  if (CAUSAL && i32(j) > r.qlim) { return MASKED; }
  if (HAS_KEEP && keep[r.keepBase + j] == 0.0) { return MASKED; }
  var s = x[r.start + j];
  if (HAS_BIAS) { s += bias[r.biasBase + j]; }
  return select(s, MASKED, s < MASK_T);
}

/** The logits of slot k, wholly inside the row (masked → MASKED). */
fn fullSlot(r: Row, k: u32) -> vec4f {
  let j = 4u * k - r.start;  // the column of its first entry
  var s = x4[k];
  var masked = vec4<bool>(false);
  if (HAS_BIAS) {
    let b = r.biasBase + j;
    if (ALIGNED) {
      s += bias4[b / 4u];
    } else {
      s += vec4f(bias[b], bias[b + 1u], bias[b + 2u], bias[b + 3u]);
    }
  }
  if (CAUSAL) {
    masked = vec4i(i32(j)) + vec4i(0, 1, 2, 3) > vec4i(r.qlim);
  }
  if (HAS_KEEP) {
    let b = r.keepBase + j;
    var kv: vec4f;
    if (ALIGNED) {
      kv = keep4[b / 4u];
    } else {
      kv = vec4f(keep[b], keep[b + 1u], keep[b + 2u], keep[b + 3u]);
    }
    masked = masked | (kv == vec4f(0.0));
  }
  return select(s, vec4f(MASKED), masked | (s < vec4f(MASK_T)));
}

/** The logits of slot k, which the row covers only in part: entries outside it are MASKED. */
fn edgeSlot(r: Row, k: u32) -> vec4f {
  var v = vec4f(MASKED);
  for (var c = 0u; c < 4u; c++) {
    let i = 4u * k + c;
    if (i >= r.start && i < r.start + r.len) { v[c] = logit(r, i - r.start); }
  }
  return v;
}

/** Folds one slot of logits into the per-lane statistics (one exponential per entry). */
fn online(st: Stats, v: vec4f) -> Stats {
  let e = exp(-abs(v - st.m));
  let grows = v > st.m;  // never true for a masked entry
  let l = select(select(st.l + e, st.l, v == vec4f(MASKED)), st.l * e + 1.0, grows);
  return Stats(max(st.m, v), l);
}

/** Outputs of one slot, given the row max m, 1/L and log L. */
fn outputs(v: vec4f, m: f32, inv: f32, logL: f32) -> vec4f {
  let gone = v == vec4f(MASKED);
  if (LOG_OUT) { return select((v - m) - logL, vec4f(params.negInf), gone); }
  return select(exp(v - m) * inv, vec4f(0.0), gone);
}

/** Writes the entries of edge slot k that lie in the row. */
fn storeEdge(r: Row, k: u32, out: vec4f) {
  for (var c = 0u; c < 4u; c++) {
    let i = 4u * k + c;
    if (i >= r.start && i < r.start + r.len) {
      if (k < params.full4) { y[k][c] = out[c]; } else { tail[i - 4u * params.full4] = out[c]; }
    }
  }
}

fn softmaxRow(row: u32) {
  let r = rowOf(row);
  let k0 = r.start / 4u;                 // first slot the row touches
  let kEnd = (r.start + r.len + 3u) / 4u; // one past the last
  let head = !ALIGNED && r.start % 4u != 0u;
  let last = !ALIGNED && (r.start + r.len) % 4u != 0u && (kEnd - 1u != k0 || !head);
  let in0 = k0 + select(0u, 1u, head);
  let in1 = max(kEnd - select(0u, 1u, !ALIGNED && (r.start + r.len) % 4u != 0u), in0);

  // Pass 1: online statistics.
  var st = Stats(vec4f(MASKED), vec4f(0.0));
  if (head) { st = online(st, edgeSlot(r, k0)); }
  for (var k = in0; k < in1; k++) { st = online(st, fullSlot(r, k)); }
  if (last) { st = online(st, edgeSlot(r, kEnd - 1u)); }
  let m = max(max(st.m.x, st.m.y), max(st.m.z, st.m.w));
  let w = select(exp(st.m - vec4f(m)), vec4f(0.0), st.m == vec4f(MASKED));
  let l = dot(st.l, w);  // ≥ 1 unless every entry is masked
  let inv = 1.0 / l;
  let logL = log(l);

  // Pass 2: outputs, written once.
  if (head) { storeEdge(r, k0, outputs(edgeSlot(r, k0), m, inv, logL)); }
  for (var k = in0; k < in1; k++) { y[k] = outputs(fullSlot(r, k), m, inv, logL); }
  if (last) { storeEdge(r, kEnd - 1u, outputs(edgeSlot(r, kEnd - 1u), m, inv, logL)); }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let group = wid.x + wid.y * nwg.x;  // folded dispatch
  let first = (group * WG + lid) * RPI;
  for (var t = 0u; t < RPI; t++) {
    let row = first + t;
    if (row >= params.rows) { return; }
    softmaxRow(row);
  }
}
