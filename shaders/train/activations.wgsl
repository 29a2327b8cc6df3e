// activations: the element-wise nonlinearities and their derivatives, a library
// prepended by the kernels that apply them (bias_act.wgsl, activation.wgsl,
// act_backward.wgsl). It declares no bindings and owns no invocations.
//
// ACT selects one at pipeline creation (ACTIVATION_IDS in
// src/problem/train-layers.ts): 0 identity, 1 ReLU, 2 GELU (tanh form), 3 SiLU,
// 4 tanh. GELU's constants K0 = √(2/π) and K1 = 0.044715 are overrides set from
// GELU_CONSTANTS. The CPU twins are activate / activateGrad in
// src/reference/train/layers.ts, operation for operation.

override ACT: u32 = 0u;

// The ids; a test checks them against ACTIVATION_IDS.
const ACT_IDENTITY: u32 = 0u;
const ACT_RELU: u32 = 1u;
const ACT_GELU: u32 = 2u;
const ACT_SILU: u32 = 3u;
const ACT_TANH: u32 = 4u;
override GELU_K0: f32;
override GELU_K1: f32;

// tanh as sign(z)·(1 − e^(−2|z|))/(1 + e^(−2|z|)): finite for every z (a builtin
// tanh may return NaN for large |z| on some drivers).
fn tanh_stable(z: f32) -> f32 {
  let e = exp(-2.0 * abs(z));
  let y = (1.0 - e) / (1.0 + e);
  return select(y, -y, z < 0.0);
}

fn sigmoid(z: f32) -> f32 {
  return 1.0 / (1.0 + exp(-z));
}

// act(z).
fn act_value(z: f32) -> f32 {
  switch ACT {
    case ACT_RELU: { return max(z, 0.0); }
    case ACT_GELU: {
      let u = GELU_K0 * (z + GELU_K1 * (z * z * z));
      return (0.5 * z) * (1.0 + tanh_stable(u));
    }
    case ACT_SILU: { return z * sigmoid(z); }
    case ACT_TANH: { return tanh_stable(z); }
    default: { return z; }   // ACT_IDENTITY
  }
}

// act'(z).
fn act_grad(z: f32) -> f32 {
  switch ACT {
    case ACT_RELU: { return select(0.0, 1.0, z > 0.0); }
    case ACT_GELU: {
      let z2 = z * z;
      let th = tanh_stable(GELU_K0 * (z + GELU_K1 * (z2 * z)));
      return 0.5 * (1.0 + th) + ((0.5 * z) * (1.0 - th * th)) * (GELU_K0 * (1.0 + (3.0 * GELU_K1) * z2));
    }
    case ACT_SILU: {
      let s = sigmoid(z);
      return s * (1.0 + z * (1.0 - s));
    }
    case ACT_TANH: {
      let y = tanh_stable(z);
      return 1.0 - y * y;
    }
    default: { return 1.0; }   // ACT_IDENTITY
  }
}
