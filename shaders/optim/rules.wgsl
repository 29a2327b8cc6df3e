// rules: the optimizer update rules, written once for the GPU. The optimizer race
// (race.wgsl: two coordinates per trajectory) and the training loop's parameter
// update (shaders/train/update.wgsl: two parameters per invocation) both prepend
// this file and call optimizer_rule. The CPU twin of every rule is optimizerStep in
// src/reference/optim.ts, operation for operation.
//
// The OPT_* ids are declared by the kernel that includes this file (race.wgsl by
// hand, the training update generated from OPTIMIZER_IDS); a test checks each
// against src/problem/optim.ts. This file declares no bindings and owns no
// invocations: it is a library of one struct and one function.

// 12 scalars, 48 bytes: packOptimizers() in src/problem/optim.ts writes it.
// The learning rate is not here: it comes per step (the race's lrs table, the
// training loop's step uniform).
struct OptConfig {
  kind: u32,
  schedule: u32,    // informational; the schedule is evaluated on the host
  biasCorrection: u32,
  pad0: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weightDecay: f32,
  s0: f32,
  s1: f32,
  pad1: f32,
}

// The moments an update carries from step to step, for two coordinates.
struct OptMoments {
  m: vec2f,         // first moment / momentum buffer
  v: vec2f,         // second moment / AdaGrad's sum of squares
  vmax: vec2f,      // AMSGrad's running max of v
}

// One update of two coordinates x with gradient grad and rate lr; returns the new x.
// b1t, b2t are β₁ᵗ, β₂ᵗ of this step (the caller keeps the running products; only the
// Adam family reads them). Each rule's comment names what it fixes.
fn optimizer_rule(c: OptConfig, x: vec2f, grad: vec2f, lr: f32, b1t: f32, b2t: f32, mo: ptr<function, OptMoments>) -> vec2f {
  var g = grad;
  if (c.kind != OPT_ADAMW && c.weightDecay > 0.0) { g = g + c.weightDecay * x; }   // coupled L2
  switch c.kind {
    case OPT_SGD: {          // the baseline: step against the gradient
      return x - lr * g;
    }
    case OPT_MOMENTUM: {     // heavy ball: averages gradients so zig-zags cancel
      (*mo).m = c.beta1 * (*mo).m + g;
      return x - lr * (*mo).m;
    }
    case OPT_NESTEROV: {     // look-ahead momentum: overshoots less
      (*mo).m = c.beta1 * (*mo).m + g;
      return x - lr * (g + c.beta1 * (*mo).m);
    }
    case OPT_ADAGRAD: {      // per-coordinate steps from the whole gradient history
      (*mo).v = (*mo).v + g * g;
      return x - (lr * g) / (sqrt((*mo).v) + c.eps);
    }
    case OPT_RMSPROP: {      // AdaGrad with a decaying average: steps do not shrink to zero
      (*mo).v = c.beta2 * (*mo).v + (1.0 - c.beta2) * (g * g);
      return x - (lr * g) / (sqrt((*mo).v) + c.eps);
    }
    default: {               // Adam, AdamW (decoupled decay), AMSGrad (non-decreasing v)
      (*mo).m = c.beta1 * (*mo).m + (1.0 - c.beta1) * g;
      (*mo).v = c.beta2 * (*mo).v + (1.0 - c.beta2) * (g * g);
      var vv = (*mo).v;
      if (c.kind == OPT_AMSGRAD) {
        (*mo).vmax = max((*mo).vmax, vv);
        vv = (*mo).vmax;
      }
      var mh = (*mo).m;
      if (c.biasCorrection != 0u) {
        mh = mh / (1.0 - b1t);
        vv = vv / (1.0 - b2t);
      }
      var xn = x;
      if (c.kind == OPT_ADAMW) { xn = xn - (lr * c.weightDecay) * x; }
      return xn - (lr * mh) / (sqrt(vv) + c.eps);
    }
  }
}
