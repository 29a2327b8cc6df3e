// flash: fused attention O = softmax(scale·Q·Kᵀ + bias + mask)·V, never forming the
// Nq×Nk score matrix (FlashAttention, Dao et al. 2022; the loop order of FA-2).
//
// Algorithm. A workgroup owns a block of BR = 4·TR query rows of one (batch, head)
// and BDV = 4·TC output columns. It walks the keys in tiles of BC = 4·TC. For each
// tile it forms S_tile = scale·Q_blk·K_tileᵀ + bias (BR×BC, masked entries set to
// MASKED), then updates per query row the running max m, running sum l and the
// unnormalised output O:
//
//   m_new = max(m, rowmax(S_tile))
//   l_new = e^{m − m_new}·l + rowsum(e^{S_tile − m_new})
//   O_new = e^{m − m_new}·O + e^{S_tile − m_new}·V_tile
//
// and after the last tile O = O / l. This is exact: e^{m − m_new} rescales what was
// accumulated against the old max, so the result equals softmax(S)·V for the whole
// row, computed in one pass with O(BR·d) state. m starts at MASKED, so tiles that
// are masked so far contribute 0 and the first real tile's rescale is e^{−huge} = 0.
// Masked entries get probability exactly 0 (tested against MASK_T, not via exp(−∞)),
// and a row with no visible key has l = 0 and outputs 0 (not NaN, not mean(V)).
//
// Skipping. Tiles outside the keys any row of the block may see are never
// visited: keys ≥ keyLengths[b]; with the causal mask (bottom-right aligned: query i
// sees key j iff j ≤ i + causalOffset, causalOffset = Nk − Nq) every tile entirely
// above the diagonal; with a sliding window (i + off − W ≤ j ≤ i + off + Wr) every
// tile before the first row's window or past the last row's.
//
// Variants. The logit is softcap(scale·q·k) + bias − slope_h·|j − (i + off)| (SOFTCAP:
// c·tanh(s/c); ALIBI: the head's slope, read from kinfo), then the masks. Grouped-query
// attention: query head bh reads K/V head ⌊bh / group⌋ (b·Hkv + ⌊h / group⌋) in place;
// K and V are never copied per query head.
//
// Tiling and ownership. Workgroup (TC, TR); invocation (tc, tr) owns
//   S: query rows 4tr..4tr+3 × keys 4tc..4tc+3 of the tile (4 vec4s over rows),
//   O: query rows 4tr..4tr+3 × output columns 4tc..4tc+3 (4 vec4 accumulators),
//   m, l: vec4s over its 4 rows (kept identically by the TC invocations of a row).
// Workgroup memory: the head dim is walked in chunks of 4·DC4: the Q chunk qs
// [BR][DC4] and K chunk kvs [BC][DC4] are staged, S accumulates in registers;
// then P = e^{S − m_new} goes to pt [BC][TR] (a vec4 holds 4 rows of one key) and V is
// staged in chunks kvs [KC][TC]. Row maxima are reduced through part [TC][TR].
// All hot loops use named vec4 accumulators (no dynamically indexed private arrays).
//
// Trace mode (override TRACE): the workgroup of (traceBh, traceQBlock, dv block 0)
// writes after each tile t, at trace[t·(2 + 3·BR)]: t, skipped (0/1), then m, l and
// the rescale e^{m_old − m_new} for its BR rows. The arithmetic is the same code,
// so its output equals the plain kernel's bit for bit.

override TR: u32 = 4u;      // row groups: BR = 4·TR query rows per workgroup
override TC: u32 = 16u;     // column groups: BC = 4·TC keys per tile, 4·TC output columns
override DC4: u32 = 8u;     // vec4s of the head dim per staged chunk
override KC: u32 = 32u;     // keys per staged V chunk (divides BC)
override QS_LEN: u32 = 128u;  // BR·DC4
override KV_LEN: u32 = 512u;  // max(BC·DC4, KC·TC)
override PT_LEN: u32 = 256u;  // BC·TR
override PART_LEN: u32 = 64u; // TC·TR
override TRACE: bool = false;
// The score rule (masks, window, ALiBi, softcap: WINDOW, ALIBI, SOFTCAP, MASKED, score()) is
// shaders/attention/score.wgsl, which the launcher appends to this file.

