/**
 * What a training step feeds the network and how it scores the output, on the GPU:
 *
 * - DDPM (the simplified objective of Ho et al., 2020): a batch drawn from Philox
 *   (ddpm_batch.wgsl: data row, timestep, noise), the time embedding written beside
 *   the noisy points (time_embed.wgsl), and the MSE between ε and the prediction;
 * - classification: the whole labelled set as the input, softmax cross-entropy.
 *
 * The batch depends on the step number, which changes every step: `batchUniform`
 * gives the block the trainer writes before each submit.
 */
import type { Gpu } from '../../gpu/device';
import { timeFrequencies } from '../../problem/train-layers';
import { TRAIN_STREAM, type ResolvedTrainConfig } from '../../problem/train-config';
import { workgroupSize, type Launch } from './encode';
import { groups } from './call';
import type { NetworkBuffers } from './network';
import { DDPM_BATCH_KERNEL, MSE_KERNEL, TIME_EMBED_KERNEL, XENT_KERNEL } from './specs';

/** The task's device buffers (data, targets, loss) and its launches. */
export class TaskBuffers {
  /** The mean loss of the last step, [1]. */
  readonly loss: GPUBuffer;
  private readonly gpu: Gpu;
  private readonly cfg: ResolvedTrainConfig;
  private readonly owned: GPUBuffer[] = [];
  private readonly bufs: Record<string, GPUBuffer> = {};

  constructor(gpu: Gpu, cfg: ResolvedTrainConfig, label: string) {
    this.gpu = gpu;
    this.cfg = cfg;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const upload = (name: string, data: Float32Array) => {
      const b = this.make(`${label}:${name}`, data.length, usage);
      gpu.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
      return b;
    };
    try {
      this.loss = this.make(`${label}:loss`, 1, usage);
      const task = cfg.task;
      const B = cfg.batch;
      const dim = cfg.layout.spec.inputs;
      if (task.kind === 'ddpm') {
        const T = task.schedule.T;
        const coef = new Float32Array(2 * T);
        for (let t = 0; t < T; t++) {
          coef[2 * t] = task.schedule.sqrtAlphaBar[t]!;
          coef[2 * t + 1] = task.schedule.sqrtOneMinusAlphaBar[t]!;
        }
        this.bufs.data = upload('data', task.data);
        this.bufs.coef = upload('coef', coef);
        this.bufs.freqs = upload('freqs', timeFrequencies(cfg.layout.spec.timeEmbedding, cfg.layout.spec.maxPeriod));
        this.bufs.tcol = this.make(`${label}:t`, B, usage);
        this.bufs.truth = this.make(`${label}:eps`, B * dim, usage);
      } else {
        this.bufs.data = upload('x', task.x);
        this.bufs.truth = upload('labels', Float32Array.from(task.labels));
      }
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  private make(label: string, values: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const b = this.gpu.createBuffer(label, values * 4, usage);
    this.owned.push(b);
    return b;
  }

  /** The DDPM batch kernel's uniform block for 0-based step `step`. */
  batchUniform(step: number): Record<string, number> {
    const cfg = this.cfg;
    const task = cfg.task;
    const dim = cfg.layout.spec.inputs;
    return {
      batch: cfg.batch,
      dim,
      m: task.kind === 'ddpm' ? task.data.length / dim : 0,
      T: task.kind === 'ddpm' ? task.schedule.T : 0,
      stride: cfg.layout.inputWidth,
      seed: cfg.seed,
      step: step >>> 0,
      streamRow: TRAIN_STREAM.row,
      streamTime: TRAIN_STREAM.time,
      streamNoise: TRAIN_STREAM.noise,
    };
  }

  /**
   * The launches that fill the network's input for step `step` (DDPM: the batch and
   * its time embedding; classification: none, the input is copied once by `encodeInputCopy`).
   * The first launch's uniform is the one to rewrite per step.
   */
  inputLaunches(gpu: Gpu, net: NetworkBuffers, step: number, label: string): Launch[] {
    const cfg = this.cfg;
    if (cfg.task.kind !== 'ddpm') return [];
    const spec = cfg.layout.spec;
    const half = spec.timeEmbedding / 2;
    const wg = workgroupSize(gpu, 256);
    const rowWg = workgroupSize(gpu, 64);
    return [
      {
        label: `${label}:batch`,
        spec: DDPM_BATCH_KERNEL,
        constants: { WG: rowWg },
        uniform: this.batchUniform(step),
        buffers: { data: this.bufs.data!, coef: this.bufs.coef!, input: net.input, tcol: this.bufs.tcol!, eps: this.bufs.truth! },
        workgroups: groups(cfg.batch, rowWg),
      },
      {
        label: `${label}:time-embed`,
        spec: TIME_EMBED_KERNEL,
        constants: { WG: wg },
        uniform: { rows: cfg.batch, half, stride: cfg.layout.inputWidth, offset: spec.inputs },
        buffers: { t: this.bufs.tcol!, freqs: this.bufs.freqs!, out: net.input },
        workgroups: groups(cfg.batch * half, wg),
      },
    ];
  }

  /** Classification: copies the data set into the network's input (once; it never changes). */
  encodeInputCopy(encoder: GPUCommandEncoder, net: NetworkBuffers): void {
    if (this.cfg.task.kind === 'classify') encoder.copyBufferToBuffer(this.bufs.data!, 0, net.input, 0, this.cfg.task.x.byteLength);
  }

  /** The loss launch: output vs targets, writing the mean loss and dz of the output layer. */
  lossLaunch(gpu: Gpu, net: NetworkBuffers, label: string): Launch {
    const cfg = this.cfg;
    const ddpm = cfg.task.kind === 'ddpm';
    const outputs = cfg.layout.spec.outputs;
    return {
      label: `${label}:loss`,
      spec: ddpm ? MSE_KERNEL : XENT_KERNEL,
      constants: { WG: workgroupSize(gpu, 256) },
      uniform: { n: ddpm ? cfg.batch * outputs : cfg.batch, cols: outputs },
      buffers: { pred: net.output, truth: this.bufs.truth!, grad: net.dzs[net.dzs.length - 1]!, loss: this.loss },
      workgroups: 1,
    };
  }

  destroy(): void {
    for (const b of this.owned.splice(0)) this.gpu.release(b);
  }
}
