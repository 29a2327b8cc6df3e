// @ts-check
/**
 * The bench in Node, on Dawn, with no browser: `npm run bench -- --runtime node` and
 * the bench pack's run.sh. It runs the same plan (bench/plan.mjs), through the same
 * in-page runner (src/bench's `BenchSession`: cases, timing, reference checks, peers),
 * and writes the same run folder (results.jsonl appended per case, run.json,
 * environment.json, report.md, results.csv and the SVG plots). Only the device comes
 * from elsewhere: `requestNodeGpu` (src/node) instead of the page's `navigator.gpu`.
 *
 * The library (src/node/bench.ts) is passed in: loaded through Vite's module runner in
 * the repository (`loadNodeBench`), bundled in the pack (bench/node-main.mjs).
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { BenchCliError } from './errors.mjs';
import { Interrupt } from './interrupt.mjs';
import { checkPlan } from './plan.mjs';
import { Progress } from './progress.mjs';
import { driveCases, harnessFailure } from './drive-cases.mjs';
import { writeReportFiles } from './report-from-jsonl.mjs';
import { checkOutputFolder, claimRunFolder, createRunFolder, pointLatest } from './run-dir.mjs';

/** @typedef {typeof import('../src/node/bench')} NodeBenchLib */

/** Dawn's options for benchmarking: full-resolution timestamps (Chrome's --enable-webgpu-developer-features). */
export const BENCH_DAWN_FLAGS = ['disable-dawn-features=timestamp_quantization'];

/**
 * src/node/bench.ts through a Vite module runner (TypeScript, `?raw` WGSL and
 * `import.meta.glob` handled in memory; node_modules imported natively). The runner
 * stays open for the lazy imports of kernels and peers; `close` ends it.
 * @param {string} root the repository
 * @returns {Promise<{ lib: NodeBenchLib, close: () => Promise<void> }>}
 */
export async function loadNodeBench(root) {
  const { createServer, createServerModuleRunner } = await import('vite');
  const { packSubstitutions } = await import('./pack-bundle.mjs');
  const server = await createServer({
    configFile: false,
    root,
    // The same ONNX Runtime Web stub as the pack's (that peer needs a browser page).
    plugins: [packSubstitutions(root)],
    logLevel: 'error',
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
  });
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  const close = async () => {
    await runner.close();
    await server.close();
  };
  try {
    return { lib: /** @type {NodeBenchLib} */ (await runner.import(join(root, 'src', 'node', 'bench.ts'))), close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * The Dawn adapter for `--adapter`, or a BenchCliError for options that need a browser.
 * @param {import('./args.mjs').CliOptions} opts
 * @returns {'default' | 'swiftshader'}
 */
export function nodeAdapterFor(opts) {
  for (const [flag, given] of /** @type {const} */ ([
    ['--chrome', opts.chrome !== undefined],
    ['--port', opts.port !== undefined],
    ['--rebuild', opts.rebuild],
  ]))
    if (given) throw new BenchCliError(flag, 'has no effect with --runtime node, which runs without a browser: drop it');
  if (opts.adapter === 'lavapipe')
    throw new BenchCliError(
      '--adapter',
      "lavapipe gives Dawn no adapter in Node (it only works through Chrome's OpenGL ES backend): use swiftshader or default",
    );
  return opts.adapter === 'swiftshader' ? 'swiftshader' : 'default';
}

/**
 * `p` relative to the working folder when inside it, else absolute.
 * @param {string} p
 */
function shownPath(p) {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? p : r;
}

/**
 * Rejects after `ms`. The case's GPU work cannot be cancelled; the run goes on with the next case.
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
 * Runs the plan of `opts` in this process on Dawn.
 * @param {import('./args.mjs').CliOptions} opts
 * @param {{ lib: NodeBenchLib, command: string, log?: (line: string) => void }} ctx
 * @returns {Promise<number>} the exit code (0, or 130 after Ctrl-C)
 * @throws {BenchCliError | Error} before anything is written: a bad plan, option or output folder, or no adapter
 */
export async function runNodeBench(opts, { lib, command, log = (s) => process.stderr.write(`${s}\n`) }) {
  const adapter = nodeAdapterFor(opts);
  const { cases, warnings } = checkPlan(opts, lib);
  for (const w of warnings) log(`warning: ${w}`);
  checkOutputFolder(opts);
  // The device before any file: no adapter means nothing is written.
  const gpu = await lib.requestNodeGpu({
    adapter,
    dawnFlags: BENCH_DAWN_FLAGS,
    // On a server with several adapters, the discrete GPU.
    ...(adapter === 'default' ? { powerPreference: /** @type {const} */ ('high-performance') } : {}),
  });
  const session = lib.nodeSession(gpu, { quick: opts.quick, seed: opts.seed, minRepeats: opts.repeats });
  let env = lib.nodeEnvironment(session);
  const a = env.adapter;
  log(
    `adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ')} (${opts.adapter}, Node ${process.version} on Dawn)`,
  );

  /** @type {string} */
  let dir;
  if (opts.runDir !== undefined) dir = claimRunFolder(resolve(opts.runDir), opts.overwrite);
  else {
    const parent = resolve(opts.out);
    const made = createRunFolder(parent);
    dir = made.dir;
    pointLatest(parent, made.name);
  }
  const started = new Date().toISOString();
  const writeRunInfo = (/** @type {Record<string, unknown>} */ info) =>
    writeFileSync(join(dir, 'run.json'), `${JSON.stringify({ command, planned: cases.length, startedAt: started, ...info }, null, 2)}\n`);
  writeRunInfo({ outcome: 'running' });
  const jsonl = join(dir, 'results.jsonl');
  writeFileSync(jsonl, '', { flag: 'wx' });
  const shown = shownPath(dir);

  /** @type {any[]} */
  const records = [];
  const progress = new Progress(cases.length);
  let inFlight = '';
  const interrupt = new Interrupt({
    onFirst: () =>
      progress.note(
        inFlight
          ? `\ninterrupted: no new cases; ${inFlight} is finishing and will be kept, then the report is written. Ctrl-C again to quit now.`
          : '\ninterrupted: stopping before the next case, then writing the report. Ctrl-C again to quit now.',
      ),
    onSecond: () => {
      progress.note(`\nquit: the ${records.length} finished cases are in ${jsonl}; rebuild the report with --report ${shown}`);
      process.exit(130);
    },
  }).install();

  /** @param {string} outcome  @param {string} [note] */
  async function finish(outcome, note = '') {
    env = { ...env, peers: lib.nodeEnvironment(session).peers };
    writeFileSync(join(dir, 'environment.json'), `${JSON.stringify(env, null, 2)}\n`);
    writeRunInfo({ finishedAt: new Date().toISOString(), outcome });
    await writeReportFiles(dir, { records, env, command, note });
  }

  try {
    log(`${cases.length} cases → ${shown}`);
    return await driveCases({
      cases,
      runOne: (c) => {
        const t0 = Date.now();
        return timeout(session.runCase(c), opts.caseTimeoutS * 1000, `timed out after ${opts.caseTimeoutS} s`).catch(
          (/** @type {Error} */ e) => harnessFailure(c, e.message, t0),
        );
      },
      records,
      jsonl,
      progress,
      interrupt,
      setInFlight: (id) => (inFlight = id),
      finish,
      shown,
      log,
      say: (s) => progress.note(s),
    });
  } finally {
    interrupt.uninstall();
    gpu.destroy();
    lib.releaseNodeGpu();
  }
}
