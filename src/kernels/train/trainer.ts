/**
 * `Trainer`: a training loop that runs on the GPU. Each step is one submit of one
 * compute pass (batch → forward → loss → backward → global norm → update), and
 * nothing is read back except the loss log, every `lossEvery` steps: each step's loss
 * is copied on the GPU into the log, so the whole curve arrives with one readback.
 *
 * - Reproducible: initial weights and every batch come from Philox keyed by the seed
 *   and the step number; the same config gives the same bits on an adapter.
 * - Checkpoints (`checkpoint()`, `load()`, and `Trainer.create(…, checkpoint)`) hold
 *   parameters, optimizer moments, the step and β₁ᵗ, β₂ᵗ; a run continued from one
 *   takes exactly the steps it would have taken.
 * - A NaN or infinite loss stops the run with `NonFiniteLossError`, carrying the last
 *   checkpoint whose loss was seen to be finite (a GPU copy taken at the start of each
 *   loss interval and kept once that interval's first loss is read back finite).
 */
import type { Gpu } from '../../gpu/device';
import { Tensor } from '../../gpu/tensor';
import { launch, packFor } from '../../gpu/launch';
import { InvalidArgumentError, ShapeError } from '../../problem/errors';
import { resolveTrainConfig, type ResolvedTrainConfig, type TrainConfig } from '../../problem/train-config';
import { NonFiniteLossError, type Checkpoint } from '../../problem/train-checkpoint';
import { warmupCosineLr } from '../../problem/train-schedule';
import { encodeAll, prepare, releasePrepared, toDispatch, workgroupSize, type Launch, type Prepared } from './encode';
import { groups } from './call';
import { NetworkBuffers, backwardLaunches, forwardLaunches } from './network';
import { configBuffer, updateLaunches, updateUniform } from './optimizer';
import { TaskBuffers } from './task';
import { DDPM_BATCH_KERNEL, INIT_KERNEL, UPDATE_KERNEL } from './specs';
import { TRAIN_STREAM } from '../../problem/train-config';

/** What `run` reports after each loss readback. */
export interface TrainProgress {
  /** Steps taken so far (all runs). */
  step: number;
  /** The loss of the last step taken. */
  loss: number;
  /** The losses of the steps since the previous report, in order. */
  losses: Float32Array;
  /** Steps per second over this run so far (wall time, readbacks included). */
  stepsPerSecond: number;
  elapsedMs: number;
}

export interface RunOptions {
  onProgress?: (p: TrainProgress) => void | Promise<void>;
  /** Stops between steps with an `AbortError`. */
  signal?: AbortSignal;
}

const ARRAYS = ['params', 'm', 'v', 'vmax'] as const;
type StateArrays = Record<(typeof ARRAYS)[number], Tensor>;

interface Snapshot {
  arrays: StateArrays;
  step: number;
  b1t: number;
  b2t: number;
  valid: boolean;
}

function adamFamily(kind: string): boolean {
  return kind === 'adam' || kind === 'adamw' || kind === 'amsgrad';
}

export class Trainer {
  readonly config: ResolvedTrainConfig;
  private readonly gpu: Gpu;
  private readonly state: StateArrays;
  private readonly grads: Tensor;
  private readonly normSq: Tensor;
  private readonly lossLog: Tensor;
  private good: Snapshot;
  private candidate: Snapshot;
  private readonly net: NetworkBuffers;
  private readonly task: TaskBuffers;
  private readonly configUniform: GPUBuffer;
  private prepared: Prepared[] = [];
  private batchIndex = -1;
  private updateIndex = -1;
  private stepsTaken = 0;
  private b1t = 1;
  private b2t = 1;
  private destroyed = false;

  private constructor(gpu: Gpu, cfg: ResolvedTrainConfig) {
    this.gpu = gpu;
    this.config = cfg;
    const n = cfg.layout.count;
    const made: { destroy(): void }[] = [];
    const tensor = (label: string, size: number) => {
      const t = Tensor.zeros(gpu, [size], `train:${label}`);
      made.push(t);
      return t;
    };
    const arrays = (label: string): StateArrays => ({
      params: tensor(`${label}params`, n),
      m: tensor(`${label}m`, n),
      v: tensor(`${label}v`, n),
      vmax: tensor(`${label}vmax`, n),
    });
    try {
      this.state = arrays('');
      this.grads = tensor('grads', n);
      this.normSq = tensor('normSq', 1);
      this.lossLog = tensor('losses', cfg.lossEvery);
      this.good = { arrays: arrays('good.'), step: 0, b1t: 1, b2t: 1, valid: false };
      this.candidate = { arrays: arrays('candidate.'), step: 0, b1t: 1, b2t: 1, valid: false };
      this.net = new NetworkBuffers(gpu, cfg.layout, cfg.batch, true, 'train');
      made.push(this.net);
      this.task = new TaskBuffers(gpu, cfg, 'train');
      made.push(this.task);
      this.configUniform = configBuffer(gpu, 'train', cfg.optimizer);
    } catch (e) {
      for (const m of made) m.destroy();
      throw e;
    }
  }

