// trig: sin and cos of a radian argument to a few f32 ulps, a library prepended by
// the time-embedding kernels. It declares no bindings and owns no invocations.
//
// WGSL's builtin sin and cos only promise an absolute error of 2⁻¹¹, and only on
// [−π, π]; the embedding's arguments t·ω reach 10³. So reduce first: q = round(a·2/π),
// r = a − q·π/2 with π/2 split in three parts (Cody & Waite; the first two have few
// enough bits that q·part is exact for |q| < 2¹¹), r in [−π/4, π/4]; then Taylor
// series to degree 9 / 10 (error below 10⁻⁹ there) and a rotation by the quadrant.

const PIO2_A: f32 = 1.5703125;
const PIO2_B: f32 = 4.837512969970703125e-4;
const PIO2_C: f32 = 7.54978995489188216e-8;
const TWO_OVER_PI: f32 = 0.6366197723675814;

// (cos a, sin a).
fn cos_sin(a: f32) -> vec2f {
  let q = round(a * TWO_OVER_PI);
  let r = ((a - q * PIO2_A) - q * PIO2_B) - q * PIO2_C;
  let r2 = r * r;
  let s = r * (1.0 - r2 / 6.0 * (1.0 - r2 / 20.0 * (1.0 - r2 / 42.0 * (1.0 - r2 / 72.0))));
  let c = 1.0 - r2 / 2.0 * (1.0 - r2 / 12.0 * (1.0 - r2 / 30.0 * (1.0 - r2 / 56.0 * (1.0 - r2 / 90.0))));
  let k = u32(i32(q) & 3);
  if (k == 0u) { return vec2f(c, s); }
  if (k == 1u) { return vec2f(-s, c); }
  if (k == 2u) { return vec2f(-c, -s); }
  return vec2f(s, -c);
}
