/**
 * `sample`: a whole DDPM or DDIM sampling run on the GPU. It walks the same plan as
 * the CPU reference (`planSampling`): x_T from Philox (stream `init`, step T), then per
 * step the denoiser's prediction and one `reverseStep`, whose noise comes from Philox
 * (stream `reverse`, step t), so a seed fixes every sample bit for bit on an adapter.
 */
import type { Gpu } from '../../gpu/device';
import { InvalidArgumentError, ShapeError } from '../../problem/errors';
import { assertArguments, shapeOf, type Tensor, type TensorLike } from '../../gpu/tensor';
import { launch } from '../../gpu/launch';
import { shapeSize } from '../../problem/shape';
import { assertStorageElements } from '../../problem/limits';
import { assertSchedule, type Schedule } from '../../problem/ddpm-schedule';
import type { ReverseVariance } from '../../problem/ddpm-coefficients';
import type { Denoiser } from './denoiser';
import { randomNormal } from './rng';
import { reverseStep } from './step';
import { planSampling, type SamplerKind } from '../../problem/ddpm-plan';
import { RNG_STREAM } from '../../problem/philox';

export interface GpuSampleOptions {
  sampler: SamplerKind;
  /** Reverse steps (T for full ancestral DDPM). */
  steps: number;
  seed: number;
  /** Number of samples. */
  n: number;
  /** DDIM's η; default 0. */
  eta?: number;
  /** DDPM's reverse variance; default 'beta'. */
  variance?: ReverseVariance;
  /** A given x_T, [n, dim] or [1, 1, n, dim] (not consumed); default Philox normals. */
  xT?: TensorLike;
  /** After each step: its index, the timestep reached (−1 at the end) and x (owned by the sampler). */
  onStep?: (i: number, t: number, x: Tensor) => void | Promise<void>;
  /** Stops between steps with an `AbortError`. */
  signal?: AbortSignal;
  /**
   * Waits for the GPU to finish every this many steps (default 20). Submitting is
   * cheap and does not wait, so without it a long run queues minutes of work at
   * once: an abort would land late, and the final read would wait on all of it.
   */
  syncEvery?: number;
}

/** Throws `InvalidArgumentError` unless `d` looks like a `Denoiser`: an integer dim ≥ 1, a target and a predict method. */
function checkDenoiser(op: string, d: unknown): asserts d is Denoiser {
  if (typeof d !== 'object' || d === null) throw new InvalidArgumentError(op, 'denoiser', d, 'a Denoiser {dim, target, predict}');
  const { dim, target, predict } = d as Record<string, unknown>;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1)
    throw new InvalidArgumentError(op, 'denoiser.dim', dim, 'an integer ≥ 1');
  if (target !== 'eps' && target !== 'x0') throw new InvalidArgumentError(op, 'denoiser.target', target, "'eps' or 'x0'");
  if (typeof predict !== 'function') throw new InvalidArgumentError(op, 'denoiser.predict', predict, 'a function');
}

function abortError(): Error {
  return new DOMException('sampling was aborted', 'AbortError');
}

/** Samples n points [1, 1, n, dim] with `denoiser`. The caller destroys the result. */
export async function sample(gpu: Gpu, schedule: Schedule, denoiser: Denoiser, o: GpuSampleOptions): Promise<Tensor> {
  const op = 'ddpm.sample';
  assertSchedule(op, schedule);
  if (typeof o !== 'object' || o === null)
    throw new InvalidArgumentError(op, 'options', o, 'sampling options {sampler, steps, seed, n, …}');
  checkDenoiser(op, denoiser);
  if (typeof o.n !== 'number' || !Number.isInteger(o.n) || o.n < 1 || o.n > 1 << 22)
    throw new InvalidArgumentError(op, 'n', o.n, 'an integer in [1, 4194304]');
  if (typeof o.seed !== 'number' || !Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)
    throw new InvalidArgumentError(op, 'seed', o.seed, 'an unsigned 32-bit integer');
  const dim = denoiser.dim;
  const shape = [1, 1, o.n, dim];
  assertStorageElements(op, gpu.limits, `the samples [${o.n}, ${dim}]`, o.n * dim);
  if (o.xT !== undefined) {
    const s = shapeOf(op, 'xT', o.xT);
    if (shapeSize(s) !== o.n * dim || s[s.length - 1] !== dim) throw new ShapeError(op, `xT must hold [${o.n}, ${dim}]`, { xT: s });
  }
  const syncEvery = o.syncEvery ?? 20;
  if (typeof syncEvery !== 'number' || !Number.isInteger(syncEvery) || syncEvery < 1)
    throw new InvalidArgumentError(op, 'syncEvery', syncEvery, 'an integer ≥ 1');
  if (o.onStep !== undefined && typeof o.onStep !== 'function') throw new InvalidArgumentError(op, 'onStep', o.onStep, 'a function');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal))
    throw new InvalidArgumentError(op, 'signal', o.signal, 'an AbortSignal');
  const plan = planSampling(schedule, o.sampler, o.steps, denoiser.target, o.eta ?? 0, o.variance ?? 'beta');
  if (o.signal?.aborted) throw abortError();
  await gpu.ready(op);
  // x_T given as a Tensor is checked (same Gpu, live, current device) before anything is allocated.
  assertArguments(gpu, op, [['xT', o.xT]]);

  let x: Tensor;
  if (o.xT !== undefined) {
    // A private copy of x_T in the sampler's layout.
    x = await launch(gpu, op, async (scope) => {
      const [source] = scope.inputs([['xT', o.xT]]) as [Tensor];
      const copy = scope.output(shape, 'x');
      await gpu.submit(op, (e) => e.copyBufferToBuffer(source.buffer, 0, copy.buffer, 0, o.n * dim * 4));
      return copy;
    });
  } else {
    x = await randomNormal(gpu, shape, { seed: o.seed, stream: RNG_STREAM.init, step: schedule.T });
  }
  try {
    for (let i = 0; i < plan.length; i++) {
      if (o.signal?.aborted) throw abortError();
      const s = plan[i]!;
      const pred = await denoiser.predict(x, { t: s.t, alphaBar: schedule.alphaBar[s.t]! });
      let next: Tensor;
      try {
        const noise = s.coefficients.sigma > 0 ? { seed: o.seed, stream: RNG_STREAM.reverse, step: s.t } : null;
        next = await reverseStep(gpu, s.coefficients, x, pred, noise);
      } finally {
        pred.destroy();
      }
      x.destroy();
      x = next;
      if ((i + 1) % syncEvery === 0) await gpu.done(op);
      await o.onStep?.(i, s.tPrev, x);
    }
    return x;
  } catch (e) {
    x.destroy();
    throw e;
  }
}
