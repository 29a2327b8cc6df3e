/**
 * CPU references of LayerNorm and of the two losses, with their backward passes:
 * float64 by default, `r` rounding after every operation (the f32 baseline), in the
 * order of the WGSL twins (shaders/train/layernorm*.wgsl, mse.wgsl, xent.wgsl).
 *
 * - LayerNorm over the last axis: y = γ·(x − μ)·ρ + β, ρ = 1/√(σ² + ε), σ² the biased
 *   variance of the row.
 * - Mean-squared error: L = (1/n) Σ (p − y)², ∂L/∂p = 2(p − y)/n over all n values.
 * - Softmax cross-entropy: L = (1/N) Σ_n (lse(z_n) − z_n,y_n), ∂L/∂z = (softmax(z) − onehot)/N,
 *   with lse = m + log Σ exp(z − m), m the row maximum (stable for any finite logits).
 */
import { ShapeError } from '../../problem/errors';
import { checkLabels, resolveCrossEntropy, resolveLayerNorm, resolveSameShape } from '../../problem/train-layers';
import { F64, type Round } from '../surfaces';

type Values = ArrayLike<number>;

/** LayerNorm forward: y [N, D], and the per-row mean and ρ = 1/√(σ² + ε) the backward pass reuses. */
export function layerNormRef(
  x: Values,
  xShape: readonly number[],
  gamma: Values,
  beta: Values,
  eps = 1e-5,
  r: Round = F64,
): { y: Float64Array; mean: Float64Array; rstd: Float64Array } {
  const { N, D } = resolveLayerNorm('layerNormRef', xShape, [gamma.length], [beta.length], eps);
  if (x.length !== N * D) throw new ShapeError('layerNormRef', `x holds ${x.length} values`, { x: xShape });
  const y = new Float64Array(N * D);
  const mean = new Float64Array(N);
  const rstd = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let j = 0; j < D; j++) s = r(s + x[n * D + j]!);
    const mu = r(s / D);
    let v = 0;
    for (let j = 0; j < D; j++) {
      const c = r(x[n * D + j]! - mu);
      v = r(v + r(c * c));
    }
    const rho = r(1 / r(Math.sqrt(r(r(v / D) + eps))));
    mean[n] = mu;
    rstd[n] = rho;
    for (let j = 0; j < D; j++) y[n * D + j] = r(r(gamma[j]! * r(r(x[n * D + j]! - mu) * rho)) + beta[j]!);
  }
  return { y, mean, rstd };
}

/**
 * LayerNorm backward from the saved mean and ρ: with x̂ = (x − μ)ρ and g = dy·γ,
 * dx = ρ·(g − mean(g) − x̂·mean(g·x̂)), dγ = Σ_n dy·x̂, dβ = Σ_n dy.
 */
export function layerNormBackwardRef(
  x: Values,
  xShape: readonly number[],
  gamma: Values,
  dy: Values,
  mean: Values,
  rstd: Values,
  r: Round = F64,
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const { N, D } = resolveLayerNorm('layerNormBackwardRef', xShape, [gamma.length], null, 1e-5);
  if (dy.length !== N * D) throw new ShapeError('layerNormBackwardRef', `dy must be [${N}, ${D}]`, { x: xShape, dy: [dy.length] });
  const dx = new Float64Array(N * D);
  const dgamma = new Float64Array(D);
  const dbeta = new Float64Array(D);
  for (let n = 0; n < N; n++) {
    const mu = mean[n]!;
    const rho = rstd[n]!;
    let sg = 0;
    let sgx = 0;
    for (let j = 0; j < D; j++) {
      const xh = r(r(x[n * D + j]! - mu) * rho);
      const g = r(dy[n * D + j]! * gamma[j]!);
      sg = r(sg + g);
      sgx = r(sgx + r(g * xh));
    }
    const mg = r(sg / D);
    const mgx = r(sgx / D);
    for (let j = 0; j < D; j++) {
      const xh = r(r(x[n * D + j]! - mu) * rho);
      const g = r(dy[n * D + j]! * gamma[j]!);
      dx[n * D + j] = r(rho * r(r(g - mg) - r(xh * mgx)));
    }
  }
  for (let j = 0; j < D; j++) {
    let sgm = 0;
    let sb = 0;
    for (let n = 0; n < N; n++) {
      const xh = r(r(x[n * D + j]! - mean[n]!) * rstd[n]!);
      sgm = r(sgm + r(dy[n * D + j]! * xh));
      sb = r(sb + dy[n * D + j]!);
    }
    dgamma[j] = sgm;
    dbeta[j] = sb;
  }
  return { dx, dgamma, dbeta };
}

/** Mean-squared error and its gradient with respect to `pred`. */
export function mseRef(pred: Values, target: Values, r: Round = F64): { loss: number; grad: Float64Array } {
  const n = resolveSameShape('mseRef', 'pred', [pred.length], 'target', [target.length]);
  const grad = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = r(pred[i]! - target[i]!);
    s = r(s + r(d * d));
    grad[i] = r(r(2 * d) / n);
  }
  return { loss: n === 0 ? 0 : r(s / n), grad };
}

/** Mean softmax cross-entropy of logits [N, C] against class labels [N], and ∂L/∂logits. */
export function crossEntropyRef(
  logits: Values,
  shape: readonly number[],
  labels: Values,
  r: Round = F64,
): { loss: number; grad: Float64Array } {
  const { N, D: C } = resolveCrossEntropy('crossEntropyRef', shape, [labels.length]);
  checkLabels('crossEntropyRef', labels, C);
  const grad = new Float64Array(N * C);
  let total = 0;
  for (let n = 0; n < N; n++) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, logits[n * C + c]!);
    let s = 0;
    for (let c = 0; c < C; c++) s = r(s + r(Math.exp(r(logits[n * C + c]! - m))));
    const lse = r(m + r(Math.log(s)));
    const y = labels[n]!;
    total = r(total + r(lse - logits[n * C + y]!));
    for (let c = 0; c < C; c++) {
      const p = r(Math.exp(r(logits[n * C + c]! - lse)));
      grad[n * C + c] = r(r(p - (c === y ? 1 : 0)) / N);
    }
  }
  return { loss: N === 0 ? 0 : r(total / N), grad };
}
