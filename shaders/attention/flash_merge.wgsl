// flash decode, pass 2 of 2: merges the split-K partials of flash_decode.wgsl.
//
// Algorithm (log-sum-exp merge). Each query row has `splits` partials (m_s, l_s, O_s),
// each relative to its own max m_s: l_s = Σ_{j∈s} e^{s_j − m_s}, O_s = Σ_{j∈s} e^{s_j − m_s}·V_j.
// With M = max_s m_s,
//
//   L = Σ_s e^{m_s − M}·l_s,    O = (Σ_s e^{m_s − M}·O_s) / L
//
// which equals softmax over all the row's keys times V. A split with no visible key has
// m_s = MASKED and l_s = O_s = 0 and weighs 0 (unless every split is empty: then M =
// MASKED, L = 0, and the row is 0, not NaN).
//
// Ownership. Invocation g owns output row ⌊g / C⌋ and its 4 columns 4·(g mod C) .. +3,
// C = ⌈dv / 4⌉; it reads the row's m_s and l_s itself (no sharing, no workgroup memory).
// WG invocations per workgroup, folded dispatch.

override WG: u32 = 64u;   // invocations per workgroup

struct Params {
  rows: u32,     // B·H·Nq
  dv: u32,
  splits: u32,
  total: u32,    // rows·⌈dv / 4⌉ invocations
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> part: array<f32>;     // [rows, splits, 2 + dv]: m, l, O
@group(0) @binding(2) var<storage, read_write> o: array<f32>;  // [rows, dv]

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  let g = (wid.x + wid.y * nwg.x) * WG + lid.x;   // folded dispatch
  if (g >= params.total) { return; }
  let dv = params.dv;
  let chunks = (dv + 3u) / 4u;
  let row = g / chunks;
  let c0 = (g % chunks) * 4u;
  let stride = dv + 2u;
  let base = row * params.splits * stride;

  var mMax = part[base];
  for (var s = 1u; s < params.splits; s++) { mMax = max(mMax, part[base + s * stride]); }
  var l = 0.0;
  var acc = vec4f(0.0);
  for (var s = 0u; s < params.splits; s++) {
    let p = base + s * stride;
    let w = exp(part[p] - mMax);
    l += w * part[p + 1u];
    let i = p + 2u + c0;
    acc += w * vec4f(part[i], select(0.0, part[i + 1u], c0 + 1u < dv),
                     select(0.0, part[i + 2u], c0 + 2u < dv), select(0.0, part[i + 3u], c0 + 3u < dv));
  }
  let r = select(acc / l, vec4f(0.0), l == 0.0);
  let i = row * dv + c0;
  o[i] = r.x;
  if (c0 + 1u < dv) { o[i + 1u] = r.y; }
  if (c0 + 2u < dv) { o[i + 2u] = r.z; }
  if (c0 + 3u < dv) { o[i + 3u] = r.w; }
}
