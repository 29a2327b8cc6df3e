// flash decode, pass 1 of 2: split-K ("flash-decoding") attention for a few queries
// (Nq ≈ 1–16, decoding) against a long key/value cache. Plain flash gives each (batch,
// head) one workgroup that walks all Nk keys alone: with Nq = 1 that is B·H invocations
// for the whole device. Here the keys are split too, so B·H·Nq·splits invocations share
// the work, and a second pass (flash_merge.wgsl) combines their partial results.
//
// Algorithm. The visible keys [splitStart, splitStart + splits·splitKeys) are cut into
// `splits` ranges of splitKeys keys. Invocation (row, split) runs the online softmax of
// flash.wgsl over its range only, in groups of 8 keys:
//
//   m_new = max(m, max_j s_j)       l = e^{m − m_new}·l + Σ_j e^{s_j − m_new}
//   O     = e^{m − m_new}·O + Σ_j e^{s_j − m_new}·V_j
//
// and writes its partial (m, l, O) unnormalised to part[row][split] = [m, l, O_0..O_{dv−1}].
// The merge takes M = max_s m_s, L = Σ_s e^{m_s − M}·l_s, O = Σ_s e^{m_s − M}·O_s / L: the
// log-sum-exp merge, exact because every partial is relative to its own max.
//
// Ownership. An invocation owns ONE query row and ONE key range (never the whole row):
// its running O lives in its own part slot (zeroed at creation), so nothing is shared
// and no barrier is needed. Invocations are numbered ((b·Hkv + kvHead)·splits + split)·R
// + r, R = group·Nq: the R query rows that read the same K/V head (its `group` query
// heads × Nq queries, grouped-query attention) and the same key range are neighbours,
// so they read the same K/V addresses at the same time. K/V are indexed by the K/V head,
// never copied per query head. WG invocations per workgroup, folded dispatch.
//
// Masks and variants as flash.wgsl: keys ≥ keyLengths[b], causal (bottom-right), the
// sliding window (each row's own range [i + off − W, i + off + Wr] is intersected with the
// split, so keys outside it are never visited), padding, bias, ALiBi, soft-capping. A
// split with no visible key writes m = MASKED, l = 0, which the merge weighs by 0.

override WG: u32 = 64u;          // invocations per workgroup
// The score rule (masks, window, ALiBi, softcap: WINDOW, ALIBI, SOFTCAP, MASKED, score()) is
// shaders/attention/score.wgsl, which the launcher appends to this file.

