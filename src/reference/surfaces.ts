/**
 * The analytic test surfaces, their exact gradients and the seeded gradient noise,
 * on the CPU. `r` rounds after every operation: the identity gives the float64
 * oracle, `Math.fround` the f32 baseline of the tolerance rule (docs/TESTING.md).
 * The WGSL twin is shaders/optim/surfaces.wgsl; the same formulas, op by op.
 */
import type { ResolvedSurface, SurfaceKind } from '../problem/optim';

/** A rounding function applied after each arithmetic operation. */
export type Round = (x: number) => number;
export const F64: Round = (x) => x;
export const F32: Round = Math.fround;

/** f(x, y) of a surface. */
export function surfaceValue(s: ResolvedSurface, x: number, y: number, r: Round = F64): number {
  switch (s.kind) {
    case 'quadratic': {
      // f = ½(κu² + w²), (u, w) the coordinates along the rotated principal axes.
      const u = r(r(s.cosT * x) + r(s.sinT * y));
      const w = r(r(-s.sinT * x) + r(s.cosT * y));
      return r(0.5 * r(r(s.condition * r(u * u)) + r(w * w)));
    }
    case 'rosenbrock': {
      // (1 − x)² + (10·(y − x²))², the kernel's form (see shaders/optim/surfaces.wgsl).
      const a = r(1 - x);
      const c = r(10 * r(y - r(x * x)));
      return r(r(a * a) + r(c * c));
    }
    case 'beale': {
      const [t1, t2, t3] = bealeTerms(x, y, r);
      return r(r(r(t1 * t1) + r(t2 * t2)) + r(t3 * t3));
    }
    case 'himmelblau': {
      const a = r(r(r(x * x) + y) - 11);
      const b = r(r(x + r(y * y)) - 7);
      return r(r(a * a) + r(b * b));
    }
    case 'saddle':
      return r(r(x * x) - r(y * y));
    case 'monkey':
      return r(r(r(x * x) * x) - r(r(3 * x) * r(y * y)));
  }
}

function bealeTerms(x: number, y: number, r: Round): [number, number, number] {
  const xy = r(x * y);
  const xy2 = r(xy * y);
  const xy3 = r(xy2 * y);
  return [r(r(1.5 - x) + xy), r(r(2.25 - x) + xy2), r(r(2.625 - x) + xy3)];
}

/** The exact gradient ∇f(x, y), without noise. */
export function surfaceGradient(s: ResolvedSurface, x: number, y: number, r: Round = F64): [number, number] {
  switch (s.kind) {
    case 'quadratic': {
      const u = r(r(s.cosT * x) + r(s.sinT * y));
      const w = r(r(-s.sinT * x) + r(s.cosT * y));
      const du = r(s.condition * u);
      return [r(r(s.cosT * du) - r(s.sinT * w)), r(r(s.sinT * du) + r(s.cosT * w))];
    }
    case 'rosenbrock': {
      const b = r(y - r(x * x));
      return [r(r(-2 * r(1 - x)) - r(r(400 * x) * b)), r(200 * b)];
    }
    case 'beale': {
      const [t1, t2, t3] = bealeTerms(x, y, r);
      const y2 = r(y * y);
      const y3 = r(y2 * y);
      const gx = r(r(r(2 * t1) * r(y - 1)) + r(r(r(2 * t2) * r(y2 - 1)) + r(r(2 * t3) * r(y3 - 1))));
      const gy = r(r(r(2 * t1) * x) + r(r(r(4 * t2) * r(x * y)) + r(r(6 * t3) * r(x * y2))));
      return [gx, gy];
    }
    case 'himmelblau': {
      const a = r(r(r(x * x) + y) - 11);
      const b = r(r(x + r(y * y)) - 7);
      return [r(r(r(4 * x) * a) + r(2 * b)), r(r(2 * a) + r(r(4 * y) * b))];
    }
    case 'saddle':
      return [r(2 * x), r(-2 * y)];
    case 'monkey':
      return [r(r(3 * r(x * x)) - r(3 * r(y * y))), r(r(-6 * x) * y)];
  }
}

/** One round of Wellons' lowbias32 integer hash (u32 in, u32 out). */
export function hash32(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

const SQRT3_F32 = Math.fround(Math.sqrt(3));

/**
 * The counter-based gradient noise: a value ≈ N(0, 1) that depends only on
 * (seed, stream, step, component), so the GPU and CPU draw identical numbers.
 * Irwin–Hall with four uniforms (sum − 2)·√3: every partial sum is exact in f32
 * (22-bit uniforms), so the only rounding is the final product, the same on both.
 */
export function gradientNoise(seed: number, stream: number, step: number, component: number): number {
  let h = hash32((seed ^ hash32((stream ^ hash32((step * 2 + component) >>> 0)) >>> 0)) >>> 0);
  let sum = 0;
  for (let k = 0; k < 4; k++) {
    h = hash32((h + 0x9e3779b9) >>> 0);
    sum += (h >>> 10) * 2 ** -22;
  }
  return Math.fround((sum - 2) * SQRT3_F32);
}

/** Surface names a user may type, for messages. */
export type { SurfaceKind };
