/**
 * `makeLearnedDenoiser`: a trained MLP ε-predictor (src/kernels/train/) behind the
 * samplers' `Denoiser` interface. For a batch x_t [1, 1, n, dim] at timestep t it
 * writes the network's input rows [x_t, emb(t)] (scatter_cols.wgsl and
 * time_embed.wgsl), runs the forward pass and returns ε̂ [1, 1, n, dim].
 *
 * Unlike the exact denoiser (optimal.ts), which memorizes its training set, the
 * network can only approximate E[ε | x_t]: its samples land near the data, not on it.
 * Buffers and bind groups are built once per batch size and reused every step.
 *
 * With `clip`, the denoiser predicts x̂₀ = clamp((x_t − √(1−ᾱ)ε̂)/√ᾱ, ±clip) instead
 * (clip_x0.wgsl; target 'x0'), as Ho et al.'s sampler clips to the data's range. It
 * matters: at the cosine schedule's last step √ᾱ ≈ 5·10⁻⁵, and a DDIM jump from there
 * multiplies the network's ε error by √(ᾱ_t'/ᾱ_t), several hundred, which throws
 * unclipped samples far outside the data.
 */
import type { Gpu } from '../../gpu/device';
import { Tensor } from '../../gpu/tensor';
import { InvalidArgumentError, ShapeError } from '../../problem/errors';
import { networkLayout, type NetworkLayout, type NetworkSpec } from '../../problem/train-model';
import { timeFrequencies } from '../../problem/train-layers';
import { encodeAll, prepare, releasePrepared, workgroupSize, type Prepared } from '../train/encode';
import { NetworkBuffers, forwardLaunches } from '../train/network';
import { CLIP_X0_KERNEL, SCATTER_COLS_KERNEL, TIME_EMBED_KERNEL } from '../train/specs';
import { launch, packFor } from '../../gpu/launch';
import type { Denoiser, DenoiseStep } from './denoiser';

interface BatchPlan {
  net: NetworkBuffers;
  x: GPUBuffer;
  t: GPUBuffer;
  /** x̂₀ when clipping. */
  y: GPUBuffer;
  prepared: Prepared[];
}

/** Options of `makeLearnedDenoiser`. */
export interface LearnedDenoiserOptions {
  /** Predict x̂₀ clipped to [−clip, clip] (target 'x0'); default none: raw ε̂ (target 'eps'). */
  clip?: number | null;
}

class LearnedDenoiser implements Denoiser {
  readonly name: string;
  readonly target: 'eps' | 'x0';
  readonly dim: number;
  private readonly clip: number | null;
  private readonly gpu: Gpu;
  private readonly layout: NetworkLayout;
  private readonly params: Tensor;
  private readonly freqs: Tensor;
  private plans = new Map<number, Promise<BatchPlan>>();

  constructor(gpu: Gpu, layout: NetworkLayout, params: Tensor, freqs: Tensor, clip: number | null) {
    this.gpu = gpu;
    this.clip = clip;
    this.target = clip === null ? 'eps' : 'x0';
    this.name = clip === null ? 'learned (MLP ε-predictor)' : `learned (MLP ε-predictor, x̂₀ clipped to ±${clip})`;
    this.layout = layout;
    this.dim = layout.spec.inputs;
    this.params = params;
    this.freqs = freqs;
  }

  private async makePlan(n: number): Promise<BatchPlan> {
    const { gpu, layout } = this;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const net = new NetworkBuffers(gpu, layout, n, false, 'ddpm.learned');
    const x = gpu.createBuffer('ddpm.learned:x', n * this.dim * 4, usage);
    const t = gpu.createBuffer('ddpm.learned:t', n * 4, usage);
    const y = gpu.createBuffer('ddpm.learned:x0', n * this.dim * 4, usage | GPUBufferUsage.COPY_SRC);
    try {
      const wg = workgroupSize(gpu, 256);
      const half = layout.spec.timeEmbedding / 2;
      const prepared = await prepare(gpu, [
        {
          label: 'ddpm.learned:scatter',
          spec: SCATTER_COLS_KERNEL,
          constants: { WG: wg },
          uniform: { rows: n, cols: this.dim, stride: layout.inputWidth, offset: 0 },
          buffers: { x, out: net.input },
          workgroups: Math.ceil((n * this.dim) / wg),
        },
        {
          label: 'ddpm.learned:time-embed',
          spec: TIME_EMBED_KERNEL,
          constants: { WG: wg },
          uniform: { rows: n, half, stride: layout.inputWidth, offset: this.dim },
          buffers: { t, freqs: this.freqs.buffer, out: net.input },
          workgroups: Math.ceil((n * half) / wg),
        },
        ...forwardLaunches(gpu, layout, net, this.params.buffer, 'ddpm.learned'),
        {
          label: 'ddpm.learned:clip',
          spec: CLIP_X0_KERNEL,
          constants: { WG: wg },
          uniform: this.clipUniform(n, 0.5),
          buffers: { x, eps: net.output, out: y },
          workgroups: this.clip === null ? 0 : Math.ceil((n * this.dim) / wg),
        },
      ]);
      return { net, x, t, y, prepared };
    } catch (e) {
      net.destroy();
      for (const b of [x, t, y]) gpu.release(b);
      throw e;
    }
  }