struct Params {
  nq: u32, nk: u32, d: u32, dv: u32,
  heads: u32, qBlocks: u32, dvBlocks: u32, total: u32,   // total = B·H·Nq·splits invocations
  scale: f32, causal: u32, causalOffset: i32, hasKeep: u32,
  batches: u32, biasRows: u32, traceBh: u32, traceQBlock: u32,
  group: u32, winLeft: i32, winRight: i32, softcap: f32,   // group = Hq / Hkv
  slopeBase: u32, splits: u32, splitKeys: u32, splitStart: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;      // [B·H, Nq, d]
@group(0) @binding(2) var<storage, read> k: array<f32>;      // [B·Hkv, Nk, d]
@group(0) @binding(3) var<storage, read> v: array<f32>;      // [B·Hkv, Nk, dv]
@group(0) @binding(4) var<storage, read> bias: array<f32>;   // [biasRows, Nk], broadcast by row modulo
@group(0) @binding(5) var<storage, read> kinfo: array<f32>;  // [B] key lengths, [B, Nk] keep (1/0) if hasKeep, [H] slopes if ALIBI
@group(0) @binding(6) var<storage, read_write> part: array<f32>;  // [B·H·Nq, splits, 2 + dv]: m, l, O

var<private> slope: f32;   // this invocation's head's ALiBi slope

fn k4(i: u32) -> vec4f { return vec4f(k[i], k[i + 1u], k[i + 2u], k[i + 3u]); }
fn v4(i: u32) -> vec4f { return vec4f(v[i], v[i + 1u], v[i + 2u], v[i + 3u]); }
fn p4(i: u32) -> vec4f { return vec4f(part[i], part[i + 1u], part[i + 2u], part[i + 3u]); }
// The first n (< 4) values at i, zeros after: the tail chunk of a head dim that is not a multiple of 4.
fn kTail(i: u32, n: u32) -> vec4f { return vec4f(k[i], select(0.0, k[i + 1u], n > 1u), select(0.0, k[i + 2u], n > 2u), 0.0); }
fn qTail(i: u32, n: u32) -> vec4f { return vec4f(q[i], select(0.0, q[i + 1u], n > 1u), select(0.0, q[i + 2u], n > 2u), 0.0); }

// Scores of 4 keys (key, key + 1, …) for one row.
fn scores4(raw: vec4f, bh: u32, b: u32, row: u32, key: u32, keyEnd: u32) -> vec4f {
  return vec4f(score(raw.x, bh, b, row, key, keyEnd), score(raw.y, bh, b, row, key + 1u, keyEnd),
               score(raw.z, bh, b, row, key + 2u, keyEnd), score(raw.w, bh, b, row, key + 3u, keyEnd));
}

fn probs(s: vec4f, m: f32) -> vec4f {
  return select(exp(s - vec4f(m)), vec4f(0.0), s < vec4f(MASK_T));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  let g = (wid.x + wid.y * nwg.x) * WG + lid.x;   // folded dispatch
  if (g >= params.total) { return; }
  let nq = params.nq;
  let d = params.d;
  let dv = params.dv;
  let R = params.group * nq;              // query rows sharing one K/V head
  let r = g % R;
  let rest = g / R;
  let split = rest % params.splits;
  let kvh = rest / params.splits;         // b·Hkv + K/V head
  let hkv = params.heads / params.group;
  let b = kvh / hkv;
  let bh = b * params.heads + (kvh % hkv) * params.group + r / nq;
  let row = r % nq;
  if (ALIBI) { slope = kinfo[params.slopeBase + bh % params.heads]; }

  // This invocation's keys: its split, cut to its row's visible range.
  let diag = i32(row) + params.causalOffset;
  var hi = min(min(params.nk, u32(kinfo[b])), params.splitStart + (split + 1u) * params.splitKeys);
  var lo = params.splitStart + split * params.splitKeys;
  if (params.causal != 0u) { hi = min(hi, u32(clamp(diag + 1, 0, i32(params.nk)))); }
  if (WINDOW) {
    lo = max(lo, u32(clamp(diag - params.winLeft, 0, i32(params.nk))));
    hi = min(hi, u32(clamp(diag + params.winRight + 1, 0, i32(params.nk))));
  }

  let qRow = (bh * nq + row) * d;
  let kBase = kvh * params.nk * d;
  let vBase = kvh * params.nk * dv;
  let pBase = ((bh * nq + row) * params.splits + split) * (dv + 2u);
  let oBase = pBase + 2u;
  let d4 = d & ~3u;
  let dv4 = dv & ~3u;

  var m = MASKED;
  var l = 0.0;
  for (var key0 = lo; key0 < hi; key0 += 8u) {
    // Keys past hi read key hi − 1 (valid memory); their scores are masked.
    let kr0 = kBase + key0 * d;
    let kr1 = kBase + min(key0 + 1u, hi - 1u) * d;
    let kr2 = kBase + min(key0 + 2u, hi - 1u) * d;
    let kr3 = kBase + min(key0 + 3u, hi - 1u) * d;
    let kr4 = kBase + min(key0 + 4u, hi - 1u) * d;
    let kr5 = kBase + min(key0 + 5u, hi - 1u) * d;
    let kr6 = kBase + min(key0 + 6u, hi - 1u) * d;
    let kr7 = kBase + min(key0 + 7u, hi - 1u) * d;
    // sa: keys 0..3, sb: keys 4..7 of the group.
    var sa = vec4f(0.0);
    var sb = vec4f(0.0);
    var c = 0u;
    for (; c < d4; c += 4u) {
      let a = vec4f(q[qRow + c], q[qRow + c + 1u], q[qRow + c + 2u], q[qRow + c + 3u]);
      sa += vec4f(dot(a, k4(kr0 + c)), dot(a, k4(kr1 + c)), dot(a, k4(kr2 + c)), dot(a, k4(kr3 + c)));
      sb += vec4f(dot(a, k4(kr4 + c)), dot(a, k4(kr5 + c)), dot(a, k4(kr6 + c)), dot(a, k4(kr7 + c)));
    }
    if (c < d) {
      let n = d - c;
      let a = qTail(qRow + c, n);
      sa += vec4f(dot(a, kTail(kr0 + c, n)), dot(a, kTail(kr1 + c, n)), dot(a, kTail(kr2 + c, n)), dot(a, kTail(kr3 + c, n)));
      sb += vec4f(dot(a, kTail(kr4 + c, n)), dot(a, kTail(kr5 + c, n)), dot(a, kTail(kr6 + c, n)), dot(a, kTail(kr7 + c, n)));
    }
    sa = scores4(sa, bh, b, row, key0, hi);
    sb = scores4(sb, bh, b, row, key0 + 4u, hi);

    let mx = max(sa, sb);
    let mNew = max(m, max(max(mx.x, mx.y), max(mx.z, mx.w)));
    let alpha = exp(m - mNew);
    m = mNew;
    let pa = probs(sa, mNew);
    let pb = probs(sb, mNew);
    l = alpha * l + dot(pa + pb, vec4f(1.0));

    let vr0 = vBase + key0 * dv;
    let vr1 = vBase + min(key0 + 1u, hi - 1u) * dv;
    let vr2 = vBase + min(key0 + 2u, hi - 1u) * dv;
    let vr3 = vBase + min(key0 + 3u, hi - 1u) * dv;
    let vr4 = vBase + min(key0 + 4u, hi - 1u) * dv;
    let vr5 = vBase + min(key0 + 5u, hi - 1u) * dv;
    let vr6 = vBase + min(key0 + 6u, hi - 1u) * dv;
    let vr7 = vBase + min(key0 + 7u, hi - 1u) * dv;
    var cv = 0u;
    for (; cv < dv4; cv += 4u) {
      let acc = alpha * p4(oBase + cv)
        + (pa.x * v4(vr0 + cv) + pa.y * v4(vr1 + cv) + pa.z * v4(vr2 + cv) + pa.w * v4(vr3 + cv))
        + (pb.x * v4(vr4 + cv) + pb.y * v4(vr5 + cv) + pb.z * v4(vr6 + cv) + pb.w * v4(vr7 + cv));
      let i = oBase + cv;
      part[i] = acc.x; part[i + 1u] = acc.y; part[i + 2u] = acc.z; part[i + 3u] = acc.w;
    }
    for (; cv < dv; cv++) {
      let wa = vec4f(v[vr0 + cv], v[vr1 + cv], v[vr2 + cv], v[vr3 + cv]);
      let wb = vec4f(v[vr4 + cv], v[vr5 + cv], v[vr6 + cv], v[vr7 + cv]);
      part[oBase + cv] = alpha * part[oBase + cv] + dot(pa, wa) + dot(pb, wb);
    }
  }
  part[pBase] = m;
  part[pBase + 1u] = l;
}
