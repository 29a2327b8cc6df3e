/**
 * `gradcheck`: analytic gradients against central differences, computed in float64
 * on the CPU.
 *
 *   ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h
 *
 * has truncation error (h²/6)·f‴ and rounding error about u·|f|/h (u the unit
 * roundoff of the arithmetic that evaluates f), so the total is smallest near
 * h ≈ ∛(3u·|f|/|f‴|): about 10⁻⁵ in float64 and 10⁻² to 10⁻³ in f32.
 * `finiteDifferenceSweep` traces that trade-off.
 *
 * The function under test supplies a float64 scalar `f` (a CPU reference) and its
 * analytic `grad`, which may run anywhere: a test or page passes a callback that
 * runs the GPU backward kernel, so this module itself stays free of the GPU.
 */

/** An input tensor: values and shape (row-major). */
export interface GradcheckTensor {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** A scalar function of named tensors, with its analytic gradient. */
export interface Checkable {
  /** The scalar in float64. */
  f(inputs: Record<string, Float64Array>): number | Promise<number>;
  /** ∂f/∂(each input); inputs not in the result are not checked. */
  grad(inputs: Record<string, Float64Array>): Record<string, ArrayLike<number>> | Promise<Record<string, ArrayLike<number>>>;
}

export interface GradcheckOptions {
  /** Step of the central difference; default 1e-6 (suits a float64 f of O(1) values). */
  h?: number;
  /**
   * A tensor passes when its max relative error is at most this; default 1e-3. An f32
   * gradient (a GPU kernel's) is off by up to about 1e-4 near a zero crossing of the
   * derivative; a wrong formula is typically off by 1e-1 or more.
   */
  tolerance?: number;
  /**
   * Relative errors divide by max(|analytic|, |numeric|, floor·max_j|numeric_j|): entries
   * far smaller than the tensor's largest are judged against its scale, not their own,
   * since an f32 gradient carries absolute, not relative, rounding error. Default 1e-3.
   */
  floor?: number;
  /** Check at most this many entries per tensor (evenly spread, first and last included); default all. */
  maxPerTensor?: number;
  /** Tensors to check; default every tensor the gradient returns. */
  only?: readonly string[];
}

/** One entry: where it is and both values. */
export interface GradcheckEntry {
  index: number;
  /** Multi-index in the tensor's shape. */
  coords: number[];
  analytic: number;
  numeric: number;
  relError: number;
}

/** The verdict for one tensor. */
export interface GradcheckTensorReport {
  name: string;
  shape: number[];
  /** Entries compared. */
  checked: number;
  maxRelError: number;
  /** The entry with the largest relative error. */
  worst: GradcheckEntry;
  ok: boolean;
}

export interface GradcheckReport {
  ok: boolean;
  h: number;
  tolerance: number;
  tensors: GradcheckTensorReport[];
  /** Evaluations of f. */
  evaluations: number;
}

/** The multi-index of flat `index` in `shape`. */
export function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let i = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    out[d] = s > 0 ? i % s : 0;
    i = s > 0 ? Math.floor(i / s) : 0;
  }
  return out;
}

/** Up to `max` indices of [0, n), evenly spread, first and last included. */
export function spreadIndices(n: number, max = Infinity): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return n > 0 ? [0] : [];
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (n - 1)) / (max - 1)));
  return [...out];
}

function copyInputs(inputs: Record<string, GradcheckTensor>): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, Float64Array.from(t.data)]));
}

/** Central difference of `f` in entry `index` of input `name` with step h (the inputs are restored). */
export async function centralDifference(
  f: Checkable['f'],
  values: Record<string, Float64Array>,
  name: string,
  index: number,
  h: number,
): Promise<number> {
  const x = values[name];
  if (!x || index < 0 || index >= x.length) throw new RangeError(`centralDifference: no entry ${index} in '${name}'`);
  const x0 = x[index]!;
  x[index] = x0 + h;
  const fp = await f(values);
  x[index] = x0 - h;
  const fm = await f(values);
  x[index] = x0;
  // Divide by the step actually taken: x0 ± h is rounded, and that rounding is not the f's error.
  return (fp - fm) / (x0 + h - (x0 - h));
}