  private clipUniform(n: number, alphaBar: number): Record<string, number> {
    return { n: n * this.dim, s0: Math.sqrt(alphaBar), s1: Math.sqrt(1 - alphaBar), clip: this.clip ?? 0 };
  }

  async predict(x: Tensor, step: DenoiseStep): Promise<Tensor> {
    const op = 'ddpm.learnedDenoiser';
    const gpu = this.gpu;
    const n = x.size / this.dim;
    if (!Number.isInteger(n) || x.shape[x.shape.length - 1] !== this.dim)
      throw new ShapeError(op, `x must be [..., ${this.dim}]`, { x: x.shape });
    return launch(gpu, op, async (scope) => {
      const out = scope.output(x.shape, 'eps');
      if (n === 0) return out;
      const p = await this.plan(n);
      gpu.device.queue.writeBuffer(p.t, 0, new Float32Array(n).fill(step.t));
      gpu.device.queue.writeBuffer(
        p.prepared[p.prepared.length - 1]!.params,
        0,
        packFor(CLIP_X0_KERNEL, this.clipUniform(n, step.alphaBar)),
      );
      // The plan's launches are prepared once per batch size (persistent bind groups), so they are encoded here directly.
      await gpu.submit(op, (encoder) => {
        encoder.copyBufferToBuffer(x.buffer, 0, p.x, 0, n * this.dim * 4);
        encodeAll(gpu, encoder, op, p.prepared);
        encoder.copyBufferToBuffer(this.clip === null ? p.net.output : p.y, 0, out.buffer, 0, n * this.dim * 4);
      });
      return out;
    });
  }

  /** The batch plan for n samples, made once (a failed one is forgotten). */
  private plan(n: number): Promise<BatchPlan> {
    let plan = this.plans.get(n);
    if (!plan) {
      plan = this.makePlan(n);
      plan.catch(() => this.plans.delete(n));
      this.plans.set(n, plan);
    }
    return plan;
  }

  destroy(): void {
    const plans = [...this.plans.values()];
    this.plans.clear();
    for (const plan of plans)
      void plan.then(
        (p) => {
          releasePrepared(this.gpu, p.prepared);
          p.net.destroy();
          for (const b of [p.x, p.t, p.y]) this.gpu.release(b);
        },
        () => undefined,
      );
    this.params.destroy();
    this.freqs.destroy();
  }
}

/**
 * A `Denoiser` from a trained ε-predictor (target ε, or x̂₀ clipped with `options.clip`): `network` must take `dim` inputs
 * plus a time embedding and output `dim` values. `params` (the flat layout of
 * `networkLayout(network)`) is copied, so the trainer may go on training.
 * @throws InvalidArgumentError / ShapeError for a network that is not an ε-predictor or params of the wrong length
 */
export async function makeLearnedDenoiser(
  gpu: Gpu,
  network: NetworkSpec,
  params: Tensor | Float32Array,
  options: LearnedDenoiserOptions = {},
): Promise<Denoiser> {
  const op = 'ddpm.learnedDenoiser';
  const clip = options.clip ?? null;
  if (clip !== null && (typeof clip !== 'number' || !(clip > 0 && clip < Infinity)))
    throw new InvalidArgumentError(op, 'clip', clip, 'a positive finite number, or null for raw ε̂');
  const layout = networkLayout(op, network);
  const spec = layout.spec;
  if (spec.timeEmbedding === 0) throw new InvalidArgumentError(op, 'network.timeEmbedding', 0, 'an even width ≥ 2 (the denoiser needs t)');
  if (spec.outputs !== spec.inputs)
    throw new ShapeError(op, `an ε-predictor outputs what it takes: outputs ${spec.outputs} ≠ inputs ${spec.inputs}`);
  const size = params instanceof Tensor ? params.size : params instanceof Float32Array ? params.length : -1;
  if (size !== layout.count) throw new ShapeError(op, `params must hold the layout's ${layout.count} values`, { params: [size] });
  await gpu.ready(op);
  const freqs = Tensor.fromData(gpu, timeFrequencies(spec.timeEmbedding, spec.maxPeriod), [spec.timeEmbedding / 2], `${op}:freqs`);
  let own: Tensor | null = null;
  try {
    if (params instanceof Tensor) {
      own = Tensor.zeros(gpu, [layout.count], `${op}:params`);
      const src = params.buffer;
      const dst = own.buffer;
      await gpu.submit(op, (e) => e.copyBufferToBuffer(src, 0, dst, 0, layout.count * 4));
    } else {
      own = Tensor.fromData(gpu, params, [layout.count], `${op}:params`);
    }
    return new LearnedDenoiser(gpu, layout, own, freqs, clip);
  } catch (e) {
    own?.destroy();
    freqs.destroy();
    throw e;
  }
}
