/**
 * Running a fuzz property with a fixed number of runs and a replayable seed, for the
 * kernel fuzzer (browser) and the validation fuzzer (Node).
 *
 * - KS_FUZZ_SEED: the seed of every property (default `DEFAULT_FUZZ_SEED`, so `npm test`
 *   is deterministic); set another to explore.
 * - KS_FUZZ_PATH: `<property>:<path>` replays that property's counterexample (the others
 *   run as usual); a bare `<path>` applies to every property (pair it with `-t`).
 * - KS_FUZZ_SCALE: multiplies every property's runs (default 1), for a longer exploration.
 *
 * A failure throws with the seed, the counterexample (shrunk), the broken invariant and
 * the command that replays it.
 */
import fc from 'fast-check';

/** A broken invariant, in words, or null when the case passed. */
export type Verdict = string | null;

export const DEFAULT_FUZZ_SEED = 20_261_201;

/** The seed of this run: KS_FUZZ_SEED, else the default. */
export function fuzzSeed(): number {
  const raw = process.env.KS_FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_FUZZ_SEED;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`KS_FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}

/** Runs per property: `numRuns` times KS_FUZZ_SCALE (default 1). */
export function fuzzRuns(numRuns: number): number {
  const scale = Number(process.env.KS_FUZZ_SCALE ?? 1);
  if (!(scale > 0)) throw new Error(`KS_FUZZ_SCALE must be a positive number, got ${JSON.stringify(process.env.KS_FUZZ_SCALE)}`);
  return Math.max(1, Math.round(numRuns * scale));
}

/** The replay path for property `name`, if KS_FUZZ_PATH names one. */
export function fuzzPath(name: string): string | undefined {
  const raw = process.env.KS_FUZZ_PATH;
  if (!raw) return undefined;
  if (raw.startsWith(`${name}:`)) return raw.slice(name.length + 1);
  return /^[\d:]+$/.test(raw) ? raw : undefined;
}

/**
 * Checks `check` on `numRuns` cases of `cases` (seeded). On a failure, fast-check shrinks
 * the case and this throws a report naming the seed, path and replay command.
 */
export async function runFuzz<T>(
  name: string,
  cases: fc.Arbitrary<T>,
  numRuns: number,
  check: (c: T) => Verdict | Promise<Verdict>,
): Promise<void> {
  const seed = fuzzSeed();
  const path = fuzzPath(name);
  const property = fc.asyncProperty(cases, async (c) => {
    const problem = await check(c);
    if (problem !== null) throw new Error(problem);
  });
  const details = await fc.check(property, { seed, path, numRuns: fuzzRuns(numRuns), endOnFailure: path !== undefined });
  if (details.failed) {
    const report = await fc.asyncDefaultReportMessage(details);
    const broken = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `fuzz property '${name}' failed (seed ${details.seed}): ${broken}\n${report}\n\n` +
        `Replay: KS_FUZZ_SEED=${details.seed} KS_FUZZ_PATH='${name}:${details.counterexamplePath}' npx vitest run <this file>`,
    );
  }
}