struct Params {
  nq: u32, nk: u32, d: u32, dv: u32,
  heads: u32, qBlocks: u32, dvBlocks: u32, total: u32,   // total = B·H·qBlocks·dvBlocks workgroups
  scale: f32, causal: u32, causalOffset: i32, hasKeep: u32,
  batches: u32, biasRows: u32, traceBh: u32, traceQBlock: u32,
  group: u32, winLeft: i32, winRight: i32, softcap: f32,   // group = Hq / Hkv
  slopeBase: u32, splits: u32, splitKeys: u32, splitStart: u32,  // splits…: flash_decode.wgsl only
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;      // [B·H, Nq, d]
@group(0) @binding(2) var<storage, read> k: array<f32>;      // [B·Hkv, Nk, d]
@group(0) @binding(3) var<storage, read> v: array<f32>;      // [B·Hkv, Nk, dv]
@group(0) @binding(4) var<storage, read> bias: array<f32>;   // [biasRows, Nk], broadcast by row modulo
@group(0) @binding(5) var<storage, read> kinfo: array<f32>;  // [B] key lengths, [B, Nk] keep (1/0) if hasKeep, [H] slopes if ALIBI
@group(0) @binding(6) var<storage, read_write> o: array<f32>;     // [B·H, Nq, dv]
@group(0) @binding(7) var<storage, read_write> trace: array<f32>; // [kTiles, 2 + 3·BR] in trace mode

var<workgroup> qs: array<vec4f, QS_LEN>;
var<workgroup> kvs: array<vec4f, KV_LEN>;
var<workgroup> pt: array<vec4f, PT_LEN>;
var<workgroup> part: array<vec4f, PART_LEN>;
var<workgroup> wgKeyEnd: u32;
var<workgroup> wgKeyStart: u32;
var<private> slope: f32;   // this workgroup's head's ALiBi slope

fn loadQ(base: u32, row: u32, col: u32) -> vec4f {
  var r = vec4f(0.0);
  if (row >= params.nq) { return r; }
  let i = base + row * params.d + col;
  if (col < params.d) { r.x = q[i]; }
  if (col + 1u < params.d) { r.y = q[i + 1u]; }
  if (col + 2u < params.d) { r.z = q[i + 2u]; }
  if (col + 3u < params.d) { r.w = q[i + 3u]; }
  return r;
}

fn loadK(base: u32, key: u32, col: u32) -> vec4f {
  var r = vec4f(0.0);
  if (key >= params.nk) { return r; }
  let i = base + key * params.d + col;
  if (col < params.d) { r.x = k[i]; }
  if (col + 1u < params.d) { r.y = k[i + 1u]; }
  if (col + 2u < params.d) { r.z = k[i + 2u]; }
  if (col + 3u < params.d) { r.w = k[i + 3u]; }
  return r;
}

fn loadV(base: u32, key: u32, col: u32) -> vec4f {
  var r = vec4f(0.0);
  if (key >= params.nk) { return r; }
  let i = base + key * params.dv + col;
  if (col < params.dv) { r.x = v[i]; }
  if (col + 1u < params.dv) { r.y = v[i + 1u]; }
  if (col + 2u < params.dv) { r.z = v[i + 2u]; }
  if (col + 3u < params.dv) { r.w = v[i + 3u]; }
  return r;
}

// Scores of one key for the 4 rows starting at row.
fn scores4(raw: vec4f, bh: u32, b: u32, row: u32, key: u32, keyEnd: u32) -> vec4f {
  return vec4f(score(raw.x, bh, b, row, key, keyEnd), score(raw.y, bh, b, row + 1u, key, keyEnd),
               score(raw.z, bh, b, row + 2u, key, keyEnd), score(raw.w, bh, b, row + 3u, key, keyEnd));
}

fn probs(s: vec4f, m: vec4f) -> vec4f {
  return select(exp(s - m), vec4f(0.0), s < vec4f(MASK_T));
}

fn writeTrace(t: u32, skipped: bool, tr: u32, m: vec4f, l: vec4f, alpha: vec4f) {
  let BR = 4u * TR;
  let base = t * (2u + 3u * BR);
  if (tr == 0u) {
    trace[base] = f32(t);
    trace[base + 1u] = select(0.0, 1.0, skipped);
  }
  let r = base + 2u + 4u * tr;
  trace[r] = m.x; trace[r + 1u] = m.y; trace[r + 2u] = m.z; trace[r + 3u] = m.w;
  let rl = r + BR;
  trace[rl] = l.x; trace[rl + 1u] = l.y; trace[rl + 2u] = l.z; trace[rl + 3u] = l.w;
  let ra = rl + BR;
  trace[ra] = alpha.x; trace[ra + 1u] = alpha.y; trace[ra + 2u] = alpha.z; trace[ra + 3u] = alpha.w;
}

@compute @workgroup_size(TC, TR)
fn main(@builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  let linear = wid.x + wid.y * nwg.x;   // folded dispatch
  if (linear >= params.total) { return; }
  let BR = 4u * TR;
  let BC = 4u * TC;
  let tc = lid.x;
  let tr = lid.y;
  let lidx = tr * TC + tc;
  let NT = TR * TC;

  let dvb = linear % params.dvBlocks;
  let rest = linear / params.dvBlocks;
  let qb = rest % params.qBlocks;
  let bh = rest / params.qBlocks;
  let b = bh / params.heads;
  let row0 = qb * BR;
  let kvh = bh / params.group;   // grouped-query attention: the K/V head this query head reads
  let qBase = bh * params.nq * params.d;
  let kBase = kvh * params.nk * params.d;
  let vBase = kvh * params.nk * params.dv;
  let isTrace = TRACE && bh == params.traceBh && qb == params.traceQBlock && dvb == 0u;

  if (ALIBI) { slope = kinfo[params.slopeBase + bh % params.heads]; }

  // The keys any row of this block may see, [keyStart, keyEnd) (uniform through workgroupUniformLoad).
  if (lidx == 0u) {
    let lastRow = min(row0 + BR, params.nq) - 1u;
    var keyEnd = min(params.nk, u32(kinfo[b]));
    if (params.causal != 0u) {
      let lim = clamp(i32(lastRow) + params.causalOffset + 1, 0, i32(params.nk));
      keyEnd = min(keyEnd, u32(lim));
    }
    var keyStart = 0u;
    if (WINDOW) {
      keyStart = u32(clamp(i32(row0) + params.causalOffset - params.winLeft, 0, i32(params.nk)));
      keyEnd = min(keyEnd, u32(clamp(i32(lastRow) + params.causalOffset + params.winRight + 1, 0, i32(params.nk))));
    }
    wgKeyEnd = keyEnd;
    wgKeyStart = keyStart;
  }
  let keyEnd = workgroupUniformLoad(&wgKeyEnd);
  let nTiles = (keyEnd + BC - 1u) / BC;
  // The first tile to visit; with no visible key at all, none (tStart = nTiles).
  let tStart = min(workgroupUniformLoad(&wgKeyStart) / BC, nTiles);
  let d4 = (params.d + 3u) / 4u;
  let rowA = row0 + 4u * tr;          // this invocation's first query row
  let colA = (dvb * TC + tc) * 4u;    // and first output column

  var m = vec4f(MASKED);
  var l = vec4f(0.0);
  var o0 = vec4f(0.0);
  var o1 = vec4f(0.0);
  var o2 = vec4f(0.0);
  var o3 = vec4f(0.0);

  if (isTrace && tc == 0u) {
    for (var t = 0u; t < tStart; t++) { writeTrace(t, true, tr, m, l, vec4f(1.0)); }
  }
  for (var t = tStart; t < nTiles; t++) {
    let key0 = t * BC;
    // S = Q·Kᵀ for 4 rows × 4 keys, over the head dim in chunks.
    var s0 = vec4f(0.0);
    var s1 = vec4f(0.0);
    var s2 = vec4f(0.0);
    var s3 = vec4f(0.0);
    for (var c0 = 0u; c0 < d4; c0 += DC4) {
      workgroupBarrier();
      for (var idx = lidx; idx < BR * DC4; idx += NT) {
        qs[idx] = loadQ(qBase, row0 + idx / DC4, (c0 + idx % DC4) * 4u);
      }
      for (var idx = lidx; idx < BC * DC4; idx += NT) {
        kvs[idx] = loadK(kBase, key0 + idx / DC4, (c0 + idx % DC4) * 4u);
      }
      workgroupBarrier();
      let qr = 4u * tr * DC4;
      let kr = 4u * tc * DC4;
      for (var j = 0u; j < DC4; j++) {
        let q0 = qs[qr + j];
        let q1 = qs[qr + DC4 + j];
        let q2 = qs[qr + 2u * DC4 + j];
        let q3 = qs[qr + 3u * DC4 + j];
        let k0 = kvs[kr + j];
        let k1 = kvs[kr + DC4 + j];
        let k2 = kvs[kr + 2u * DC4 + j];
        let k3 = kvs[kr + 3u * DC4 + j];
        s0 += vec4f(dot(q0, k0), dot(q1, k0), dot(q2, k0), dot(q3, k0));
        s1 += vec4f(dot(q0, k1), dot(q1, k1), dot(q2, k1), dot(q3, k1));
        s2 += vec4f(dot(q0, k2), dot(q1, k2), dot(q2, k2), dot(q3, k2));
        s3 += vec4f(dot(q0, k3), dot(q1, k3), dot(q2, k3), dot(q3, k3));
      }
    }
    let keyA = key0 + 4u * tc;
    s0 = scores4(s0, bh, b, rowA, keyA, keyEnd);
    s1 = scores4(s1, bh, b, rowA, keyA + 1u, keyEnd);
    s2 = scores4(s2, bh, b, rowA, keyA + 2u, keyEnd);
    s3 = scores4(s3, bh, b, rowA, keyA + 3u, keyEnd);

    // m_new = max(m, rowmax(S_tile)), through the TC partial maxima of each row group.
    part[tc * TR + tr] = max(max(s0, s1), max(s2, s3));
    workgroupBarrier();
    var mt = part[tr];
    for (var c = 1u; c < TC; c++) { mt = max(mt, part[c * TR + tr]); }
    let mNew = max(m, mt);
    let alpha = exp(m - mNew);
    m = mNew;
    pt[(4u * tc) * TR + tr] = probs(s0, mNew);
    pt[(4u * tc + 1u) * TR + tr] = probs(s1, mNew);
    pt[(4u * tc + 2u) * TR + tr] = probs(s2, mNew);
    pt[(4u * tc + 3u) * TR + tr] = probs(s3, mNew);
    o0 *= alpha.x;
    o1 *= alpha.y;
    o2 *= alpha.z;
    o3 *= alpha.w;

    // O += P·V_tile, l += rowsum(P), V staged in chunks of KC keys.
    var lsum = vec4f(0.0);
    for (var v0 = 0u; v0 < BC; v0 += KC) {
      workgroupBarrier();
      for (var idx = lidx; idx < KC * TC; idx += NT) {
        kvs[idx] = loadV(vBase, key0 + v0 + idx / TC, (dvb * TC + idx % TC) * 4u);
      }
      workgroupBarrier();
      for (var kk = 0u; kk < KC; kk++) {
        let p = pt[(v0 + kk) * TR + tr];
        let vv = kvs[kk * TC + tc];
        o0 += p.x * vv;
        o1 += p.y * vv;
        o2 += p.z * vv;
        o3 += p.w * vv;
        lsum += p;
      }
    }
    l = alpha * l + lsum;
    if (isTrace && tc == 0u) { writeTrace(t, false, tr, m, l, alpha); }
  }
  if (isTrace && tc == 0u) {
    let kTiles = (params.nk + BC - 1u) / BC;
    for (var t = nTiles; t < kTiles; t++) { writeTrace(t, true, tr, m, l, vec4f(1.0)); }
  }

  // O = O / l; rows with no visible key (l = 0) give 0.
  let inv = select(vec4f(1.0) / l, vec4f(0.0), l == vec4f(0.0));
  let oBase = bh * params.nq * params.dv;
  for (var r = 0u; r < 4u; r++) {
    let row = rowA + r;
    if (row >= params.nq) { break; }
    var acc = o0 * inv.x;
    if (r == 1u) { acc = o1 * inv.y; }
    if (r == 2u) { acc = o2 * inv.z; }
    if (r == 3u) { acc = o3 * inv.w; }
    let i = oBase + row * params.dv + colA;
    if (colA < params.dv) { o[i] = acc.x; }
    if (colA + 1u < params.dv) { o[i + 1u] = acc.y; }
    if (colA + 2u < params.dv) { o[i + 2u] = acc.z; }
    if (colA + 3u < params.dv) { o[i + 3u] = acc.w; }
  }
}
