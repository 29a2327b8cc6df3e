/**
 * What `<diffusion-steps>` exports besides its picture: the run's configuration, backend and
 * timing with the samples of the shown step, as JSON; and the downloads of the export buttons.
 */
import { download, toJsonText } from '../export';
import type { DiffusionFrame, DiffusionResult } from './run';

/** The run `r` with recorded step `i` of `frames` (of the process `mode`), as JSON text. */
export function samplesJson(r: DiffusionResult, mode: 'reverse' | 'forward', frames: DiffusionFrame[], i: number): string {
  return toJsonText({
    config: r.config,
    backend: r.backend,
    n: r.n,
    dim: r.dim,
    mode,
    frame: i,
    t: frames[i]!.t,
    ms: r.ms,
    medianNearest: r.medianNearest,
    trainSpacing: r.trainSpacing,
    x: frames[i]!.x,
  });
}

/** What the export buttons need of the element. */
export interface DiffusionExporter {
  readonly result: DiffusionResult | null;
  exportSvg(): string;
  exportPng(): Promise<Blob>;
  exportJson(): string;
}

/** Offers an export as a download, named after the data set: `diffusion-two-moons.svg`, say. */
export async function downloadDiffusion(el: DiffusionExporter, kind: 'svg' | 'png' | 'json'): Promise<void> {
  const name = `diffusion-${el.result?.config.dataset ?? 'steps'}`;
  if (kind === 'svg') download(`${name}.svg`, el.exportSvg(), 'image/svg+xml');
  else if (kind === 'png') download(`${name}.png`, await el.exportPng());
  else download(`${name}.json`, el.exportJson(), 'application/json');
}
