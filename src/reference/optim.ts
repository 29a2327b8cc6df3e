/**
 * CPU references of the optimizers: one update rule each, on any number of
 * parameters, in float64 (the oracle) or with f32 rounding after every operation
 * (the tolerance rule's baseline). The WGSL twin is `optimizer_rule` in
 * shaders/optim/rules.wgsl, shared by the optimizer race (race.wgsl) and the
 * training loop's parameter update (shaders/train/update.wgsl).
 * Also the references of the race and grid kernels, and the demos' CPU fallback.
 */
import { resolveGrid, resolveRace, scheduledLr, type GridInput, type RaceInput, type ResolvedOptimizer } from '../problem/optim';

export { scheduledLr };
import { F32, F64, gradientNoise, surfaceGradient, surfaceValue, type Round } from './surfaces';

/** Precision of a reference run: `f64` is the oracle, `f32` the baseline. */
export type Precision = 'f64' | 'f32';

/** The per-parameter optimizer state. */
export interface OptimizerState {
  /** First moment (momentum buffer for momentum/Nesterov). */
  m: Float64Array;
  /** Second moment (sum of squares for AdaGrad). */
  v: Float64Array;
  /** AMSGrad's running maximum of v. */
  vmax: Float64Array;
  /** Steps taken so far. */
  t: number;
  /** β₁ᵗ and β₂ᵗ as running products (no pow, so GPU and CPU agree). */
  b1t: number;
  b2t: number;
}

export function initialState(n: number): OptimizerState {
  return { m: new Float64Array(n), v: new Float64Array(n), vmax: new Float64Array(n), t: 0, b1t: 1, b2t: 1 };
}

/**
 * One step of optimizer `o` on parameters `x` with gradient `g` (both updated in
 * place: `g` gets weight decay folded in). Each rule's comment names what it fixes.
 */
export function optimizerStep(
  o: ResolvedOptimizer,
  s: OptimizerState,
  x: Float64Array,
  g: Float64Array,
  r: Round = F64,
  lrOverride?: number,
): void {
  s.t += 1;
  const lr = lrOverride ?? scheduledLr(o, s.t, r);
  const { beta1: b1, beta2: b2, eps, weightDecay: wd } = o;
  const adamFamily = o.kind === 'adam' || o.kind === 'adamw' || o.kind === 'amsgrad';
  if (adamFamily) {
    s.b1t = r(s.b1t * b1);
    s.b2t = r(s.b2t * b2);
  }
  for (let i = 0; i < x.length; i++) {
    let gi = g[i]!;
    const xi = x[i]!;
    if (o.kind !== 'adamw' && wd > 0) gi = r(gi + r(wd * xi)); // coupled L2
    switch (o.kind) {
      case 'sgd': // the baseline: step against the gradient; slow along flat directions, zig-zags across steep ones
        x[i] = r(xi - r(lr * gi));
        break;
      case 'momentum': // heavy ball: averages gradients so zig-zags cancel and flat directions speed up
        s.m[i] = r(r(b1 * s.m[i]!) + gi);
        x[i] = r(xi - r(lr * s.m[i]!));
        break;
      case 'nesterov': // look-ahead momentum: corrects with the gradient after the momentum step, overshooting less
        s.m[i] = r(r(b1 * s.m[i]!) + gi);
        x[i] = r(xi - r(lr * r(gi + r(b1 * s.m[i]!))));
        break;
      case 'adagrad': // per-coordinate step sizes from the gradient history: rare/flat coordinates get bigger steps
        s.v[i] = r(s.v[i]! + r(gi * gi));
        x[i] = r(xi - r(r(lr * gi) / r(Math.sqrt(s.v[i]!) + eps)));
        break;
      case 'rmsprop': // AdaGrad with a decaying average, so the step size does not shrink to zero
        s.v[i] = r(r(b2 * s.v[i]!) + r(r(1 - b2) * r(gi * gi)));
        x[i] = r(xi - r(r(lr * gi) / r(Math.sqrt(s.v[i]!) + eps)));
        break;
      case 'adam': // momentum + RMSProp, with bias correction for the zero-initialised moments
      case 'adamw': // Adam with decoupled weight decay, so decay is not rescaled by the adaptive denominator
      case 'amsgrad': {
        // AMSGrad: Adam with a non-decreasing second moment, so the step cannot grow when gradients shrink
        s.m[i] = r(r(b1 * s.m[i]!) + r(r(1 - b1) * gi));
        s.v[i] = r(r(b2 * s.v[i]!) + r(r(1 - b2) * r(gi * gi)));
        let vv = s.v[i]!;
        if (o.kind === 'amsgrad') {
          s.vmax[i] = Math.max(s.vmax[i]!, vv);
          vv = s.vmax[i]!;
        }
        let mh = s.m[i]!;
        if (o.biasCorrection) {
          mh = r(mh / r(1 - s.b1t));
          vv = r(vv / r(1 - s.b2t));
        }
        let xn = xi;
        if (o.kind === 'adamw') xn = r(xn - r(r(lr * wd) * xi));
        x[i] = r(xn - r(r(lr * mh) / r(Math.sqrt(vv) + eps)));
        break;
      }
    }
  }
}

