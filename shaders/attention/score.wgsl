// The score rule every flash layout shares (flash.wgsl, flash_rows.wgsl, flash_decode.wgsl):
// one logit's mask, bias, ALiBi and soft-capping, written once. The launcher appends this file
// to each layout's source (WGSL module-scope declarations are order-independent), so a change
// here reaches every layout. It reads the layout's `params`, `bias` and `kinfo` bindings; the
// Params fields it uses have the same names in all three.

override WINDOW: bool = false;   // sliding window (params.winLeft / winRight)
override ALIBI: bool = false;    // ALiBi slopes at kinfo[params.slopeBase + h]
override SOFTCAP: bool = false;  // c·tanh(s / c), c = params.softcap

const MASKED: f32 = -3.0e38;  // the score of a masked entry
const MASK_T: f32 = -1.0e30;  // logits below this are masked

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

// One score: softcap(scale·q·k) + bias − slope·|key − diagonal|, or MASKED (past keyEnd,
// causal, outside the window, padding, below MASK_T).
fn score(raw: f32, bh: u32, b: u32, row: u32, key: u32, keyEnd: u32) -> f32 {
  if (key >= keyEnd) { return MASKED; }
  let rel = i32(key) - (i32(row) + params.causalOffset);   // key − diagonal
  if (params.causal != 0u && rel > 0) { return MASKED; }
  if (WINDOW && (rel < -params.winLeft || rel > params.winRight)) { return MASKED; }
  if (params.hasKeep != 0u && kinfo[params.batches + b * params.nk + key] == 0.0) { return MASKED; }
  var s = raw * params.scale;
  if (SOFTCAP) { s = params.softcap * tanhf(s / params.softcap); }
  if (params.biasRows != 0u) { s += bias[((bh * params.nq + row) % params.biasRows) * params.nk + key]; }
  if (ALIBI) { s -= slope * f32(abs(rel)); }
  if (s < MASK_T) { return MASKED; }
  return s;
}
