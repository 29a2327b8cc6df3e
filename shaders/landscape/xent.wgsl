// xent: mean softmax cross-entropy of a batch of networks' logits,
//   loss[first + b] = (1/N) Σ_n [ logsumexp_c(z[b, n, c]) − z[b, n, y_n] ],
//   z[b, n, c] = logits[b, n, c] + bias[b, c],
// with the max subtracted before exp (the stable log-sum-exp).
//
// Tiling: none. Invocation i of linear workgroup w owns batch entry b = w·WG + i
// and loops over the N data points (N is a few hundred here).

override WG: u32 = 64;

struct Params {
  count: u32,   // batch entries in this chunk
  rows: u32,    // N
  classes: u32, // C
  first: u32,   // where this chunk's losses go in loss
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;     // [count, N, C]
@group(0) @binding(2) var<storage, read> bias: array<f32>;       // [count, C]
@group(0) @binding(3) var<storage, read> labels: array<f32>;     // [N], class ids as f32
@group(0) @binding(4) var<storage, read_write> loss: array<f32>; // [G·G]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let b = (wid.x + wid.y * nwg.x) * WG + lid;
  if (b >= params.count) { return; }
  let C = params.classes;
  var total = 0.0;
  for (var n = 0u; n < params.rows; n++) {
    let base = (b * params.rows + n) * C;
    var m = -3.0e38;
    for (var c = 0u; c < C; c++) { m = max(m, logits[base + c] + bias[b * C + c]); }
    var s = 0.0;
    for (var c = 0u; c < C; c++) { s += exp((logits[base + c] + bias[b * C + c]) - m); }
    let y = u32(labels[n]);
    total += (m + log(s)) - (logits[base + y] + bias[b * C + y]);
  }
  loss[params.first + b] = total / f32(params.rows);
}
