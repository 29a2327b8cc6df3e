#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench`. First the whole plan is built and checked in Node (suites, sizes,
 * variants, peers, adapter, Chrome, output folder): a bad or empty plan exits
 * non-zero having written nothing. Then the run gets a folder of its own (a new
 * timestamped one under --out, with `latest` pointing at it, or exactly --run-dir),
 * the bench page is built and served, opened in headless Chrome on the chosen
 * adapter, and the cases run one at a time through `window.ksBench`. Each record is
 * appended to results.jsonl as it finishes; report.md, results.csv and the SVG plots
 * are written at the end from the records (in Node, by src/bench's builders).
 *
 * Ctrl-C: the first stops scheduling, lets the case in flight finish and keeps its
 * record, then writes the report and exits 130; a second exits at once.
 * `--report DIR` rebuilds the report files of an earlier run without a browser.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from './chrome.mjs';
import { parseCliArgs, USAGE } from './args.mjs';
import { BenchCliError } from './errors.mjs';
import { Interrupt } from './interrupt.mjs';
import { loadShared } from './modules.mjs';
import { checkPlan } from './plan.mjs';
import { buildSite, freePort, serve, SITE_DIR } from './site.mjs';
import { Progress } from './progress.mjs';
import { driveCases, harnessFailure } from './drive-cases.mjs';
import { rebuildReport, writeReportFiles } from './report-from-jsonl.mjs';
import { checkOutputFolder, claimRunFolder, createRunFolder, pointLatest } from './run-dir.mjs';
import { describeTuneResult, readTuningFile, writeTuningFile } from './tuning-file.mjs';

const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

/**
 * `p` relative to the working folder when inside it, else absolute.
 * @param {string} p
 */
function shownPath(p) {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? p : r;
}

/** @param {string} msg */
function fail(msg) {
  process.stderr.write(`kernelscope bench: ${msg}\n`);
  process.exit(1);
}

/** @type {import('./args.mjs').CliOptions} */
let opts;
try {
  opts = parseCliArgs(process.argv.slice(2));
} catch (e) {
  fail(`${/** @type {Error} */ (e).message}\n\n${USAGE}`);
  throw e;
}
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const command = `npm run bench -- ${process.argv
  .slice(2)
  .map((a) => (/^[\w./,=:-]+$/.test(a) ? a : JSON.stringify(a)))
  .join(' ')}`.trim();

/**
 * Rejects after `ms` with `message`.
 * @template T
 * @param {Promise<T>} p
 * @param {number} ms
 * @param {string} message
 * @returns {Promise<T>}
 */
function timeout(p, ms, message) {
  /** @type {NodeJS.Timeout | undefined} */
  let t;
  return Promise.race([p, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(message)), ms)))]).finally(() => clearTimeout(t));
}

/**
 * Everything checked before a run writes a byte or starts a browser.
 * @returns {Promise<{ cases: import('./shared').BenchCase[], chrome: string, launch: ReturnType<typeof adapterLaunch>, tuning: { records: unknown[], source: string } | null }>}
 */
async function preflight() {
  const shared = await loadShared();
  const { cases, warnings } = checkPlan(opts, shared);
  for (const w of warnings) log(`warning: ${w}`);
  checkOutputFolder(opts);
  const launch = adapterLaunch(opts.adapter);
  const icd = /** @type {Record<string, string>} */ (launch.env).VK_ICD_FILENAMES;
  if (icd && !existsSync(icd))
    throw new BenchCliError(
      '--adapter',
      `${opts.adapter} needs the Vulkan driver ${icd}, which is missing (Debian: apt-get install mesa-vulkan-drivers)`,
    );
  if (opts.chrome && !existsSync(opts.chrome)) throw new BenchCliError('--chrome', `no Chrome or Chromium at '${opts.chrome}'`);
  const chrome = findChrome(opts.chrome);
  if (!chrome) throw new Error(NO_CHROME_MESSAGE);
  if (opts.port !== undefined) {
    const s = await serve(SITE_DIR, opts.port).catch((e) => {
      throw new BenchCliError('--port', `${opts.port} is not free (${e.message})`);
    });
    await s.close();
  }
  return { cases, chrome, launch, tuning: readTuning() };
}

/**
 * The tuning records a run starts from: none with --no-tuning, else the tuning file's
 * when it exists (a bad file is ignored with a warning; with --tune it is replaced).
 * @returns {{ records: unknown[], source: string } | null}
 */
function readTuning() {
  if (opts.noTuning) return null;
  const { records, warning } = readTuningFile(opts.tuningFile);
  if (warning) log(`warning: ${warning}${opts.tune ? ', and replaced by this run' : ''}`);
  return records ? { records, source: shownPath(resolve(opts.tuningFile)) } : null;
}

/**
 * Claims the run's folder and writes run.json and an empty results.jsonl there.
 * @param {number} planned
 * @returns {string} the folder
 */
