// losses: the mean-squared error and the fused, stable softmax cross-entropy, each
// with its gradient, in one pass (entry points `mse` and `xent`).
//
//   mse:  L = (1/n) Σ (p − y)²,                ∂L/∂p = 2(p − y)/n
//   xent: L = (1/N) Σ_r (lse(z_r) − z_r,y_r),  ∂L/∂z = (softmax(z) − onehot(y))/N
//         lse(z) = m + log Σ_c exp(z_c − m), m = max_c z_c: no exp overflows, and the
//         softmax is exp(z − lse), so probabilities and loss come from one lse.
//
// Algorithm: one workgroup. Invocation l takes elements (mse) or rows (xent)
// l, l + WG, …, writes their gradients and sums their losses; a fixed-order tree
// reduction in workgroup memory adds the WG partial sums (deterministic), and
// invocation 0 writes loss[0]. Labels are class indices stored as f32. Shapes are
// uniforms. The CPU twins are mseRef and crossEntropyRef in
// src/reference/train/norm-loss.ts.

override WG: u32 = 256;

struct Params {
  n: u32,      // mse: values; xent: rows
  cols: u32,   // xent: classes (unused by mse)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> pred: array<f32>;         // mse: [n]; xent: logits [n, cols]
@group(0) @binding(2) var<storage, read> truth: array<f32>;        // mse: targets [n]; xent: labels [n]
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;   // like pred
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;   // [1]

var<workgroup> partial: array<f32, WG>;

fn reduce_and_write(lid: u32, s: f32, count: u32) {
  partial[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k = k / 2u) {
    if (lid < k) { partial[lid] += partial[lid + k]; }
    workgroupBarrier();
  }
  if (lid == 0u) { loss[0] = select(partial[0] / f32(count), 0.0, count == 0u); }
}

@compute @workgroup_size(WG)
fn mse(@builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  var s = 0.0;
  for (var i = lid; i < n; i += WG) {
    let d = pred[i] - truth[i];
    s += d * d;
    grad[i] = (2.0 * d) / f32(n);
  }
  reduce_and_write(lid, s, n);
}

@compute @workgroup_size(WG)
fn xent(@builtin(local_invocation_index) lid: u32) {
  let N = params.n;
  let C = params.cols;
  var s = 0.0;
  for (var r = lid; r < N; r += WG) {
    let base = r * C;
    var m = pred[base];
    for (var c = 1u; c < C; c++) { m = max(m, pred[base + c]); }
    var e = 0.0;
    for (var c = 0u; c < C; c++) { e += exp(pred[base + c] - m); }
    let lse = m + log(e);
    let y = u32(truth[r]);
    s += lse - pred[base + y];
    for (var c = 0u; c < C; c++) {
      let p = exp(pred[base + c] - lse);
      grad[base + c] = (p - select(0.0, 1.0, c == y)) / f32(N);
    }
  }
  reduce_and_write(lid, s, N);
}
