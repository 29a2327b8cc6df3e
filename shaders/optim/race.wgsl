// race: one optimizer step for every trajectory, one dispatch per step.
//
// Trajectory i runs optimizer configs[i / nStarts] from start i % nStarts on the
// surface in params. The launcher prepends surfaces.wgsl (the surfaces) and
// rules.wgsl (OptConfig and the update rules, shared with the training loop's
// parameter update, shaders/train/update.wgsl).
// The launcher encodes ceil(steps / inner) dispatches of this kernel in one
// compute pass (inner = 1 by default: one dispatch per step); each reads the
// trajectory's state, takes `inner` steps, writes each new point and its loss to
// the path, and stores the state back. WebGPU orders the dispatches, so
// step t+1 sees step t's state. The step counter lives in the state, not in a
// uniform, so one bind group serves every dispatch.
//
// Tiling: none. Invocation i of linear workgroup w owns trajectory w·WG + i.
// The CPU twin of every update rule is src/reference/optim.ts (optimizerStep);
// the ids below must equal OPTIMIZER_IDS in src/problem/optim.ts (a test checks);
// rules.wgsl uses them.

override WG: u32 = 64;

const OPT_SGD: u32 = 0u;
const OPT_MOMENTUM: u32 = 1u;
const OPT_NESTEROV: u32 = 2u;
const OPT_ADAGRAD: u32 = 3u;
const OPT_RMSPROP: u32 = 4u;
const OPT_ADAM: u32 = 5u;
const OPT_ADAMW: u32 = 6u;
const OPT_AMSGRAD: u32 = 7u;

struct RaceParams {
  surface: Surface,
  nTraj: u32,     // optimizers × starts
  nStarts: u32,
  steps: u32,     // path holds steps + 1 points per trajectory
  inner: u32,     // steps per dispatch (1: one dispatch per step)
}

// 48 bytes per trajectory.
struct State {
  pos: vec2f,
  m: vec2f,         // first moment / momentum buffer
  v: vec2f,         // second moment / AdaGrad's sum of squares
  vmax: vec2f,      // AMSGrad's running max of v
  t: u32,           // steps taken
  b1t: f32,         // β₁ᵗ, β₂ᵗ as running products
  b2t: f32,
  pad: f32,
}

@group(0) @binding(0) var<uniform> params: RaceParams;
@group(0) @binding(1) var<storage, read> configs: array<OptConfig>;    // [optimizers]
@group(0) @binding(2) var<storage, read_write> state: array<State>;    // [nTraj]
@group(0) @binding(3) var<storage, read_write> path: array<f32>;       // [nTraj, steps + 1, 3]: x, y, loss
// The learning-rate schedule, evaluated once on the host in f32 (scheduledLr in
// src/reference/optim.ts): WGSL's cos and pow are far less accurate than the host's.
@group(0) @binding(4) var<storage, read> lrs: array<f32>;               // [optimizers, steps]

// One step of trajectory st: the step counter, the Adam family's running products
// β₁ᵗ, β₂ᵗ, then the shared update rule (rules.wgsl) on both coordinates at once.
fn optimizer_step(c: OptConfig, st: ptr<function, State>, grad: vec2f, lr: f32) {
  (*st).t += 1u;
  if (c.kind == OPT_ADAM || c.kind == OPT_ADAMW || c.kind == OPT_AMSGRAD) {
    (*st).b1t = (*st).b1t * c.beta1;
    (*st).b2t = (*st).b2t * c.beta2;
  }
  var mo = OptMoments((*st).m, (*st).v, (*st).vmax);
  (*st).pos = optimizer_rule(c, (*st).pos, grad, lr, (*st).b1t, (*st).b2t, &mo);
  (*st).m = mo.m;
  (*st).v = mo.v;
  (*st).vmax = mo.vmax;
}

fn write_point(i: u32, t: u32, p: vec2f) {
  let k = (i * (params.steps + 1u) + t) * 3u;
  path[k] = p.x;
  path[k + 1u] = p.y;
  path[k + 2u] = surface_value(params.surface, p);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;   // folded dispatch
  if (i >= params.nTraj) { return; }
  var st = state[i];
  if (st.t == 0u) { write_point(i, 0u, st.pos); }
  let o = i / params.nStarts;
  let c = configs[o];
  let stream = i % params.nStarts;   // one noise stream per start, shared by every optimizer
  let s = params.surface;
  for (var k = 0u; k < params.inner; k++) {
    if (st.t >= params.steps) { break; }
    let lr = lrs[o * params.steps + st.t];   // the rate of step t + 1
    var g = surface_grad(s, st.pos);
    if (s.noise > 0.0) {
      let t = st.t + 1u;
      g = g + s.noise * vec2f(gradient_noise(s.seed, stream, t, 0u), gradient_noise(s.seed, stream, t, 1u));
    }
    optimizer_step(c, &st, g, lr);
    write_point(i, st.t, st.pos);
  }
  state[i] = st;
}
