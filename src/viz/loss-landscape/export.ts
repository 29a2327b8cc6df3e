/**
 * What `<loss-landscape>` exports besides its picture: the configuration and every trajectory
 * as plain data, and the downloads of the SVG / PNG / JSON buttons.
 */
import { download, toJsonText } from '../export';
import { pathOffset, type LandscapeResult } from './compute';

/** The configuration and every trajectory (each point `[x, y, loss]`), as plain data. */
export function trajectoriesJson(r: LandscapeResult | null): object {
  if (!r) return { trajectories: [] };
  const [nOpt, nStarts, P] = r.shape;
  const trajectories = [];
  for (let o = 0; o < nOpt; o++) {
    for (let s = 0; s < nStarts; s++) {
      const points: number[][] = [];
      const base = pathOffset(r, o, s, 0);
      for (let t = 0; t < P; t++) points.push([r.paths[base + 3 * t]!, r.paths[base + 3 * t + 1]!, r.paths[base + 3 * t + 2]!]);
      trajectories.push({ optimizer: r.config.optimizers[o], start: r.config.starts[s], points });
    }
  }
  return {
    mode: r.config.mode,
    surface: r.config.mode === 'analytic' ? r.config.surface : 'mlp-slice',
    steps: r.config.steps,
    backend: r.backend,
    trajectories,
  };
}

/** What the export buttons need of the element. */
export interface LandscapeExporter {
  exportSvg(): string;
  exportPng(): Promise<Blob>;
  exportJson(): object;
}

/** Offers the element's SVG, PNG or trajectories JSON as a download. */
export async function downloadLandscape(el: LandscapeExporter, kind: 'svg' | 'png' | 'json'): Promise<void> {
  if (kind === 'svg') download('loss-landscape.svg', el.exportSvg(), 'image/svg+xml');
  else if (kind === 'png') download('loss-landscape.png', await el.exportPng());
  else download('trajectories.json', toJsonText(el.exportJson()), 'application/json');
}
