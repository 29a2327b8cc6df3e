/**
 * The roofline suite's search over a probe's configurations: each candidate is first
 * checked for a correct output, then warmed up (its pipeline is built) and timed a
 * few times; the fastest correct one wins (ties go to the earlier candidate, as in
 * the tuner: src/tune/select.ts). The winner is then measured like any case.
 */
import { median, pickFastest, type CandidateResult } from '../tune/select';
import { describeError } from './runner';
import type { RunConfig } from './types';

/** Timed calls per candidate during the search (after one warm-up call). */
export const PROBE_SEARCH_REPEATS = 3;

/** How to try one probe's configurations. */
export interface ProbeSearch<C> {
  candidates: readonly C[];
  /** A short name for tables, e.g. "WG 256 · 4 vec4/invocation". */
  label(config: C): string;
  /** Runs the configuration on a small case: null when right, else why not. */
  check(config: C): Promise<string | null>;
  /** One call at the case's size, in ms (its output freed). */
  time(config: C): Promise<number>;
  /** Timed calls per candidate (default PROBE_SEARCH_REPEATS). */
  repeats?: number;
}

/** The search's outcome: the winner, and every candidate's median (or why it was left out). */
export interface ProbeSearchResult<C> {
  best: C;
  config: RunConfig;
}

/**
 * Tries every candidate and returns the fastest correct one.
 * @throws Error when no candidate is correct, naming each one's reason.
 */
export async function searchProbe<C extends object>(search: ProbeSearch<C>): Promise<ProbeSearchResult<C>> {
  const repeats = search.repeats ?? PROBE_SEARCH_REPEATS;
  const results: CandidateResult<C>[] = [];
  for (const config of search.candidates) {
    const r: CandidateResult<C> = { config, correct: false, times: [] };
    try {
      const wrong = await search.check(config);
      if (wrong) r.reason = wrong;
      else {
        r.correct = true;
        await search.time(config);
        for (let i = 0; i < repeats; i++) r.times.push(await search.time(config));
      }
    } catch (e) {
      const { errorName, reason } = describeError(e);
      r.correct = false;
      r.times = [];
      r.reason = `${errorName}: ${reason}`;
    }
    results.push(r);
  }
  const candidates = results.map((r) => ({
    label: search.label(r.config),
    medianMs: r.correct && r.times.length ? median(r.times) : null,
    ...(r.reason ? { reason: r.reason } : {}),
  }));
  const best = pickFastest(results);
  if (best < 0) throw new Error(`no probe configuration ran correctly: ${candidates.map((c) => `${c.label}: ${c.reason}`).join('; ')}`);
  const winner = results[best]!.config;
  return {
    best: winner,
    config: {
      label: `${search.label(winner)} (fastest of ${results.length})`,
      values: { ...(winner as Record<string, unknown>) },
      tuned: true,
      candidates,
    },
  };
}
