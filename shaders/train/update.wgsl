// update: one optimizer step for every parameter of a flat vector, with gradient
// clipping by global norm.
//
//   c = min(1, maxNorm / (‖g‖ + CLIP_EPS)) when clipping (‖g‖² from sumsq.wgsl), else 1
//   x ← optimizer_rule(config, x, c·g, lr, β₁ᵗ, β₂ᵗ)
//
// The launcher prepends the OPT_* ids (generated from OPTIMIZER_IDS) and
// shaders/optim/rules.wgsl: the rules are the optimizer race's, written once. lr
// (the warm-up/cosine schedule's value) and β₁ᵗ, β₂ᵗ (running products kept in f32
// on the host) come per step in params. The CPU twins are clipFactor
// (src/problem/train-schedule.ts) and optimizerStep (src/reference/optim.ts).
// Tiling: none. Invocation i of linear workgroup w owns parameters 2j and 2j + 1,
// j = w·WG + i (the flat vector's length is a multiple of 64, so pairs are whole).

override WG: u32 = 256;
override CLIP_EPS: f32;

struct Params {
  pairs: u32,
  clip: u32,       // 1: clip to maxNorm
  maxNorm: f32,
  lr: f32,
  b1t: f32,
  b2t: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<uniform> config: OptConfig;
@group(0) @binding(2) var<storage, read> normSq: array<f32>;       // [1]
@group(0) @binding(3) var<storage, read> grads: array<vec2f>;      // [pairs]
@group(0) @binding(4) var<storage, read_write> x: array<vec2f>;    // [pairs]
@group(0) @binding(5) var<storage, read_write> m: array<vec2f>;    // [pairs]
@group(0) @binding(6) var<storage, read_write> v: array<vec2f>;    // [pairs]
@group(0) @binding(7) var<storage, read_write> vmax: array<vec2f>; // [pairs]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let j = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (j >= params.pairs) { return; }
  var scale = 1.0;
  if (params.clip != 0u) { scale = min(1.0, params.maxNorm / (sqrt(normSq[0]) + CLIP_EPS)); }
  var mo = OptMoments(m[j], v[j], vmax[j]);
  x[j] = optimizer_rule(config, x[j], scale * grads[j], params.lr, params.b1t, params.b2t, &mo);
  m[j] = mo.m;
  v[j] = mo.v;
  vmax[j] = mo.vmax;
}
