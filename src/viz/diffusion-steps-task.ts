/**
 * The reactive controller of `<diffusion-steps>`: it holds the page's shared GPU
 * (or learns there is none), runs one configuration at a time off the render path,
 * aborts a superseded run, and reports progress, the result or the error to its host.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Gpu } from '../gpu/device';
import { acquireGpu, gpuUnavailableReason, releaseGpu } from './shared-gpu';
import { configKey, runDiffusion, type DiffusionConfig, type DiffusionResult } from './diffusion-steps-run';

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

export interface DiffusionTaskCallbacks {
  onResult(result: DiffusionResult): void;
  onError(message: string): void;
}

export class DiffusionTask implements ReactiveController {
  status: RunStatus = 'idle';
  progress = 0;
  /** The key of the configuration last started. */
  key: string | null = null;
  /** A `Gpu` given by the host instead of the shared one; `null` forces the CPU. */
  override: Gpu | null | undefined = undefined;
  private readonly host: ReactiveControllerHost;
  private readonly callbacks: DiffusionTaskCallbacks;
  private gpu: Promise<Gpu | null> | null = null;
  private abort: AbortController | null = null;
  /** Runs not yet settled, superseded ones included (their GPU work still holds buffers). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(host: ReactiveControllerHost, callbacks: DiffusionTaskCallbacks) {
    this.host = host;
    this.callbacks = callbacks;
    host.addController(this);
  }

  hostConnected(): void {
    this.gpu ??= acquireGpu();
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.abort = null;
    if (this.gpu) releaseGpu();
    this.gpu = null;
    // A run cut short by disconnection starts again when the element returns.
    if (this.status === 'running') this.key = null;
  }

  /** Starts `config` unless it is the configuration already started. */
  run(config: DiffusionConfig, force = false): void {
    const key = configKey(config) + (this.override === null ? '|cpu' : '');
    if (!force && key === this.key) return;
    this.key = key;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.status = 'running';
    this.progress = 0;
    this.host.requestUpdate();
    const running = this.execute(config, abort);
    this.inFlight.add(running);
    const done = () => void this.inFlight.delete(running);
    running.then(done, done);
  }

  /** Resolves when every run started so far (superseded ones included) has settled. */
  get complete(): Promise<void> {
    return Promise.allSettled([...this.inFlight]).then(() => undefined);
  }

  /** Whether a run (or a superseded one) is still in flight. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  private async execute(config: DiffusionConfig, abort: AbortController): Promise<void> {
    try {
      const gpu = this.override !== undefined ? this.override : await (this.gpu ?? acquireGpu());
      const reason = gpu ? null : this.override === null ? 'the CPU backend was requested' : (gpuUnavailableReason() ?? 'no WebGPU');
      const result = await runDiffusion(config, gpu, reason, {
        signal: abort.signal,
        onProgress: (f) => {
          if (abort.signal.aborted) return;
          this.progress = f;
          this.host.requestUpdate();
        },
      });
      if (abort.signal.aborted) return;
      this.status = 'done';
      this.progress = 1;
      this.callbacks.onResult(result);
    } catch (e) {
      if (abort.signal.aborted || (e as Error)?.name === 'AbortError') return;
      this.status = 'error';
      this.key = null;
      this.callbacks.onError(`${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`);
    } finally {
      if (this.abort === abort) this.abort = null;
      this.host.requestUpdate();
    }
  }
}
