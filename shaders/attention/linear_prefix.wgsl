// linear_prefix: the key-side prefix sums of linear attention.
//
// Linear attention (Katharopoulos et al. 2020) replaces e^{q·k} by a kernel
// φ(q)·φ(k) with φ(x) = elu(x) + 1 (> 0), applied to √scale·q and √scale·k:
//
//   O_i = Σ_{j∈V(i)} w_j φ(q_i)ᵀφ(k_j) v_j / Σ_{j∈V(i)} w_j φ(q_i)ᵀφ(k_j)
//       = φ(q_i)ᵀ S / φ(q_i)ᵀ z,   S = Σ_j w_j φ(k_j) v_jᵀ  [d×dv],  z = Σ_j w_j φ(k_j)  [d]
//
// where V(i) is every key (j ≤ i + Nk − Nq when causal) and w_j the key weights of
// linear_weights.wgsl. Causal attention needs S and z as prefix sums over j. This
// kernel writes them at chunk starts: state[bh, c] = Σ_{j < c·CH} of w_j φ(k_j)[v_j, 1]ᵀ
// for the chunks c = 0 … ⌈Nk/CH⌉ − 1, a d×(dv+1) matrix each (column dv holds z).
// linear_out.wgsl adds the partial chunk of each query directly.
//
// The features φ(k̃) come precomputed from linear_features.wgsl.
// Tiling: one invocation per (bh, a, col) of the d×(dv+1) state, walking j in order,
// so the sums are deterministic. Memory: B·H·⌈Nk/CH⌉·d·(dv+1) floats, never Nq×Nk.

override WG: u32 = 64u;
override CH: u32 = 64u;

struct Params {
  nk: u32, d: u32, dv: u32, heads: u32,
  chunks: u32, total: u32, _p0: u32, _p1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> fk: array<f32>;           // [B·H, Nk, d] features φ(√scale·k)
@group(0) @binding(2) var<storage, read> v: array<f32>;            // [B·H, Nk, dv]
@group(0) @binding(3) var<storage, read> w: array<f32>;            // [B, Nk]
@group(0) @binding(4) var<storage, read_write> state: array<f32>;  // [B·H, chunks, d, dv + 1]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let g = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (g >= params.total) { return; }
  let cols = params.dv + 1u;
  let col = g % cols;
  let a = (g / cols) % params.d;
  let bh = g / (cols * params.d);
  let b = bh / params.heads;
  var acc = 0.0;
  for (var j = 0u; j < params.nk; j++) {
    if (j % CH == 0u) {
      state[((bh * params.chunks + j / CH) * params.d + a) * cols + col] = acc;
    }
    let wj = w[b * params.nk + j];
    if (wj != 0.0) {
      var val = 1.0;
      if (col < params.dv) { val = v[(bh * params.nk + j) * params.dv + col]; }
      acc += wj * fk[(bh * params.nk + j) * params.d + a] * val;
    }
  }
}