  /**
   * A trainer for `config`, initialized from its seed, or from `checkpoint` when given.
   * Every check runs before any GPU allocation.
   * @throws InvalidArgumentError / ShapeError for a bad config or a checkpoint of another network
   */
  static async create(gpu: Gpu, config: TrainConfig, checkpoint?: Checkpoint): Promise<Trainer> {
    const op = 'Trainer.create';
    const cfg = resolveTrainConfig(op, config);
    if (checkpoint !== undefined) checkNetwork(op, cfg, checkpoint);
    await gpu.ready(op);
    const t = new Trainer(gpu, cfg);
    try {
      t.prepared = await prepare(gpu, t.stepLaunches());
      if (checkpoint) await t.load(checkpoint);
      else await t.initialize();
      await gpu.submit(op, (e) => t.task.encodeInputCopy(e, t.net));
      return t;
    } catch (e) {
      t.destroy();
      throw e;
    }
  }

  /** Steps taken. */
  get step(): number {
    return this.stepsTaken;
  }

  /** The current parameters (a Tensor the trainer owns; do not destroy). */
  get parameters(): Tensor {
    return this.state.params;
  }

  private stepLaunches(): Launch[] {
    const { gpu, config: cfg } = this;
    const input = this.task.inputLaunches(gpu, this.net, 0, 'train');
    this.batchIndex = input.length > 0 ? 0 : -1;
    const launches = [
      ...input,
      ...forwardLaunches(gpu, cfg.layout, this.net, this.state.params.buffer, 'train'),
      this.task.lossLaunch(gpu, this.net, 'train'),
      ...backwardLaunches(gpu, cfg.layout, this.net, this.state.params.buffer, this.grads.buffer, 'train'),
    ];
    this.updateIndex = launches.length + 1;
    launches.push(
      ...updateLaunches(gpu, 'train', cfg.layout.count, this.stepValues(1), {
        config: this.configUniform,
        normSq: this.normSq.buffer,
        grads: this.grads.buffer,
        x: this.state.params.buffer,
        m: this.state.m.buffer,
        v: this.state.v.buffer,
        vmax: this.state.vmax.buffer,
      }),
    );
    return launches;
  }

  private stepValues(t: number) {
    const cfg = this.config;
    return { lr: Math.fround(warmupCosineLr(cfg.optimizer.lr, cfg.schedule, t)), b1t: this.b1t, b2t: this.b2t, clipNorm: cfg.clipNorm };
  }

  /** Philox initialization of the parameters (init.wgsl); moments start at 0. */
  private async initialize(): Promise<void> {
    const layout = this.config.layout;
    const slots = new ArrayBuffer(16 * layout.slots.length);
    const view = new DataView(slots);
    layout.slots.forEach((s, k) => {
      view.setUint32(16 * k, s.offset, true);
      view.setUint32(16 * k + 4, s.size, true);
      view.setFloat32(16 * k + 8, s.initStd, true);
    });
    const wg = workgroupSize(this.gpu, 256);
    await launch(this.gpu, 'Trainer.init', (scope) =>
      scope.runAll([
        toDispatch({
          label: 'train:init',
          spec: INIT_KERNEL,
          constants: { WG: wg },
          uniform: { count: layout.count, slots: layout.slots.length, seed: this.config.seed, stream: TRAIN_STREAM.init },
          buffers: { slots: scope.upload('slots', slots), x: this.state.params.buffer },
          workgroups: groups(layout.count, wg),
        }),
      ]),
    );
  }

