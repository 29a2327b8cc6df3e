// flash, rows configuration: fused attention O = softmax(scale·Q·Kᵀ + bias + mask)·V for
// CPU-style adapters (SwiftShader, lavapipe), with no workgroup memory and no barriers.
// Same maths, masks, bindings and uniform block as flash.wgsl (read its header for the
// online-softmax recurrences); what differs is who owns what.
//
// Ownership. Invocation i of workgroup qb owns the 4 query rows r0 = 4·(qb·WG + i) ..
// r0 + 3 of one (batch, head) and ALL dv output columns. It walks the visible keys in
// groups of 8. For each group it forms the 4 × 8 score block (rows × keys) over the head
// dim in vec4 chunks (4 loads of Q and 8 of K per 32 dot4s), updates the running max m
// and sum l (vec4s over its 4 rows), and then, column chunk by column chunk, rescales
// its unnormalised output rows and adds P·V for the 8 keys (each O value is read and
// written once per 8 keys):
//
//   O[r, c..c+3] = e^{m_old − m_new}·O[r, c..c+3] + Σ_{j<8} p[r, j]·V[key_j, c..c+3]
//
// The running O lives in the output buffer itself (each invocation touches only its own
// rows, so no synchronization is needed; the buffer starts zeroed), which keeps every
// head dim in one pass: QKᵀ is computed once per key, never once per output block.
// After the last key, O = O / l (0 for a row with no visible key).
//
// Why: on CPU-style adapters every invocation is a SIMD lane of a CPU core, workgroup
// memory is ordinary RAM and a barrier synchronizes all lanes. Neighbouring invocations
// here read the same keys at the same time (one address across the SIMD group), and no
// invocation ever waits for another.
//
// Skipping: keys ≥ keyLengths[b], under the causal mask every key past the last row's
// diagonal (bottom-right aligned: key j is visible to query i iff j ≤ i + Nk − Nq), and
// with a sliding window every key before the first row's window start or past the last
// row's window end (i + off − W ≤ j ≤ i + off + Wr), are never visited: the key loop
// runs over [keyStart, keyEnd) only. Masked entries get probability exactly 0 and a
// fully masked row outputs 0, as in flash.wgsl. Grouped-query attention reads K/V head
// ⌊bh / group⌋ in place (never copied); ALiBi and soft-capping enter `score`, as in
// flash.wgsl. WG, WINDOW, ALIBI and SOFTCAP are overrides; the launcher dispatches
// B·H·ceil(Nq / (4·WG)) workgroups, folded into x·y.

override WG: u32 = 64u;   // invocations per workgroup; a workgroup owns 4·WG query rows
// The score rule (masks, window, ALiBi, softcap: WINDOW, ALIBI, SOFTCAP, MASKED, score()) is
// shaders/attention/score.wgsl, which the launcher appends to this file.

