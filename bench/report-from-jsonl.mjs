// @ts-check
/**
 * The report files of a run folder (report.md, results.csv and the SVG plots), built
 * in Node by src/bench's report builders from the records: at the end of a run, and
 * by `npm run bench -- --report DIR` from any results.jsonl, without a browser. A
 * truncated last line (a run killed while appending it) is skipped with a warning.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchCliError } from './errors.mjs';
import { loadShared } from './modules.mjs';
import { resolveRunFolder } from './run-dir.mjs';

/**
 * @typedef {import('./shared').BenchRecord} BenchRecord
 * @typedef {import('./shared').BenchEnvironment} BenchEnvironment
 * @typedef {{ command?: string, planned?: number, startedAt?: string, outcome?: string }} RunInfo
 */

/**
 * Whether `x` looks like a record: an object with a string id, suite and status.
 * @param {unknown} x
 * @returns {x is BenchRecord}
 */
function isRecord(x) {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const r = /** @type {Record<string, unknown>} */ (x);
  return typeof r.id === 'string' && typeof r.suite === 'string' && typeof r.status === 'string';
}

/**
 * Parses the text of a results.jsonl. A bad last line is skipped with a warning (a
 * killed run can leave one half-written); a bad line before it is an error.
 * @param {string} text
 * @param {string} [file] the file's name, for messages
 * @returns {{ records: BenchRecord[], warnings: string[] }}
 * @throws {BenchCliError} naming the file and line of a bad line that is not the last
 */
export function parseResults(text, file = 'results.jsonl') {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]?.trim() === '') last--;
  /** @type {BenchRecord[]} */
  const records = [];
  /** @type {string[]} */
  const warnings = [];
  for (let i = 0; i <= last; i++) {
    const line = /** @type {string} */ (lines[i]).trim();
    if (line === '') continue;
    /** @type {unknown} */
    let value;
    let problem = '';
    try {
      value = JSON.parse(line);
      if (!isRecord(value)) problem = 'is not a benchmark record (an object with id, suite and status)';
    } catch (e) {
      problem = `is not JSON (${/** @type {Error} */ (e).message})`;
    }
    if (!problem) {
      records.push(/** @type {BenchRecord} */ (value));
      continue;
    }
    if (i < last) throw new BenchCliError(file, `line ${i + 1} ${problem}`);
    warnings.push(`${file}: skipped line ${i + 1}, the last one: it ${problem}; a run killed while writing it leaves such a line`);
  }
  return { records, warnings };
}

/**
 * Reads a JSON file if it is there; a missing or unreadable one gives null and a warning.
 * @param {string} file
 * @param {string[]} warnings
 * @returns {any}
 */
function readJsonIfThere(file, warnings) {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    warnings.push(`${file}: ignored, it is not JSON (${/** @type {Error} */ (e).message})`);
    return null;
  }
}

/**
 * Writes report.md, results.csv and the SVG plots of `records` into `dir`.
 * @param {string} dir
 * @param {{ records: readonly BenchRecord[], env: BenchEnvironment | null, command?: string, note?: string }} run
 * @returns {Promise<string[]>} the names of the files written
 */
export async function writeReportFiles(dir, run) {
  const shared = await loadShared();
  /** @type {Record<string, string>} */
  const files = {
    'report.md': shared.markdownReport(run.records, run.env, run.command ?? '', run.note ?? ''),
    'results.csv': shared.toCsv(run.records),
    ...shared.allPlots(run.records),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return Object.keys(files);
}

/**
 * `--report DIR`: rebuilds the report files of the run in `dir` (or of the latest
 * run, when `dir` is a `--out` folder) from its results.jsonl, environment.json and
 * run.json.
 * @param {string} dir
 * @param {(line: string) => void} log
 * @returns {Promise<{ folder: string, records: number, files: string[] }>}
 * @throws {BenchCliError} when there is no results.jsonl, a bad line before the last, or no record
 */
export async function rebuildReport(dir, log) {
  const folder = resolveRunFolder(dir);
  const jsonl = join(folder, 'results.jsonl');
  const { records, warnings } = parseResults(readFileSync(jsonl, 'utf8'), jsonl);
  const env = /** @type {BenchEnvironment | null} */ (readJsonIfThere(join(folder, 'environment.json'), warnings));
  const info = /** @type {RunInfo | null} */ (readJsonIfThere(join(folder, 'run.json'), warnings));
  for (const w of warnings) log(`warning: ${w}`);
  if (records.length === 0) throw new BenchCliError(jsonl, 'has no records to report');
  const of = typeof info?.planned === 'number' ? ` of ${info.planned} planned` : '';
  const outcome =
    info?.outcome === 'running'
      ? '; the run did not finish: it was killed, or is still running'
      : info?.outcome && info.outcome !== 'done'
        ? `; the run was ${info.outcome}`
        : '';
  const cases = `${records.length}${of} case${records.length === 1 && !of ? '' : 's'}`;
  const note = `rebuilt from results.jsonl (${cases}${outcome}) by npm run bench -- --report`;
  const files = await writeReportFiles(folder, { records, env, command: info?.command ?? '', note });
  return { folder, records: records.length, files };
}
