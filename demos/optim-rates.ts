/**
 * Convergence rates of the optimizers page's "Check yourself", in closed form.
 *
 * On a quadratic f = ½ Σ λ_k u_k² every rule acts on each eigendirection separately,
 * as a linear recurrence in a = lr·λ (the forms the project implements, as in PyTorch):
 *
 * - gradient descent:  u_t = (1 − a) u_{t−1}                     → root 1 − a
 * - heavy ball (m_t = β m_{t−1} + g_t, x_t = x_{t−1} − lr m_t):
 *                      r² − (1 + β − a) r + β = 0
 * - Nesterov (x_t = x_{t−1} − lr (g_t + β m_t)):
 *                      r² − (1 + β)(1 − a) r + β(1 − a) = 0
 *
 * The error shrinks per step by the largest root modulus (the spectral radius) over
 * the eigenvalues; the rule is stable iff it is below 1. A negative λ (a saddle's
 * downhill direction) gives a root above 1: the escape rate.
 */

/** The optimizers with a closed-form rate here. */
export type RateRule = 'gd' | 'momentum' | 'nesterov';

/** Largest |root| of r² − b r + c = 0 (real coefficients). */
export function largestRootModulus(b: number, c: number): number {
  const disc = b * b - 4 * c;
  if (disc < 0) return Math.sqrt(c);
  const s = Math.sqrt(disc);
  return Math.max(Math.abs((b + s) / 2), Math.abs((b - s) / 2));
}

/** Per-step contraction (or growth, above 1) of one eigendirection with curvature λ. */
export function directionRate(rule: RateRule, lr: number, lambda: number, beta: number): number {
  const a = lr * lambda;
  switch (rule) {
    case 'gd':
      return Math.abs(1 - a);
    case 'momentum':
      return largestRootModulus(1 + beta - a, beta);
    case 'nesterov':
      return largestRootModulus((1 + beta) * (1 - a), beta * (1 - a));
  }
}

/** The spectral radius over all eigenvalues: the per-step rate of the slowest direction. */
export function rate(rule: RateRule, lr: number, eigenvalues: readonly number[], beta: number): number {
  return Math.max(...eigenvalues.map((l) => directionRate(rule, lr, l, beta)));
}

/** The largest stable lr for curvatures up to L: 2/L, 2(1 + β)/L, 2(1 + β)/((1 + 2β)L). */
export function stabilityLimit(rule: RateRule, L: number, beta: number): number {
  switch (rule) {
    case 'gd':
      return 2 / L;
    case 'momentum':
      return (2 * (1 + beta)) / L;
    case 'nesterov':
      return (2 * (1 + beta)) / ((1 + 2 * beta) * L);
  }
}

/** Gradient descent's best constant step on [μ, L]: lr = 2/(L + μ), rate (κ − 1)/(κ + 1). */
export function gdOptimum(mu: number, L: number): { lr: number; rate: number } {
  return { lr: 2 / (L + mu), rate: (L - mu) / (L + mu) };
}

/** Polyak's tuned heavy ball on [μ, L]: lr = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))², rate (√κ − 1)/(√κ + 1). */
export function heavyBallOptimum(mu: number, L: number): { lr: number; beta: number; rate: number } {
  const q = (Math.sqrt(L) - Math.sqrt(mu)) / (Math.sqrt(L) + Math.sqrt(mu));
  return { lr: 4 / (Math.sqrt(L) + Math.sqrt(mu)) ** 2, beta: q * q, rate: q };
}

/** Steps for a per-step rate to shrink the error by `factor` (∞ when rate ≥ 1). */
export function stepsToShrink(r: number, factor = 1e-6): number {
  return r >= 1 ? Infinity : r === 0 ? 1 : Math.ceil(Math.log(factor) / Math.log(r));
}

/**
 * Adam without bias correction, constant gradient g (ε ignored): its step is
 * lr·(1 − β₁ᵗ)/√(1 − β₂ᵗ) times the corrected step lr·sign(g).
 */
export function uncorrectedAdamRatio(t: number, beta1: number, beta2: number): number {
  return (1 - beta1 ** t) / Math.sqrt(1 - beta2 ** t);
}
