/**
 * 2-D toy data sets for diffusion, generated from a seed (no downloads). Each returns
 * `n` points as a row-major Float32Array [n, 2], scaled to roughly [−2, 2]².
 */
import { mulberry32, normalArray, type Rng } from '../reference/random';

function gauss(rng: Rng): number {
  return normalArray(rng, 1)[0]!;
}

/** Two interleaved half circles (scikit-learn's classic), noise σ = 0.05. */
export function twoMoons(n: number, seed = 0): Float32Array {
  const rng = mulberry32(seed ^ 0x6d00);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const upper = i % 2 === 0;
    const a = Math.PI * rng();
    const x = upper ? Math.cos(a) : 1 - Math.cos(a);
    const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
    out[2 * i] = 1.6 * (x - 0.5) + 0.05 * gauss(rng);
    out[2 * i + 1] = 1.6 * (y - 0.25) + 0.05 * gauss(rng);
  }
  return out;
}

/** The 2-D Swiss roll: a spiral r ∝ θ over 1.5 turns, noise σ = 0.03. */
export function swissRoll(n: number, seed = 0): Float32Array {
  const rng = mulberry32(seed ^ 0x5e11);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const th = 1.5 * Math.PI * (1 + 2 * Math.sqrt(rng()));
    out[2 * i] = (th * Math.cos(th)) / 7.5 + 0.03 * gauss(rng);
    out[2 * i + 1] = (th * Math.sin(th)) / 7.5 + 0.03 * gauss(rng);
  }
  return out;
}

/** Three concentric rings (radii 0.5, 1.1, 1.7), noise σ = 0.03. */
export function rings(n: number, seed = 0): Float32Array {
  const rng = mulberry32(seed ^ 0x7193);
  const radii = [0.5, 1.1, 1.7];
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    // points per ring proportional to its circumference
    const u = rng() * 3.3;
    const r = u < 0.5 ? radii[0]! : u < 1.6 ? radii[1]! : radii[2]!;
    const a = 2 * Math.PI * rng();
    out[2 * i] = r * Math.cos(a) + 0.03 * gauss(rng);
    out[2 * i + 1] = r * Math.sin(a) + 0.03 * gauss(rng);
  }
  return out;
}

/** Eight Gaussians on a circle of radius 1.5, σ = 0.1. */
export function eightGaussians(n: number, seed = 0): Float32Array {
  const rng = mulberry32(seed ^ 0x8a55);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * (i % 8)) / 8;
    out[2 * i] = 1.5 * Math.cos(a) + 0.1 * gauss(rng);
    out[2 * i + 1] = 1.5 * Math.sin(a) + 0.1 * gauss(rng);
  }
  return out;
}

/** A drawn shape: the outline of a heart (x = 16 sin³θ, y = 13 cos θ − 5 cos 2θ − 2 cos 3θ − cos 4θ), σ = 0.02. */
export function heart(n: number, seed = 0): Float32Array {
  const rng = mulberry32(seed ^ 0x4ea7);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const th = 2 * Math.PI * rng();
    const x = 16 * Math.sin(th) ** 3;
    const y = 13 * Math.cos(th) - 5 * Math.cos(2 * th) - 2 * Math.cos(3 * th) - Math.cos(4 * th);
    out[2 * i] = x / 9 + 0.02 * gauss(rng);
    out[2 * i + 1] = (y + 2.5) / 9 + 0.02 * gauss(rng);
  }
  return out;
}
