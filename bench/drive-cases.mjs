// @ts-check
/**
 * The case loop both bench runtimes share (bench/cli.mjs in Chrome, bench/node-runner.mjs
 * on Dawn): one case at a time, each record appended to results.jsonl as it finishes
 * (kept even when Ctrl-C arrived while it ran), then the report written as the run ended:
 * done (exit 0), interrupted (130) or failed (the error is rethrown).
 */
import { appendFileSync } from 'node:fs';

/**
 * A failed record for a case the harness could not run (a timeout, a dead page).
 * @template {object} C
 * @param {C} c the case
 * @param {string} reason
 * @param {number} t0 when the case started (Date.now())
 */
export function harnessFailure(c, reason, t0) {
  return {
    ...c,
    status: 'failed',
    errorName: 'BenchHarnessError',
    reason,
    elapsedMs: Date.now() - t0,
    flops: 0,
    bytes: 0,
    intensity: 0,
    finishedAt: new Date().toISOString(),
  };
}

/**
 * @template {{ id: string }} C
 * @template {{ status: string }} R
 * @param {{
 *   cases: readonly C[],
 *   runOne: (c: C) => Promise<R>,
 *   records: R[],
 *   jsonl: string,
 *   progress: { starting(i: number, id: string): void, finished(i: number, r: R): void } | null,
 *   interrupt: { requested: boolean },
 *   setInFlight: (id: string) => void,
 *   finish: (outcome: 'done' | 'interrupted' | 'failed', note?: string) => Promise<void>,
 *   shown: string,
 *   log: (s: string) => void,
 *   say: (s: string) => void,
 * }} run
 * @returns {Promise<number>} the exit status
 */
export async function driveCases(run) {
  const { cases, records, interrupt, finish, shown, log } = run;
  try {
    for (const [i, c] of cases.entries()) {
      if (interrupt.requested) break;
      run.progress?.starting(i, c.id);
      run.setInFlight(c.id);
      const record = await run.runOne(c);
      run.setInFlight('');
      records.push(record);
      appendFileSync(run.jsonl, `${JSON.stringify(record)}\n`);
      run.progress?.finished(i, record);
    }
    if (interrupt.requested) {
      await finish('interrupted', `interrupted after ${records.length} cases`);
      run.say(`interrupted: ${records.length} of ${cases.length} cases kept; report written to ${shown}`);
      return 130;
    }
    await finish('done');
    const failed = records.filter((r) => r.status !== 'ok').length;
    log(
      `done: ${records.length} cases (${failed} failed) in ${shown}: results.jsonl, report.md, results.csv, environment.json and the SVG plots`,
    );
    return 0;
  } catch (e) {
    const reason = /** @type {Error} */ (e).message ?? String(e);
    await finish('failed', `the run stopped after ${records.length} cases: ${reason}`).catch((e2) =>
      log(`could not write the report: ${e2.message}`),
    );
    throw e;
  }
}