/** |a − n| / max(|a|, |n|, scale); 0 when both are 0. */
export function relativeError(a: number, n: number, scale = 0): number {
  const d = Math.abs(a - n);
  if (d === 0) return 0;
  if (!Number.isFinite(d)) return Infinity;
  return d / Math.max(Math.abs(a), Math.abs(n), scale);
}

/**
 * Compares `fn.grad` with central differences of `fn.f` for every entry of every
 * input the gradient covers (or `maxPerTensor` of them), and reports per tensor the
 * max relative error and the worst entry.
 * @throws RangeError when the gradient's length differs from its input's
 */
export async function gradcheck(
  fn: Checkable,
  inputs: Record<string, GradcheckTensor>,
  options: GradcheckOptions = {},
): Promise<GradcheckReport> {
  const h = options.h ?? 1e-6;
  const tolerance = options.tolerance ?? 1e-3;
  const floor = options.floor ?? 1e-3;
  if (!(h > 0)) throw new RangeError(`gradcheck: h must be positive, got ${h}`);
  const values = copyInputs(inputs);
  const analytic = await fn.grad(copyInputs(inputs));
  const names = (options.only ?? Object.keys(analytic)).filter((n) => n in analytic);
  let evaluations = 0;
  const tensors: GradcheckTensorReport[] = [];
  for (const name of names) {
    const input = inputs[name];
    const g = analytic[name]!;
    if (!input) throw new RangeError(`gradcheck: the gradient names '${name}', which is not an input`);
    if (g.length !== input.data.length)
      throw new RangeError(`gradcheck: gradient of '${name}' has ${g.length} entries, the input ${input.data.length}`);
    const indices = spreadIndices(g.length, options.maxPerTensor);
    const numeric: number[] = [];
    for (const i of indices) {
      numeric.push(await centralDifference(fn.f, values, name, i, h));
      evaluations += 2;
    }
    const scale = floor * numeric.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    let worst: GradcheckEntry = { index: -1, coords: [], analytic: NaN, numeric: NaN, relError: 0 };
    indices.forEach((i, k) => {
      const a = g[i]!;
      const n = numeric[k]!;
      const e = Number.isNaN(a) || Number.isNaN(n) ? Infinity : relativeError(a, n, scale);
      if (worst.index < 0 || e > worst.relError)
        worst = { index: i, coords: unravel(i, input.shape), analytic: a, numeric: n, relError: e };
    });
    tensors.push({
      name,
      shape: [...input.shape],
      checked: indices.length,
      maxRelError: worst.relError,
      worst,
      ok: worst.relError <= tolerance,
    });
  }
  return { ok: tensors.every((t) => t.ok), h, tolerance, tensors, evaluations };
}

/** One point of a step-size sweep. */
export interface SweepPoint {
  h: number;
  numeric: number;
  /** |numeric − exact| / max(|exact|, tiny). */
  relError: number;
}

/** The step sizes 10⁻¹ … 10⁻ᴷ, `perDecade` per decade. */
export function logSteps(from = 1e-1, to = 1e-10, perDecade = 2): number[] {
  const a = Math.log10(from);
  const b = Math.log10(to);
  const n = Math.round(Math.abs(b - a) * perDecade);
  return Array.from({ length: n + 1 }, (_, k) => 10 ** (a + ((b - a) * k) / n));
}

/**
 * The relative error of the central difference in entry `index` of `name` against
 * the exact derivative `exact`, for each step in `hs`. With `f` in float64 the curve
 * falls as h² and rises as u/h below about 10⁻⁵; with `f` rounded to f32 the rise
 * starts near 10⁻².
 */
export async function finiteDifferenceSweep(
  f: Checkable['f'],
  inputs: Record<string, GradcheckTensor>,
  name: string,
  index: number,
  exact: number,
  hs: readonly number[] = logSteps(),
): Promise<SweepPoint[]> {
  const values = copyInputs(inputs);
  const out: SweepPoint[] = [];
  for (const h of hs) {
    const numeric = await centralDifference(f, values, name, index, h);
    out.push({ h, numeric, relError: Math.abs(numeric - exact) / Math.max(Math.abs(exact), 1e-300) });
  }
  return out;
}

/** Σ_i y_i·p_i: turns a layer's output into a scalar whose gradient with respect to y is p. */
export function project(y: ArrayLike<number>, p: ArrayLike<number>): number {
  if (y.length !== p.length) throw new RangeError(`project: ${y.length} outputs against ${p.length} weights`);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * p[i]!;
  return s;
}
