// surfaces: the analytic test functions f(x, y), their exact gradients, and the
// counter-based gradient noise, shared by the race (shaders/optim/race.wgsl) and
// the contour grid (shaders/landscape/surface-grid.wgsl). The launcher prepends
// this file to theirs; it declares no bindings.
//
// The CPU twin is src/reference/surfaces.ts (same formulas, op by op). The ids
// below must equal SURFACE_IDS in src/problem/optim.ts (a test checks them).

const SURF_QUADRATIC: u32 = 0u;   // ½(κu² + w²) on axes rotated by θ: κ is the condition number
const SURF_ROSENBROCK: u32 = 1u;  // (1 − x)² + 100(y − x²)²: a curved, flat-bottomed valley
const SURF_BEALE: u32 = 2u;       // three squared terms: flat plateaus and steep walls
const SURF_HIMMELBLAU: u32 = 3u;  // (x² + y − 11)² + (x + y² − 7)²: four equal minima
const SURF_SADDLE: u32 = 4u;      // x² − y²: a saddle at the origin
const SURF_MONKEY: u32 = 5u;      // x³ − 3xy²: the monkey saddle (zero Hessian at the origin)

// 8 scalars (32 bytes), so a struct member that follows it in a uniform block
// stays 16-byte aligned.
struct Surface {
  kind: u32,
  condition: f32,   // quadratic: κ
  cosT: f32,        // quadratic: cos θ, sin θ (computed on the host)
  sinT: f32,
  noise: f32,       // σ of the additive gradient noise (0: none)
  seed: u32,
  pad0: u32,
  pad1: u32,
}

fn beale_terms(p: vec2f) -> vec3f {
  let xy = p.x * p.y;
  let xy2 = xy * p.y;
  let xy3 = xy2 * p.y;
  return vec3f((1.5 - p.x) + xy, (2.25 - p.x) + xy2, (2.625 - p.x) + xy3);
}

fn surface_value(s: Surface, p: vec2f) -> f32 {
  let x = p.x;
  let y = p.y;
  switch s.kind {
    case SURF_QUADRATIC: {
      let u = s.cosT * x + s.sinT * y;
      let w = -s.sinT * x + s.cosT * y;
      return 0.5 * (s.condition * (u * u) + w * w);
    }
    case SURF_ROSENBROCK: {
      // 100·b² written as (10·b)²: a compiler may reassociate 100·(b·b) into (100·b)·b (lavapipe's
      // LLVM does), which rounds worse; a square of one product has no such rewrite.
      let a = 1.0 - x;
      let c = 10.0 * (y - x * x);
      return a * a + c * c;
    }
    case SURF_BEALE: {
      let t = beale_terms(p);
      return (t.x * t.x + t.y * t.y) + t.z * t.z;
    }
    case SURF_HIMMELBLAU: {
      let a = (x * x + y) - 11.0;
      let b = (x + y * y) - 7.0;
      return a * a + b * b;
    }
    case SURF_SADDLE: {
      return x * x - y * y;
    }
    case SURF_MONKEY: {
      return (x * x) * x - (3.0 * x) * (y * y);
    }
    default: {
      return 0.0;
    }
  }
}

fn surface_grad(s: Surface, p: vec2f) -> vec2f {
  let x = p.x;
  let y = p.y;
  switch s.kind {
    case SURF_QUADRATIC: {
      let u = s.cosT * x + s.sinT * y;
      let w = -s.sinT * x + s.cosT * y;
      let du = s.condition * u;
      return vec2f(s.cosT * du - s.sinT * w, s.sinT * du + s.cosT * w);
    }
    case SURF_ROSENBROCK: {
      let b = y - x * x;
      return vec2f(-2.0 * (1.0 - x) - (400.0 * x) * b, 200.0 * b);
    }
    case SURF_BEALE: {
      let t = beale_terms(p);
      let y2 = y * y;
      let y3 = y2 * y;
      let gx = (2.0 * t.x) * (y - 1.0) + ((2.0 * t.y) * (y2 - 1.0) + (2.0 * t.z) * (y3 - 1.0));
      let gy = (2.0 * t.x) * x + ((4.0 * t.y) * (x * y) + (6.0 * t.z) * (x * y2));
      return vec2f(gx, gy);
    }
    case SURF_HIMMELBLAU: {
      let a = (x * x + y) - 11.0;
      let b = (x + y * y) - 7.0;
      return vec2f((4.0 * x) * a + 2.0 * b, 2.0 * a + (4.0 * y) * b);
    }
    case SURF_SADDLE: {
      return vec2f(2.0 * x, -2.0 * y);
    }
    case SURF_MONKEY: {
      return vec2f(3.0 * (x * x) - 3.0 * (y * y), (-6.0 * x) * y);
    }
    default: {
      return vec2f(0.0);
    }
  }
}

// Wellons' lowbias32 integer hash.
fn hash32(v: u32) -> u32 {
  var x = v;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

const SQRT3: f32 = 1.7320508075688772;

// ≈ N(0, 1) from (seed, stream, step, component) alone: Irwin–Hall of four 22-bit
// uniforms, (sum − 2)·√3. The partial sums are exact in f32, so CPU and GPU agree bit
// for bit. Counter-based: no RNG state to carry between steps.
fn gradient_noise(seed: u32, stream: u32, step: u32, component: u32) -> f32 {
  var h = hash32(seed ^ hash32(stream ^ hash32(step * 2u + component)));
  var sum = 0.0;
  for (var k = 0u; k < 4u; k++) {
    h = hash32(h + 0x9e3779b9u);
    sum += f32(h >> 10u) * (1.0 / 4194304.0);
  }
  return (sum - 2.0) * SQRT3;
}
