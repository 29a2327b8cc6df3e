/**
 * Which tuned configurations a plan consults, so `--tune` (and the page's Tune
 * button) tunes exactly those: matmul's `auto` cases by shape class, flash
 * attention by head-dim bucket and mask, softmax by row length. Pure: the
 * shape-class rules are passed in (the kernels own them).
 */
import type { BenchCase } from './types';

/** One (kernel family, shape class) the plan's cases look up, and the cases that do. */
export interface TuningNeed {
  kernel: string;
  shapeClass: string;
  cases: string[];
}

/** The family and shape class a case consults, or null when it consults none. */
export type TuningClassifier = (c: BenchCase) => { kernel: string; shapeClass: string } | null;

/**
 * The (kernel, shape class) pairs of `cases`, in plan order, and the cases whose class
 * the tuner cannot tune (with why).
 * @param tunable the tuner's families and their shape classes (`tunableKernels()`)
 */
export function tuningNeeds(
  cases: readonly BenchCase[],
  classify: TuningClassifier,
  tunable: Readonly<Record<string, readonly string[]>>,
): { needs: TuningNeed[]; skipped: string[] } {
  const needs: TuningNeed[] = [];
  const skipped: string[] = [];
  for (const c of cases) {
    if (c.provider !== 'kernelscope') continue;
    const k = classify(c);
    if (!k) continue;
    if (!Object.hasOwn(tunable, k.kernel) || !tunable[k.kernel]!.includes(k.shapeClass)) {
      skipped.push(`${c.id}: the tuner has no ${k.kernel} class '${k.shapeClass}'`);
      continue;
    }
    const need = needs.find((n) => n.kernel === k.kernel && n.shapeClass === k.shapeClass);
    if (need) need.cases.push(c.id);
    else needs.push({ ...k, cases: [c.id] });
  }
  return { needs, skipped };
}

/** The tuning case's size: small in quick runs, else the tuner's own default (matmul 512, attention 1024). */
export function tuneSize(quick: boolean): number | undefined {
  return quick ? 256 : undefined;
}
