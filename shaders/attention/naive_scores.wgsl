// naive scores: the variant step of naive attention, between S = scale·Q·Kᵀ (a matmul)
// and the masked softmax. In place on S [B·H, Nq, Nk] (row-major, row = (b·H + h)·Nq + i):
//
//   s = c·tanh(s / c)                  SOFTCAP (c = params.softcap)
//   s = s − slope_h·|j − (i + off)|    ALIBI (off = Nk − Nq; slopes[h], one per query head)
//   s = MASKED outside the window      WINDOW (keys i + off − W .. i + off + Wr are kept)
//
// The softmax then adds the bias and applies the causal and padding masks, so the logit
// equals flash.wgsl's: softcap(scale·q·k) + bias − slope·distance, masked.
//
// Tiling: none; this is the composed baseline. Invocation g owns the 4 scores
// S[4g .. 4g + 3] (of the flat array; a group may cross a row boundary, so each of the 4
// finds its own row and key). WG invocations per workgroup, folded dispatch.

override WG: u32 = 64u;
override WINDOW: bool = false;
override ALIBI: bool = false;
override SOFTCAP: bool = false;

const MASKED: f32 = -3.0e38;  // below the softmax's mask threshold (−1e30)

struct Params {
  count: u32,         // B·H·Nq·Nk scores
  nq: u32,
  nk: u32,
  heads: u32,
  causalOffset: i32,  // Nk − Nq
  winLeft: i32,
  winRight: i32,
  softcap: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> slopes: array<f32>;   // [H] (ALIBI)
@group(0) @binding(2) var<storage, read_write> s: array<f32>;  // [B·H, Nq, Nk]

// tanh without overflow or cancellation: an odd series for |x| < 0.3, 1 − 2/(e^{2|x|} + 1) above.
fn tanhf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.3) {
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0 + x2 * (62.0 / 2835.0 + x2 * (-1382.0 / 155925.0))))));
  }
  let t = 1.0 - 2.0 / (exp(2.0 * min(a, 20.0)) + 1.0);
  return select(t, -t, x < 0.0);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  let g = (wid.x + wid.y * nwg.x) * WG + lid.x;   // folded dispatch
  for (var n = 4u * g; n < min(4u * g + 4u, params.count); n++) {
    let key = n % params.nk;
    let row = n / params.nk;             // (b·H + h)·Nq + i
    let i = row % params.nq;
    let rel = i32(key) - (i32(i) + params.causalOffset);
    var x = s[n];
    if (SOFTCAP) { x = params.softcap * tanhf(x / params.softcap); }
    if (ALIBI) { x -= slopes[(row / params.nq) % params.heads] * f32(abs(rel)); }
    if (WINDOW && (rel < -params.winLeft || rel > params.winRight)) { x = MASKED; }
    s[n] = x;
  }
}