/**
 * The race on the CPU: the reference of `race()`. Returns [optimizers, starts,
 * steps + 1, 3] of (x, y, loss), loss being the noise-free f(x, y). The noise
 * stream of a trajectory is its start index, so every optimizer from one start
 * sees the same noise.
 */
export function raceReference(input: RaceInput, precision: Precision = 'f64'): { data: Float64Array; shape: number[] } {
  const race = resolveRace('raceReference', input);
  const r = precision === 'f32' ? F32 : F64;
  const [nOpt, nStarts, nPts] = race.shape;
  const out = new Float64Array(nOpt * nStarts * nPts * 3);
  const sf = race.surface;
  const x = new Float64Array(2);
  const g = new Float64Array(2);
  race.optimizers.forEach((o, oi) => {
    for (let si = 0; si < nStarts; si++) {
      const base = (oi * nStarts + si) * nPts * 3;
      x[0] = race.starts[2 * si]!;
      x[1] = race.starts[2 * si + 1]!;
      const st = initialState(2);
      const write = (t: number) => {
        out[base + 3 * t] = x[0]!;
        out[base + 3 * t + 1] = x[1]!;
        out[base + 3 * t + 2] = surfaceValue(sf, x[0]!, x[1]!, r);
      };
      write(0);
      for (let t = 1; t <= race.steps; t++) {
        const [gx, gy] = surfaceGradient(sf, x[0]!, x[1]!, r);
        g[0] = gx;
        g[1] = gy;
        if (sf.noise > 0) {
          g[0] = r(gx + r(sf.noise * gradientNoise(sf.seed, si, t, 0)));
          g[1] = r(gy + r(sf.noise * gradientNoise(sf.seed, si, t, 1)));
        }
        // The rate is an input, like the hyperparameters: the same f32 table the GPU reads.
        optimizerStep(o, st, x, g, r, Math.fround(scheduledLr(o, t, F32)));
        write(t);
      }
    }
  });
  return { data: out, shape: race.shape };
}

/** The grid kernel's reference: f on the grid, shape [R, R] (row = y index). */
export function surfaceGridReference(input: GridInput, precision: Precision = 'f64'): { data: Float64Array; shape: number[] } {
  const g = resolveGrid('surfaceGridReference', input);
  const r = precision === 'f32' ? F32 : F64;
  const R = g.res;
  const out = new Float64Array(R * R);
  for (let j = 0; j < R; j++) {
    const y = r(g.y0 + r(j * g.dy));
    for (let i = 0; i < R; i++) out[j * R + i] = surfaceValue(g.surface, r(g.x0 + r(i * g.dx)), y, r);
  }
  return { data: out, shape: [R, R] };
}
