/**
 * Playback of `<loss-landscape>`'s race: moves the element's shown step (`frame`) on a timer
 * (about 150 frames whatever the step count, 40 ms apart), one step at a time, or back to 0.
 * A controller, so the timer stops when the element leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LandscapeResult } from './compute';

/** What playback reads and moves on the element. */
export interface PlaybackHost extends ReactiveControllerHost {
  result: LandscapeResult | null;
  frame: number;
  playing: boolean;
}

export class RacePlayback implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly host: PlaybackHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.pause();
  }

  /** Plays the race from the current frame (from 0 when at the end). */
  play(): void {
    const r = this.host.result;
    if (!r) return;
    const host = this.host;
    const last = r.shape[2] - 1;
    if (host.frame >= last) host.frame = 0;
    this.pause();
    host.playing = true;
    const stride = Math.max(1, Math.round(last / 150));
    this.timer = setInterval(() => {
      host.frame = Math.min(last, host.frame + stride);
      if (host.frame >= last) this.pause();
    }, 40);
  }

  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.host.playing = false;
  }

  /** Advances one step. */
  step(): void {
    const r = this.host.result;
    if (!r) return;
    this.pause();
    this.host.frame = Math.min(r.shape[2] - 1, this.host.frame + 1);
  }

  /** Back to step 0. */
  rewind(): void {
    this.pause();
    this.host.frame = 0;
  }
}
