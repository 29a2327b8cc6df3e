// @ts-check
/**
 * The CLI's tuning file (`--tune [FILE]`, default bench-results/tuning.json): every
 * record of the kernels' tuning table as a JSON array (src/gpu/tuning.ts's
 * `TuningRecord`, keyed by adapter, kernel, shape class and WGSL hash, so one file can
 * hold several adapters and a stale record is never used). Written atomically (a
 * temporary file renamed over the old one), so an interrupted run never leaves half
 * a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a tuning file if it is there.
 * @param {string} file
 * @returns {{ records: unknown[] | null, warning: string | null }} records null when the file is missing or unusable (then `warning` says why)
 */
export function readTuningFile(file) {
  if (!existsSync(file)) return { records: null, warning: null };
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { records: null, warning: `${file} is not JSON (${/** @type {Error} */ (e).message}); it is ignored` };
  }
  if (!Array.isArray(data)) return { records: null, warning: `${file} is not a JSON array of tuning records; it is ignored` };
  return { records: data, warning: null };
}

/**
 * Writes the records to `file` (creating its folder), replacing it atomically.
 * @param {string} file
 * @param {readonly unknown[]} records
 */
export function writeTuningFile(file, records) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(records, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * One line on a finished tune() call, for the progress log.
 * @param {{ kernel: string, shapeClass: string, candidates: { correct: boolean }[], record: { config: unknown, ms: number, defaultMs: number | null, measuredOn: string } | null }} r
 * @param {(config: unknown) => string} label the configuration's label
 * @param {number} seconds how long it took
 */
export function describeTuneResult(r, label, seconds) {
  const correct = r.candidates.filter((c) => c.correct).length;
  const tried = `${correct} of ${r.candidates.length} candidates correct, ${seconds.toFixed(1)} s`;
  if (!r.record) return `tuning ${r.kernel} ${r.shapeClass}: no candidate passed the reference check (${tried}); the shipped default stays`;
  const ms = (/** @type {number} */ x) => x.toPrecision(3);
  const def = r.record.defaultMs;
  const gain = def === null ? 'the default failed its check' : `default ÷ tuned time ${(def / r.record.ms).toFixed(2)}`;
  return `tuning ${r.kernel} ${r.shapeClass}: ${label(r.record.config)}, ${ms(r.record.ms)} ms against the default's ${def === null ? '—' : `${ms(def)} ms`} on ${r.record.measuredOn} (${gain}; ${tried})`;
}
