// @ts-check
/**
 * Where a run writes. Under `--out` every run gets a new folder named by its UTC
 * start time, and the link `latest` is swapped atomically to point at it, so no run
 * ever touches an earlier one. `--run-dir` names an exact folder, which must be
 * empty unless `--overwrite` is given. `checkOutputFolder` only reads: the CLI calls
 * it with the rest of the plan, before anything is written.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { BenchCliError } from './errors.mjs';

/** Every file a run writes into its folder (`--overwrite` replaces these and nothing else). */
export const RUN_OUTPUTS = Object.freeze([
  'results.jsonl',
  'run.json',
  'report.md',
  'results.csv',
  'environment.json',
  'time-vs-n.svg',
  'memory-vs-n.svg',
  'roofline.svg',
]);

/** The link in `--out` to the newest run, and the text file used where links are not allowed. */
export const LATEST_LINK = 'latest';
export const LATEST_FILE = 'LATEST';

/**
 * A run folder's name: the UTC time to the second, safe in file names everywhere
 * (`2026-12-01T15-04-05Z`).
 * @param {Date} date
 */
export function runFolderName(date) {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

/**
 * Checks, without writing, that the run can write where `opts` says.
 * @param {{ out: string, runDir?: string, overwrite: boolean }} opts
 * @throws {BenchCliError} when `--out` is not a folder, or `--run-dir` is a file or a non-empty folder without `--overwrite`
 */
export function checkOutputFolder(opts) {
  if (opts.runDir !== undefined) {
    const dir = resolve(opts.runDir);
    if (!existsSync(dir)) return;
    if (!statSync(dir).isDirectory()) throw new BenchCliError('--run-dir', `'${opts.runDir}' exists and is not a folder`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !opts.overwrite) {
      const shown = entries.slice(0, 4).join(', ') + (entries.length > 4 ? `, … (${entries.length} entries)` : '');
      throw new BenchCliError(
        '--run-dir',
        `'${opts.runDir}' is not empty (${shown}); give --overwrite to replace a run's files there, or use --out for a new timestamped folder`,
      );
    }
    return;
  }
  const out = resolve(opts.out);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new BenchCliError('--out', `'${opts.out}' exists and is not a folder`);
}

/**
 * Creates a new, empty run folder under `parent`, named by `now` (with `-2`, `-3`, …
 * when a run started in the same second already has that name).
 * @param {string} parent
 * @param {Date} [now]
 * @returns {{ dir: string, name: string }}
 */
export function createRunFolder(parent, now = new Date()) {
  mkdirSync(parent, { recursive: true });
  const base = runFolderName(now);
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    const dir = join(parent, name);
    try {
      mkdirSync(dir);
      return { dir, name };
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Makes `dir` ready as an exact run folder: created if missing; with `overwrite`,
 * the files of an earlier run there are removed (and nothing else).
 * @param {string} dir
 * @param {boolean} overwrite
 * @returns {string} `dir`
 */
export function claimRunFolder(dir, overwrite) {
  mkdirSync(dir, { recursive: true });
  if (overwrite) for (const f of RUN_OUTPUTS) rmSync(join(dir, f), { force: true });
  else if (readdirSync(dir).length > 0) throw new BenchCliError('--run-dir', `'${dir}' is not empty (did another run just start there?)`);
  return dir;
}

/**
 * The file-system calls `pointLatest` makes (replaceable in tests).
 * @typedef {{ symlinkSync: typeof symlinkSync, renameSync: typeof renameSync, writeFileSync: typeof writeFileSync, rmSync: typeof rmSync }} LatestFs
 */

/** @type {LatestFs} */
const realFs = { symlinkSync, renameSync, writeFileSync, rmSync };

/**
 * Points `parent/latest` at the run folder `name`: a new relative link is made
 * beside it and renamed over the old one, so a reader sees the old or the new
 * link, never none. Where links fail (some Windows setups, some mounts), the name
 * goes into `parent/LATEST` instead, also by rename.
 * @param {string} parent
 * @param {string} name the run folder's name inside `parent`
 * @param {LatestFs} [fs]
 * @returns {string} the path written: the link, or the LATEST file
 */
export function pointLatest(parent, name, fs = realFs) {
  const tag = `${process.pid}-${Date.now()}`;
  const link = join(parent, LATEST_LINK);
  const tmpLink = join(parent, `.${LATEST_LINK}-${tag}`);
  try {
    fs.symlinkSync(name, tmpLink, 'dir');
    fs.renameSync(tmpLink, link);
    // A LATEST file left by a run that could not link would now be stale.
    fs.rmSync(join(parent, LATEST_FILE), { force: true });
    return link;
  } catch {
    fs.rmSync(tmpLink, { force: true });
    const file = join(parent, LATEST_FILE);
    const tmpFile = join(parent, `.${LATEST_FILE}-${tag}`);
    fs.writeFileSync(tmpFile, `${name}\n`);
    fs.renameSync(tmpFile, file);
    return file;
  }
}

/**
 * The run folder `dir` stands for: itself when it holds results.jsonl, else the
 * run its `latest` link or LATEST file points at (a `--out` folder).
 * @param {string} dir
 * @returns {string}
 * @throws {BenchCliError} when neither holds a results.jsonl
 */
export function resolveRunFolder(dir) {
  const abs = resolve(dir);
  if (existsSync(join(abs, 'results.jsonl'))) return abs;
  const link = join(abs, LATEST_LINK);
  if (existsSync(join(link, 'results.jsonl')) && lstatSync(link).isSymbolicLink()) return link;
  const file = join(abs, LATEST_FILE);
  if (existsSync(file)) {
    const named = join(abs, readFileSync(file, 'utf8').trim());
    if (existsSync(join(named, 'results.jsonl'))) return named;
  }
  if (!existsSync(abs)) throw new BenchCliError('--report', `there is no folder '${dir}'`);
  throw new BenchCliError('--report', `'${dir}' holds no results.jsonl (nor a latest run that does)`);
}
