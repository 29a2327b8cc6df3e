/**
 * The diffusion data sets by name: 2-D point clouds and 16×16 glyph images, all
 * generated from a seed in the page (nothing downloaded).
 */
import { InvalidArgumentError } from '../problem/errors';
import { eightGaussians, heart, rings, swissRoll, twoMoons } from './points';
import { GLYPH_SIZE, glyphs } from './glyphs';

export { twoMoons, swissRoll, rings, eightGaussians, heart } from './points';
export { glyphs, GLYPH_SIZE, GLYPH_CLASSES, type GlyphClass } from './glyphs';

export interface DatasetInfo {
  readonly name: string;
  readonly title: string;
  readonly kind: 'points' | 'images';
  /** Values per sample: 2 for points, 256 for glyphs. */
  readonly dim: number;
  /** Training-set size the demos use by default. */
  readonly defaultSize: number;
  readonly make: (n: number, seed?: number) => Float32Array;
}

export const DATASETS = {
  'two-moons': { name: 'two-moons', title: 'Two moons', kind: 'points', dim: 2, defaultSize: 512, make: twoMoons },
  'swiss-roll': { name: 'swiss-roll', title: 'Swiss roll', kind: 'points', dim: 2, defaultSize: 512, make: swissRoll },
  rings: { name: 'rings', title: 'Concentric rings', kind: 'points', dim: 2, defaultSize: 512, make: rings },
  'eight-gaussians': { name: 'eight-gaussians', title: 'Eight Gaussians', kind: 'points', dim: 2, defaultSize: 512, make: eightGaussians },
  heart: { name: 'heart', title: 'Heart (drawn shape)', kind: 'points', dim: 2, defaultSize: 512, make: heart },
  glyphs: { name: 'glyphs', title: '16×16 glyphs', kind: 'images', dim: GLYPH_SIZE * GLYPH_SIZE, defaultSize: 64, make: glyphs },
} as const satisfies Record<string, DatasetInfo>;

export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

/** The data set called `name`, or `InvalidArgumentError` naming the choices. */
export function dataset(name: string): DatasetInfo {
  if (!Object.prototype.hasOwnProperty.call(DATASETS, name)) {
    throw new InvalidArgumentError('dataset', 'name', name, `one of ${DATASET_NAMES.join(', ')}`);
  }
  return DATASETS[name as DatasetName];
}