struct Params {
  nq: u32, nk: u32, d: u32, dv: u32,
  heads: u32, qBlocks: u32, dvBlocks: u32, total: u32,   // total = B·H·qBlocks workgroups (dvBlocks = 1)
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
@group(0) @binding(7) var<storage, read_write> trace: array<f32>; // unused here (trace mode is flash.wgsl's)

// 4 consecutive values at i (all inside the buffer).
fn q4(i: u32) -> vec4f { return vec4f(q[i], q[i + 1u], q[i + 2u], q[i + 3u]); }
fn k4(i: u32) -> vec4f { return vec4f(k[i], k[i + 1u], k[i + 2u], k[i + 3u]); }
fn v4(i: u32) -> vec4f { return vec4f(v[i], v[i + 1u], v[i + 2u], v[i + 3u]); }
fn o4(i: u32) -> vec4f { return vec4f(o[i], o[i + 1u], o[i + 2u], o[i + 3u]); }

// The first n (< 4) values at i, zeros after: the tail chunk of a head dim that is not a multiple of 4.
fn qTail(i: u32, n: u32) -> vec4f { return vec4f(q[i], select(0.0, q[i + 1u], n > 1u), select(0.0, q[i + 2u], n > 2u), 0.0); }
fn kTail(i: u32, n: u32) -> vec4f { return vec4f(k[i], select(0.0, k[i + 1u], n > 1u), select(0.0, k[i + 2u], n > 2u), 0.0); }

var<private> slope: f32;   // this invocation's head's ALiBi slope

// Scores of one key for the 4 rows starting at row.
fn scores4(raw: vec4f, bh: u32, b: u32, row: u32, key: u32, keyEnd: u32) -> vec4f {
  return vec4f(score(raw.x, bh, b, row, key, keyEnd), score(raw.y, bh, b, row + 1u, key, keyEnd),
               score(raw.z, bh, b, row + 2u, key, keyEnd), score(raw.w, bh, b, row + 3u, key, keyEnd));
}

fn probs(s: vec4f, m: vec4f) -> vec4f {
  return select(exp(s - m), vec4f(0.0), s < vec4f(MASK_T));
}

// O[row, c..c+3] = alpha·O + Σ_j p_j·V_j over the 8 keys of a group, for one row
// (pa: that row's probabilities for keys 0..3, pb: for keys 4..7).
fn update(i: u32, alpha: f32, pa: vec4f, pb: vec4f,
          w0: vec4f, w1: vec4f, w2: vec4f, w3: vec4f, w4: vec4f, w5: vec4f, w6: vec4f, w7: vec4f) {
  let r = alpha * o4(i) + (pa.x * w0 + pa.y * w1 + pa.z * w2 + pa.w * w3) + (pb.x * w4 + pb.y * w5 + pb.z * w6 + pb.w * w7);
  o[i] = r.x; o[i + 1u] = r.y; o[i + 2u] = r.z; o[i + 3u] = r.w;
}

// The scalar version, for the tail columns of a value dim that is not a multiple of 4.
fn update1(i: u32, alpha: f32, pa: vec4f, pb: vec4f, wa: vec4f, wb: vec4f) {
  o[i] = alpha * o[i] + dot(pa, wa) + dot(pb, wb);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  let linear = wid.x + wid.y * nwg.x;   // folded dispatch
  if (linear >= params.total) { return; }
  let qb = linear % params.qBlocks;
  let bh = linear / params.qBlocks;
  let b = bh / params.heads;
  let rowA = (qb * WG + lid.x) * 4u;
  if (rowA >= params.nq) { return; }
  let d = params.d;
  let dv = params.dv;
  let nq = params.nq;

  if (ALIBI) { slope = kinfo[params.slopeBase + bh % params.heads]; }

  // The keys any of the 4 rows may see: [keyStart, keyEnd).
  let lastRow = min(rowA + 3u, nq - 1u);
  var keyEnd = min(params.nk, u32(kinfo[b]));
  if (params.causal != 0u) {
    keyEnd = min(keyEnd, u32(clamp(i32(lastRow) + params.causalOffset + 1, 0, i32(params.nk))));
  }
  var keyStart = 0u;
  if (WINDOW) {
    keyStart = u32(clamp(i32(rowA) + params.causalOffset - params.winLeft, 0, i32(params.nk)));
    keyEnd = min(keyEnd, u32(clamp(i32(lastRow) + params.causalOffset + params.winRight + 1, 0, i32(params.nk))));
  }

  // Rows past Nq read the last row's Q (valid memory) and are never stored.
  let qRow0 = (bh * nq + rowA) * d;
  let qRow1 = (bh * nq + min(rowA + 1u, nq - 1u)) * d;
  let qRow2 = (bh * nq + min(rowA + 2u, nq - 1u)) * d;
  let qRow3 = (bh * nq + min(rowA + 3u, nq - 1u)) * d;
  let kvh = bh / params.group;      // grouped-query attention: the K/V head this query head reads
  let kBase = kvh * params.nk * d;
  let vBase = kvh * params.nk * dv;
  let oRow0 = (bh * nq + rowA) * dv;
  let oRow1 = oRow0 + dv;
  let oRow2 = oRow1 + dv;
  let oRow3 = oRow2 + dv;
  let rows = min(4u, nq - rowA);    // rows this invocation stores
  let d4 = d & ~3u;                 // head-dim columns in whole vec4 chunks
  let dv4 = dv & ~3u;

  var m = vec4f(MASKED);
  var l = vec4f(0.0);

  for (var key0 = keyStart; key0 < keyEnd; key0 += 8u) {
    // Keys past keyEnd read key keyEnd − 1 (valid memory); their scores are masked below.
    let kr0 = kBase + key0 * d;
    let kr1 = kBase + min(key0 + 1u, keyEnd - 1u) * d;
    let kr2 = kBase + min(key0 + 2u, keyEnd - 1u) * d;
    let kr3 = kBase + min(key0 + 3u, keyEnd - 1u) * d;
    let kr4 = kBase + min(key0 + 4u, keyEnd - 1u) * d;
    let kr5 = kBase + min(key0 + 5u, keyEnd - 1u) * d;
    let kr6 = kBase + min(key0 + 6u, keyEnd - 1u) * d;
    let kr7 = kBase + min(key0 + 7u, keyEnd - 1u) * d;

    // S (4 rows × 8 keys): s_j holds key j's logit for the 4 rows.
    var s0 = vec4f(0.0);
    var s1 = vec4f(0.0);
    var s2 = vec4f(0.0);
    var s3 = vec4f(0.0);
    var s4 = vec4f(0.0);
    var s5 = vec4f(0.0);
    var s6 = vec4f(0.0);
    var s7 = vec4f(0.0);
    var c = 0u;
    for (; c < d4; c += 4u) {
      let a0 = q4(qRow0 + c); let a1 = q4(qRow1 + c); let a2 = q4(qRow2 + c); let a3 = q4(qRow3 + c);
      let b0 = k4(kr0 + c);
      s0 += vec4f(dot(a0, b0), dot(a1, b0), dot(a2, b0), dot(a3, b0));
      let b1 = k4(kr1 + c);
      s1 += vec4f(dot(a0, b1), dot(a1, b1), dot(a2, b1), dot(a3, b1));
      let b2 = k4(kr2 + c);
      s2 += vec4f(dot(a0, b2), dot(a1, b2), dot(a2, b2), dot(a3, b2));
      let b3 = k4(kr3 + c);
      s3 += vec4f(dot(a0, b3), dot(a1, b3), dot(a2, b3), dot(a3, b3));
      let b4 = k4(kr4 + c);
      s4 += vec4f(dot(a0, b4), dot(a1, b4), dot(a2, b4), dot(a3, b4));
      let b5 = k4(kr5 + c);
      s5 += vec4f(dot(a0, b5), dot(a1, b5), dot(a2, b5), dot(a3, b5));
      let b6 = k4(kr6 + c);
      s6 += vec4f(dot(a0, b6), dot(a1, b6), dot(a2, b6), dot(a3, b6));
      let b7 = k4(kr7 + c);
      s7 += vec4f(dot(a0, b7), dot(a1, b7), dot(a2, b7), dot(a3, b7));
    }
    if (c < d) {
      let n = d - c;
      let a0 = qTail(qRow0 + c, n); let a1 = qTail(qRow1 + c, n); let a2 = qTail(qRow2 + c, n); let a3 = qTail(qRow3 + c, n);
      let b0 = kTail(kr0 + c, n);
      s0 += vec4f(dot(a0, b0), dot(a1, b0), dot(a2, b0), dot(a3, b0));
      let b1 = kTail(kr1 + c, n);
      s1 += vec4f(dot(a0, b1), dot(a1, b1), dot(a2, b1), dot(a3, b1));
      let b2 = kTail(kr2 + c, n);
      s2 += vec4f(dot(a0, b2), dot(a1, b2), dot(a2, b2), dot(a3, b2));
      let b3 = kTail(kr3 + c, n);
      s3 += vec4f(dot(a0, b3), dot(a1, b3), dot(a2, b3), dot(a3, b3));
      let b4 = kTail(kr4 + c, n);
      s4 += vec4f(dot(a0, b4), dot(a1, b4), dot(a2, b4), dot(a3, b4));
      let b5 = kTail(kr5 + c, n);
      s5 += vec4f(dot(a0, b5), dot(a1, b5), dot(a2, b5), dot(a3, b5));
      let b6 = kTail(kr6 + c, n);
      s6 += vec4f(dot(a0, b6), dot(a1, b6), dot(a2, b6), dot(a3, b6));
      let b7 = kTail(kr7 + c, n);
      s7 += vec4f(dot(a0, b7), dot(a1, b7), dot(a2, b7), dot(a3, b7));
    }
    s0 = scores4(s0, bh, b, rowA, key0 + 0u, keyEnd);
    s1 = scores4(s1, bh, b, rowA, key0 + 1u, keyEnd);
    s2 = scores4(s2, bh, b, rowA, key0 + 2u, keyEnd);
    s3 = scores4(s3, bh, b, rowA, key0 + 3u, keyEnd);
    s4 = scores4(s4, bh, b, rowA, key0 + 4u, keyEnd);
    s5 = scores4(s5, bh, b, rowA, key0 + 5u, keyEnd);
    s6 = scores4(s6, bh, b, rowA, key0 + 6u, keyEnd);
    s7 = scores4(s7, bh, b, rowA, key0 + 7u, keyEnd);

    // Online softmax: new max, rescale factor, probabilities against the new max.
    let mNew = max(m, max(max(max(s0, s1), max(s2, s3)), max(max(s4, s5), max(s6, s7))));
    let alpha = exp(m - mNew);
    m = mNew;
    let p0 = probs(s0, mNew);   // key 0, rows 0..3
    let p1 = probs(s1, mNew);   // key 1, rows 0..3
    let p2 = probs(s2, mNew);   // key 2, rows 0..3
    let p3 = probs(s3, mNew);   // key 3, rows 0..3
    let p4 = probs(s4, mNew);   // key 4, rows 0..3
    let p5 = probs(s5, mNew);   // key 5, rows 0..3
    let p6 = probs(s6, mNew);   // key 6, rows 0..3
    let p7 = probs(s7, mNew);   // key 7, rows 0..3
    l = alpha * l + (((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)));
    // Per row: that row's probabilities for keys 0..3 and 4..7 (a masked key's p is 0, so its V is never weighed).
    let pa0 = vec4f(p0.x, p1.x, p2.x, p3.x);
    let pb0 = vec4f(p4.x, p5.x, p6.x, p7.x);
    let pa1 = vec4f(p0.y, p1.y, p2.y, p3.y);
    let pb1 = vec4f(p4.y, p5.y, p6.y, p7.y);
    let pa2 = vec4f(p0.z, p1.z, p2.z, p3.z);
    let pb2 = vec4f(p4.z, p5.z, p6.z, p7.z);
    let pa3 = vec4f(p0.w, p1.w, p2.w, p3.w);
    let pb3 = vec4f(p4.w, p5.w, p6.w, p7.w);

    // O += P·V over the value dim, 4 columns at a time.
    let vr0 = vBase + key0 * dv;
    let vr1 = vBase + min(key0 + 1u, keyEnd - 1u) * dv;
    let vr2 = vBase + min(key0 + 2u, keyEnd - 1u) * dv;
    let vr3 = vBase + min(key0 + 3u, keyEnd - 1u) * dv;
    let vr4 = vBase + min(key0 + 4u, keyEnd - 1u) * dv;
    let vr5 = vBase + min(key0 + 5u, keyEnd - 1u) * dv;
    let vr6 = vBase + min(key0 + 6u, keyEnd - 1u) * dv;
    let vr7 = vBase + min(key0 + 7u, keyEnd - 1u) * dv;
    var cv = 0u;
    for (; cv < dv4; cv += 4u) {
      let w0 = v4(vr0 + cv); let w1 = v4(vr1 + cv); let w2 = v4(vr2 + cv); let w3 = v4(vr3 + cv);
      let w4 = v4(vr4 + cv); let w5 = v4(vr5 + cv); let w6 = v4(vr6 + cv); let w7 = v4(vr7 + cv);
      update(oRow0 + cv, alpha.x, pa0, pb0, w0, w1, w2, w3, w4, w5, w6, w7);
      if (rows > 1u) { update(oRow1 + cv, alpha.y, pa1, pb1, w0, w1, w2, w3, w4, w5, w6, w7); }
      if (rows > 2u) { update(oRow2 + cv, alpha.z, pa2, pb2, w0, w1, w2, w3, w4, w5, w6, w7); }
      if (rows > 3u) { update(oRow3 + cv, alpha.w, pa3, pb3, w0, w1, w2, w3, w4, w5, w6, w7); }
    }
    for (; cv < dv; cv++) {
      let wa = vec4f(v[vr0 + cv], v[vr1 + cv], v[vr2 + cv], v[vr3 + cv]);
      let wb = vec4f(v[vr4 + cv], v[vr5 + cv], v[vr6 + cv], v[vr7 + cv]);
      update1(oRow0 + cv, alpha.x, pa0, pb0, wa, wb);
      if (rows > 1u) { update1(oRow1 + cv, alpha.y, pa1, pb1, wa, wb); }
      if (rows > 2u) { update1(oRow2 + cv, alpha.z, pa2, pb2, wa, wb); }
      if (rows > 3u) { update1(oRow3 + cv, alpha.w, pa3, pb3, wa, wb); }
    }
  }

  // O = O / l; rows with no visible key (l = 0) give 0 (their O is still the zeroed buffer).
  let inv = select(vec4f(1.0) / l, vec4f(0.0), l == vec4f(0.0));
  for (var cv = 0u; cv < dv; cv++) {
    o[oRow0 + cv] *= inv.x;
    if (rows > 1u) { o[oRow1 + cv] *= inv.y; }
    if (rows > 2u) { o[oRow2 + cv] *= inv.z; }
    if (rows > 3u) { o[oRow3 + cv] *= inv.w; }
  }
}