  /**
   * Takes `steps` steps. Reports progress after every loss readback.
   * @throws NonFiniteLossError when a loss is NaN or infinite (with the last good checkpoint)
   * @throws DOMException AbortError when `signal` aborts (between steps)
   */
  async run(steps: number, opts: RunOptions = {}): Promise<TrainProgress> {
    const op = 'Trainer.run';
    if (this.destroyed) throw new InvalidArgumentError(op, 'trainer', 'destroyed', 'a live Trainer');
    if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0 || steps > 1e7)
      throw new InvalidArgumentError(op, 'steps', steps, 'an integer in [0, 1e7]');
    if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function')
      throw new InvalidArgumentError(op, 'onProgress', opts.onProgress, 'a function');
    const { gpu, config: cfg } = this;
    gpu.assertAlive(op, this.grads.generation);
    const start = performance.now();
    let done = 0;
    let pending = 0;
    let last: TrainProgress = { step: this.stepsTaken, loss: NaN, losses: new Float32Array(0), stepsPerSecond: 0, elapsedMs: 0 };
    const o = cfg.optimizer;
    while (done < steps) {
      if (opts.signal?.aborted) throw new DOMException('training was aborted', 'AbortError');
      const t = this.stepsTaken;
      const snapshot = pending === 0;
      if (snapshot) Object.assign(this.candidate, { step: t, b1t: this.b1t, b2t: this.b2t });
      if (adamFamily(o.kind)) {
        this.b1t = Math.fround(this.b1t * o.beta1);
        this.b2t = Math.fround(this.b2t * o.beta2);
      }
      const queue = gpu.device.queue;
      if (this.batchIndex >= 0)
        queue.writeBuffer(this.prepared[this.batchIndex]!.params, 0, packFor(DDPM_BATCH_KERNEL, this.task.batchUniform(t)));
      queue.writeBuffer(
        this.prepared[this.updateIndex]!.params,
        0,
        packFor(UPDATE_KERNEL, updateUniform(cfg.layout.count, this.stepValues(t + 1))),
      );
      const slot = pending;
      await gpu.submit(op, (encoder) => {
        if (snapshot) this.copyArrays(encoder, this.state, this.candidate.arrays);
        encodeAll(gpu, encoder, op, this.prepared);
        encoder.copyBufferToBuffer(this.task.loss, 0, this.lossLog.buffer, slot * 4, 4);
      });
      this.stepsTaken += 1;
      pending += 1;
      done += 1;
      if (pending === cfg.lossEvery || done === steps) {
        const losses = (await this.lossLog.read()).slice(0, pending);
        await this.verify(losses);
        const elapsedMs = performance.now() - start;
        last = { step: this.stepsTaken, loss: losses[pending - 1]!, losses, stepsPerSecond: (done * 1000) / elapsedMs, elapsedMs };
        pending = 0;
        await opts.onProgress?.(last);
      }
    }
    return last;
  }

  /** Keeps the interval's snapshot if its first loss is finite; throws at the first non-finite loss. */
  private async verify(losses: Float32Array): Promise<void> {
    const bad = losses.findIndex((l) => !Number.isFinite(l));
    if (bad !== 0 && Number.isFinite(losses[0])) {
      this.candidate.valid = true;
      [this.good, this.candidate] = [this.candidate, this.good];
    }
    if (bad < 0) return;
    const step = this.stepsTaken - losses.length + bad;
    throw new NonFiniteLossError('Trainer.run', step, losses[bad]!, this.good.valid ? await this.readSnapshot(this.good) : null);
  }

  private copyArrays(encoder: GPUCommandEncoder, from: StateArrays, to: StateArrays): void {
    const bytes = this.config.layout.count * 4;
    for (const k of ARRAYS) encoder.copyBufferToBuffer(from[k].buffer, 0, to[k].buffer, 0, bytes);
  }

  private async readSnapshot(s: Snapshot): Promise<Checkpoint> {
    const cfg = this.config;
    const [params, m, v, vmax] = await Promise.all(ARRAYS.map((k) => s.arrays[k].read()));
    return {
      network: cfg.layout.spec,
      optimizer: cfg.optimizer,
      step: s.step,
      seed: cfg.seed,
      b1t: s.b1t,
      b2t: s.b2t,
      params: params!,
      m: m!,
      v: v!,
      vmax: vmax!,
    };
  }

  /** The current state as a checkpoint (reads parameters and moments back). */
  checkpoint(): Promise<Checkpoint> {
    return this.readSnapshot({ arrays: this.state, step: this.stepsTaken, b1t: this.b1t, b2t: this.b2t, valid: true });
  }

  /**
   * Replaces the state with `ck` (parameters, moments, step, β₁ᵗ, β₂ᵗ). The trainer's
   * own config (optimizer, seed, task) stays: continue with the config that made it to
   * take the same steps.
   * @throws ShapeError when the checkpoint's network is not this trainer's
   */
  async load(ck: Checkpoint): Promise<void> {
    const op = 'Trainer.load';
    checkNetwork(op, this.config, ck);
    await this.gpu.ready(op);
    for (const k of ARRAYS) {
      const a = ck[k];
      this.gpu.device.queue.writeBuffer(this.state[k].buffer, 0, a.buffer, a.byteOffset, a.byteLength);
    }
    this.stepsTaken = ck.step;
    this.b1t = ck.b1t;
    this.b2t = ck.b2t;
    this.good.valid = false;
    await this.gpu.done(op);
  }

  /** Frees every buffer; safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    releasePrepared(this.gpu, this.prepared);
    this.prepared = [];
    for (const s of [this.state, this.good.arrays, this.candidate.arrays]) for (const k of ARRAYS) s[k].destroy();
    this.grads.destroy();
    this.normSq.destroy();
    this.lossLog.destroy();
    this.net.destroy();
    this.task.destroy();
    this.gpu.release(this.configUniform);
  }
}

/** Throws unless `ck` is a checkpoint of `cfg`'s network. */
function checkNetwork(op: string, cfg: ResolvedTrainConfig, ck: Checkpoint): void {
  if (typeof ck !== 'object' || ck === null || !(ck.params instanceof Float32Array))
    throw new InvalidArgumentError(op, 'checkpoint', ck, 'a Checkpoint (from checkpoint() or checkpointFromJson)');
  const same = JSON.stringify(ck.network) === JSON.stringify(cfg.layout.spec);
  const n = cfg.layout.count;
  if (!same || ARRAYS.some((k) => ck[k]?.length !== n))
    throw new ShapeError(
      op,
      `the checkpoint is of network ${JSON.stringify(ck.network)}, this trainer's is ${JSON.stringify(cfg.layout.spec)}`,
      {
        checkpoint: [ck.params.length],
        trainer: [n],
      },
    );
}
