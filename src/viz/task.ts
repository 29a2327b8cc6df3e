/**
 * `GpuTask`: the one reactive controller that runs an element's GPU (or CPU fallback) work,
 * outside `render()`. Every element uses it.
 *
 * - It holds the page's shared device while its host is connected (`acquireGpu` /
 *   `releaseGpu`, taken at the first run), unless the host gives its own `Gpu` or asks for the CPU.
 * - At each host update (after `willUpdate`, so the host can prepare its inputs there) it asks
 *   the host for a key of the inputs; when the key changes it aborts the run in flight (its
 *   result is dropped) and starts a new one. Abort also comes with disconnection; a run cut
 *   short that way starts again when the host is connected again.
 * - The host reads `status`, `value`, `error`, `progress` and `cpuReason` in `render()`; a failed
 *   run keeps the last good `value`, so an element can show the error and its last good state.
 * - `complete` resolves when every run started so far has settled (superseded ones included:
 *   their GPU work may still hold buffers), which is what an element's `settled()` awaits.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Gpu } from '../gpu/device';
import { acquireGpu, gpuUnavailableReason, releaseGpu } from './shared-gpu';

export type TaskStatus = 'idle' | 'pending' | 'done' | 'error';

/** What a run gets besides the device and the abort signal. */
export interface RunContext {
  /** Why the CPU runs (null on the GPU). */
  cpuReason: string | null;
  /** Reports progress in [0, 1] (the host is asked to render). */
  progress(fraction: number): void;
}

export interface GpuTaskConfig<T> {
  /** A string naming the inputs, or null when there is nothing to compute. */
  key: () => string | null;
  /** The work; `gpu` is null when there is no WebGPU (or the host asked for the CPU). */
  run: (gpu: Gpu | null, signal: AbortSignal, context: RunContext) => Promise<T>;
  /** An explicit device (tests, pages with their own), or 'cpu', or undefined for the shared one. */
  device?: () => Gpu | 'cpu' | null | undefined;
  /** Called after a run settles (for events). */
  onSettled?: (status: 'done' | 'error', value: T | null, error: unknown) => void;
}

export class GpuTask<T> implements ReactiveController {
  status: TaskStatus = 'idle';
  value: T | null = null;
  error: unknown = null;
  /** Progress of the run in flight, in [0, 1]. */
  progress = 0;
  /** Why the run used the CPU, when it did. */
  cpuReason: string | null = null;
  private readonly host: ReactiveControllerHost;
  private readonly config: GpuTaskConfig<T>;
  private shared: Promise<Gpu | null> | null = null;
  private lastKey: string | null = null;
  private controller: AbortController | null = null;
  /** Runs not yet settled, superseded ones included (their GPU work still holds buffers). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(host: ReactiveControllerHost, config: GpuTaskConfig<T>) {
    this.host = host;
    this.config = config;
    host.addController(this);
    // An element of the kit waits for this task in its `settled()`.
    (host as Partial<{ registerTask(task: GpuTask<unknown>): void }>).registerTask?.(this as GpuTask<unknown>);
  }

  hostConnected(): void {
    this.lastKey = null;
  }

  hostDisconnected(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.status === 'pending') this.status = this.value === null ? 'idle' : 'done';
    if (this.shared) {
      this.shared = null;
      releaseGpu();
    }
  }

  hostUpdate(): void {
    const key = this.config.key();
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.controller?.abort();
    this.controller = null;
    if (key === null) return;
    const controller = new AbortController();
    this.controller = controller;
    this.status = 'pending';
    this.progress = 0;
    const run = this.start(controller.signal);
    this.inFlight.add(run);
    const done = () => void this.inFlight.delete(run);
    run.then(done, done);
  }

  /** Runs the current inputs again at the next update, even if their key is unchanged. */
  rerun(): void {
    this.lastKey = null;
    this.host.requestUpdate();
  }

  /** Resolves when every run started so far (superseded ones included) has settled. */
  get complete(): Promise<void> {
    return Promise.allSettled([...this.inFlight]).then(() => undefined);
  }

  /** Whether a run (or a superseded one) is still in flight. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  private async device(): Promise<Gpu | null> {
    const own = this.config.device?.();
    if (own === 'cpu' || own === null) {
      this.cpuReason = 'the CPU reference was requested';
      return null;
    }
    if (own) {
      this.cpuReason = null;
      return own;
    }
    if (!this.shared) this.shared = acquireGpu();
    const gpu = await this.shared;
    this.cpuReason = gpu ? null : `no WebGPU here (${gpuUnavailableReason() ?? 'unknown reason'})`;
    return gpu;
  }

  private async start(signal: AbortSignal): Promise<void> {
    // Let the update that started us finish first.
    await Promise.resolve();
    let value: T | null = null;
    let error: unknown = null;
    try {
      const gpu = await this.device();
      if (signal.aborted) return;
      const context: RunContext = {
        cpuReason: this.cpuReason,
        progress: (f) => {
          if (signal.aborted) return;
          this.progress = f;
          this.host.requestUpdate();
        },
      };
      value = await this.config.run(gpu, signal, context);
    } catch (e) {
      error = e;
    }
    if (signal.aborted || (error as Error | null)?.name === 'AbortError') return;
    if (error === null) {
      this.status = 'done';
      this.progress = 1;
      this.value = value;
      this.error = null;
    } else {
      this.status = 'error';
      this.error = error;
    }
    this.host.requestUpdate();
    this.config.onSettled?.(this.status as 'done' | 'error', this.value, this.error);
  }
}