function openRunFolder(planned) {
  let dir;
  if (opts.runDir !== undefined) dir = claimRunFolder(resolve(opts.runDir), opts.overwrite);
  else {
    const parent = resolve(opts.out);
    const made = createRunFolder(parent);
    dir = made.dir;
    pointLatest(parent, made.name);
  }
  writeRunInfo(dir, { command, planned, startedAt: new Date().toISOString(), outcome: 'running' });
  writeFileSync(join(dir, 'results.jsonl'), '', { flag: 'wx' });
  return dir;
}

/**
 * @param {string} dir
 * @param {import('./report-from-jsonl.mjs').RunInfo & Record<string, unknown>} info
 */
function writeRunInfo(dir, info) {
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(info, null, 2)}\n`);
}

async function run() {
  const { cases, chrome, launch, tuning: startTuning } = await preflight();
  /** The tuning records every bench page gets (a reopened page too). */
  let tuning = startTuning;
  const dir = openRunFolder(cases.length);
  const jsonl = join(dir, 'results.jsonl');
  const shown = shownPath(dir);
  const started = new Date().toISOString();
  /** @type {any[]} */
  const records = [];
  /** @type {any} */
  let env = null;
  /** @type {import('puppeteer-core').Browser | null} */
  let browser = null;
  /** @type {import('puppeteer-core').Page | null} */
  let page = null;
  /** @type {{ url: string, close: () => Promise<void> } | null} */
  let server = null;
  /** @type {Progress | null} */
  let progress = null;
  let inFlight = '';

  const say = (/** @type {string} */ s) => (progress ? progress.note(s) : log(s));
  const interrupt = new Interrupt({
    onFirst: () =>
      say(
        inFlight
          ? `\ninterrupted: no new cases; ${inFlight} is finishing (at most ${opts.caseTimeoutS} s) and will be kept, then the report is written. Ctrl-C again to quit now.`
          : '\ninterrupted: stopping before the next case, then writing the report. Ctrl-C again to quit now.',
      ),
    onSecond: () => {
      say(`\nquit: the ${records.length} finished cases are in ${jsonl}; rebuild the report with npm run bench -- --report ${shown}`);
      process.exit(130);
    },
  }).install();

  async function openBenchPage() {
    if (!browser || !server) throw new Error('no browser');
    const p = await browser.newPage();
    /** @type {string[]} */
    const errors = [];
    p.on('pageerror', (e) => errors.push(String(/** @type {Error} */ (e).message ?? e)));
    const level = launch.featureLevel === 'compatibility' ? '?featureLevel=compatibility' : '';
    await p.goto(`${server.url}/demos/bench.html${level}#cli`, { waitUntil: 'load', timeout: 120_000 });
    await p.waitForFunction('window.ksBench !== undefined', { timeout: 120_000 }).catch(() => {
      throw new Error(`the bench page did not start${errors.length ? `: ${errors.join('; ')}` : ''}`);
    });
    const ready = await p.evaluate(() => window.ksBench.ready);
    if (ready !== 'ok') {
      const hint = opts.adapter === 'default' ? ' (no GPU here? try --adapter swiftshader)' : '';
      throw new Error(`${ready}${hint}`);
    }
    await p.evaluate((o) => window.ksBench.configure(o), { quick: opts.quick, seed: opts.seed, minRepeats: opts.repeats });
    if (opts.noTuning) await p.evaluate(() => window.ksBench.setTuning({ enabled: false }));
    else if (tuning) {
      const t = tuning;
      await p.evaluate((records, source) => window.ksBench.loadTuning(records, source), t.records, t.source);
    }
    return p;
  }

  /**
   * Says what the tuning table holds; with --tune, first tunes every (kernel, shape
   * class) the plan consults and writes the table to the tuning file after each.
   */
  async function setUpTuning(/** @type {import('puppeteer-core').Page} */ p) {
    const mine = async () => (await p.evaluate(() => window.ksBench.environment())).tuning?.records.length ?? 0;
    if (opts.noTuning) log('tuning: off (--no-tuning): every kernel runs its shipped default');
    else if (tuning)
      log(`tuning: loaded ${tuning.records.length} records from ${tuning.source} (${await mine()} for this adapter and today's kernels)`);
    else if (!opts.tune)
      log(`tuning: no ${shownPath(resolve(opts.tuningFile))}: kernels run their shipped defaults (--tune measures them)`);
    if (!opts.tune) return;
    const file = opts.tune;
    const { needs, skipped } = await p.evaluate((cs) => window.ksBench.tuningNeeds(cs), cases);
    for (const note of skipped) log(`tuning: skipped ${note}`);
    if (needs.length === 0) log('tuning: nothing to tune (the plan has no matmul auto, flash attention or softmax case)');
    const shared = await loadShared();
    await p.exposeFunction('ksBenchTuneProgress', (/** @type {number} */ i, /** @type {number} */ n, /** @type {string} */ label) =>
      log(`  candidate ${i}/${n} ${label}`),
    );
    for (const [i, need] of needs.entries()) {
      if (interrupt.requested) return;
      log(
        `tuning ${need.kernel} ${need.shapeClass} (${i + 1} of ${needs.length}, for ${need.cases.length} case${need.cases.length === 1 ? '' : 's'})…`,
      );
      const t0 = Date.now();
      const r = await timeout(
        p.evaluate((k, c, q) => window.ksBench.tune(k, c, { quick: q }), need.kernel, need.shapeClass, opts.quick),
        opts.caseTimeoutS * 1000,
        `tuning ${need.kernel} ${need.shapeClass} timed out after ${opts.caseTimeoutS} s`,
      );
      log(describeTuneResult(r, shared.tunedConfigLabel, (Date.now() - t0) / 1000));
      const records = await p.evaluate(() => window.ksBench.tuningTable());
      writeTuningFile(file, records);
      tuning = { records, source: shownPath(resolve(file)) };
    }
    if (needs.length)
      log(
        `tuning: ${needs.length} kernel and shape class pair${needs.length === 1 ? '' : 's'} tuned; the table is in ${shownPath(resolve(file))}`,
      );
  }

  /** Writes environment.json, report.md, results.csv and the plots from the records so far. */
  async function finish(/** @type {string} */ outcome, note = '') {
    if (page && env) {
      const fresh = await timeout(
        page.evaluate(() => window.ksBench.environment()),
        10_000,
        'the page did not answer',
      ).catch(() => null);
      if (fresh) env = { ...env, peers: fresh.peers };
    }
    if (env) writeFileSync(join(dir, 'environment.json'), `${JSON.stringify(env, null, 2)}\n`);
    writeRunInfo(dir, { command, planned: cases.length, startedAt: started, finishedAt: new Date().toISOString(), outcome });
    await writeReportFiles(dir, { records, env, command, note });
  }

  /** Builds, serves and opens the bench page; false when Ctrl-C came first. */
  async function start() {
    const built = await buildSite({ force: opts.rebuild, log });
    if (!built) log(`using the built bench page in ${SITE_DIR} (--rebuild to force)`);
    if (interrupt.requested) return false;
    server = await serve(SITE_DIR, opts.port ?? (await freePort()));
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({
      executablePath: chrome,
      headless: true,
      pipe: true,
      // Ctrl-C is ours: finish the case in flight, write the report, then close the browser.
      handleSIGINT: false,
      args: [...launch.args, '--enable-webgpu-developer-features'],
      env: { ...process.env, ...launch.env },
      protocolTimeout: Math.max(300_000, opts.caseTimeoutS * 1000 + 60_000),
    });
    if (interrupt.requested) return false;
    page = await openBenchPage();
    await setUpTuning(page);
    if (interrupt.requested) return false;
    env = await page.evaluate(() => window.ksBench.environment());
    const a = env.adapter;
    log(`adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ')} (${opts.adapter})`);
    return !interrupt.requested;
  }

  /** Runs one case; a failure (a throw, a timeout, a dead page) becomes a failed record. */
  async function runOne(/** @type {import('./shared').BenchCase} */ c) {
    const t0 = Date.now();
    try {
      if (!page) page = await openBenchPage();
      const current = page;
      return await timeout(
        current.evaluate((cc) => window.ksBench.run(cc), c),
        opts.caseTimeoutS * 1000,
        `timed out after ${opts.caseTimeoutS} s`,
      );
    } catch (e) {
      // The page may be hung or dead: the next case starts on a fresh one.
      const old = page;
      page = null;
      await old?.close().catch(() => {});
      return harnessFailure(c, `${/** @type {Error} */ (e).message} (the page was reloaded)`, t0);
    }
  }

  try {
    log(`${cases.length} cases → ${shown}`);
    const started = await start();
    if (started) progress = new Progress(cases.length);
    return await driveCases({
      cases: started ? cases : [],
      runOne,
      records,
      jsonl,
      progress,
      interrupt,
      setInFlight: (id) => (inFlight = id),
      finish,
      shown,
      log,
      say,
    });
  } finally {
    // Assigned inside start(); TypeScript cannot see that from here.
    const b = /** @type {import('puppeteer-core').Browser | null} */ (browser);
    const s = /** @type {{ close: () => Promise<void> } | null} */ (server);
    await b?.close().catch(() => {});
    await s?.close().catch(() => {});
  }
}

/** @returns {Promise<number>} the exit code */
async function report() {
  const out = await rebuildReport(/** @type {string} */ (opts.report), log);
  log(`rebuilt from ${out.records} records in ${shownPath(out.folder)}: ${out.files.join(', ')}`);
  return 0;
}

/** `--runtime node`: the same plan and run folder, in this process on Dawn (bench/node-runner.mjs). */
async function runInNode() {
  const { loadNodeBench, runNodeBench } = await import('./node-runner.mjs');
  const { lib, close } = await loadNodeBench(resolve(import.meta.dirname, '..'));
  return runNodeBench(opts, { lib, command, log }).finally(close);
}

(opts.report !== undefined ? report() : opts.runtime === 'node' ? runInNode() : run()).then(
  (code) => process.exit(code),
  (e) => fail(e?.message ?? String(e)),
);
