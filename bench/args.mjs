// @ts-check
/**
 * Command-line options of `npm run bench`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchCliError } from './errors.mjs';

/** The tuning file's name inside --out: `bench-results/tuning.json` by default. */
export const TUNING_FILE = 'tuning.json';

export const USAGE = `usage: npm run bench -- [options]

  --suite LIST        suites to run: matmul,attention,softmax,roofline,decode (default: all but decode)
  --sizes LIST        sizes: N (every suite: N³ matmul, attention length N, N×N softmax),
                      MxKxN (matmul only), RxC (softmax only), suite:SIZE (that suite
                      only, e.g. matmul:1024,attention:2048); default: each suite's list
  --quick             small shapes and few repeats (under two minutes on SwiftShader)
  --variants LIST     keep only these implementations (e.g. naive,flash,tfjs)
  --peer LIST         peers to compare against: tfjs,ort,jaxjs (default: all three; 'none' for none)
  --dims LIST         attention head dims (default quick 64, full 64,128)
  --heads LIST        attention head counts (default quick 1, full 1,8)
  --causal on|off|both  attention masking (default quick off, full both)
  --out DIR           parent folder of the runs (default: bench-results/): each run writes
                      a new folder DIR/<UTC time>/ and points the link DIR/latest at it
                      (DIR/LATEST, a text file, where links are not allowed); earlier runs
                      are never touched
  --run-dir DIR       write this run into exactly DIR instead (no latest link); DIR must be
                      missing or empty
  --overwrite         with --run-dir: use DIR even if it is not empty, replacing the files
                      a run writes (other files in DIR are left alone)
  --report DIR        no run: rebuild report.md, results.csv and the SVG plots from
                      DIR/results.jsonl (and DIR/environment.json), without a browser; DIR
                      may be a --out folder, meaning its latest run
  --adapter NAME      default | swiftshader | lavapipe (default: default, the machine's GPU)
  --runtime NAME      browser (headless Chrome, the default) | node (Node on Dawn, the optional
                      webgpu package; no browser; adapters default and swiftshader)
  --chrome PATH       Chrome or Chromium executable (default: CHROME_PATH, then the usual places)
  --repeats N         timed calls per case, at least (default quick 3, full 5)
  --seed N            seed of inputs, samples and the bootstrap (default 1234)
  --case-timeout S    seconds one case may take before it is recorded as failed (default 900)
  --port N            port of the static server (default: a free one)
  --rebuild           rebuild the bench page even if it looks current
  --tune [FILE]       before the cases, tune on this adapter every kernel and shape class
                      the plan consults (matmul auto, flash attention, softmax), with progress, and
                      write every tuning record to FILE (default: OUT/tuning.json, that is
                      bench-results/tuning.json); records already in FILE are kept
  --no-tuning         run every kernel with its shipped default (the tuning table off)
                      Without either, a run loads OUT/tuning.json first when it exists, and
                      says so; report.md's Tuning section shows what the kernels used.
  -h, --help          this help

The whole plan (suites, sizes, variants, peers, adapter, output folder) is checked before
anything is written or a browser starts. A run folder holds results.jsonl (one line per
case, appended as each finishes), run.json (the command), report.md, results.csv,
environment.json and {time-vs-n,memory-vs-n,roofline}.svg. Ctrl-C stops scheduling cases,
lets the case in flight finish (at most --case-timeout), keeps its record and writes the
report; a second Ctrl-C quits at once, keeping every record appended so far.`;

/**
 * @typedef {object} CliOptions
 * @property {string[]} suites
 * @property {string[]} sizes
 * @property {boolean} quick
 * @property {string[]} variants
 * @property {string[]} peers
 * @property {number[] | undefined} dims
 * @property {number[] | undefined} heads
 * @property {boolean[] | undefined} causal
 * @property {string} out parent folder of timestamped run folders
 * @property {string | undefined} runDir an exact run folder (no timestamp, no latest link)
 * @property {boolean} overwrite use a non-empty `runDir`
 * @property {string | undefined} report rebuild the report of this folder instead of running
 * @property {string} adapter
 * @property {'browser' | 'node'} runtime where the kernels run: headless Chrome, or Node on Dawn
 * @property {string | undefined} chrome
 * @property {number} seed
 * @property {number | undefined} repeats
 * @property {number} caseTimeoutS
 * @property {number | undefined} port
 * @property {boolean} rebuild
 * @property {string | undefined} tune with --tune: the file to write the tuning records to
 * @property {boolean} noTuning --no-tuning: every kernel runs its shipped default
 * @property {string} tuningFile the tuning file a run loads when it exists (--tune's FILE, else OUT/tuning.json)
 * @property {boolean} help
 */

/**
 * Takes `--tune [FILE]` out of argv (its value is optional, which parseArgs cannot
 * express): FILE is the next argument unless that is an option.
 * @param {string[]} argv
 * @returns {{ rest: string[], tune: string | undefined }} `tune` is '' for a bare --tune
 */
export function splitTune(argv) {
  /** @type {string[]} */
  const rest = [];
  /** @type {string | undefined} */
  let tune;
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a !== '--tune' && !a.startsWith('--tune=')) {
      rest.push(a);
      continue;
    }
    if (tune !== undefined) throw new BenchCliError('--tune', 'is given twice');
    if (a.startsWith('--tune=')) {
      tune = a.slice('--tune='.length);
      if (!tune) throw new BenchCliError('--tune', 'needs a file after =, or no = at all for the default');
    } else {
      const next = argv[i + 1];
      tune = next !== undefined && !next.startsWith('-') ? next : '';
      if (tune) i++;
    }
  }
  return { rest, tune };
}

/** @param {string | undefined} s */
const list = (s) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

/**
 * @param {string | undefined} s
 * @param {string} name
 */
function ints(s, name) {
  if (s === undefined) return undefined;
  return list(s).map((x) => {
    const v = Number(x);
    if (!Number.isInteger(v) || v <= 0) throw new BenchCliError(`--${name}`, `'${x}' is not a positive integer`);
    return v;
  });
}

/**
 * Parses argv (without node and the script).
 * @param {string[]} argv
 * @returns {CliOptions}
 */
export function parseCliArgs(argv) {
  const { rest, tune } = splitTune(argv);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: false,
    options: {
      suite: { type: 'string' },
      sizes: { type: 'string' },
      quick: { type: 'boolean' },
      variants: { type: 'string' },
      peer: { type: 'string' },
      dims: { type: 'string' },
      heads: { type: 'string' },
      causal: { type: 'string' },
      out: { type: 'string' },
      'run-dir': { type: 'string' },
      overwrite: { type: 'boolean' },
      report: { type: 'string' },
      adapter: { type: 'string' },
      runtime: { type: 'string' },
      chrome: { type: 'string' },
      seed: { type: 'string' },
      repeats: { type: 'string' },
      'case-timeout': { type: 'string' },
      port: { type: 'string' },
      rebuild: { type: 'boolean' },
      'no-tuning': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  checkModes({ ...values, tune });
  if (tune !== undefined && values['no-tuning'])
    throw new BenchCliError('--tune', 'tunes and uses the tuned configurations, while --no-tuning turns them off: give one of them');
  if ((tune !== undefined || values['no-tuning']) && values.runtime === 'node')
    throw new BenchCliError(tune !== undefined ? '--tune' : '--no-tuning', 'is not available with --runtime node yet: drop it');
  const adapter = values.adapter ?? 'default';
  const suites = list(values.suite);
  const known = ['matmul', 'attention', 'softmax', 'roofline', 'decode'];
  for (const s of suites) if (!known.includes(s)) throw new BenchCliError('--suite', `unknown suite '${s}' (use ${known.join(', ')})`);
  if (!['default', 'swiftshader', 'lavapipe'].includes(adapter))
    throw new BenchCliError('--adapter', `'${adapter}' is not default, swiftshader or lavapipe`);
  /** @type {boolean[] | undefined} */
  let causal;
  if (values.causal !== undefined) {
    const c = { on: [true], off: [false], both: [false, true] }[values.causal];
    if (!c) throw new BenchCliError('--causal', `'${values.causal}' is not on, off or both`);
    causal = c;
  }
  const seed = Number(values.seed ?? '1234');
  if (!Number.isInteger(seed)) throw new BenchCliError('--seed', `'${values.seed}' is not an integer`);
  const repeats = values.repeats === undefined ? undefined : Number(values.repeats);
  if (repeats !== undefined && !(Number.isInteger(repeats) && repeats > 0))
    throw new BenchCliError('--repeats', `'${values.repeats}' is not a positive integer`);
  const caseTimeoutS = Number(values['case-timeout'] ?? '900');
  if (!(caseTimeoutS > 0)) throw new BenchCliError('--case-timeout', `'${values['case-timeout']}' is not a positive number of seconds`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new BenchCliError('--port', `'${values.port}' is not a port number`);
  const runtime = values.runtime ?? 'browser';
  if (runtime !== 'browser' && runtime !== 'node') throw new BenchCliError('--runtime', `'${runtime}' is not browser or node`);
  // Every peer by default (src/bench/peers/index.ts PEERS); a peer that cannot run is recorded as failed.
  const peers = values.peer === undefined ? ['tfjs', 'ort', 'jaxjs'] : list(values.peer).filter((p) => p !== 'none');
  return {
    suites,
    sizes: list(values.sizes),
    quick: values.quick ?? false,
    variants: list(values.variants),
    peers,
    dims: ints(values.dims, 'dims'),
    heads: ints(values.heads, 'heads'),
    causal,
    out: values.out ?? 'bench-results',
    runDir: values['run-dir'],
    overwrite: values.overwrite ?? false,
    report: values.report,
    adapter,
    runtime,
    chrome: values.chrome,
    seed,
    repeats,
    caseTimeoutS,
    port,
    rebuild: values.rebuild ?? false,
    tune: tune === undefined ? undefined : tune || join(values.out ?? 'bench-results', TUNING_FILE),
    noTuning: values['no-tuning'] ?? false,
    tuningFile: tune || join(values.out ?? 'bench-results', TUNING_FILE),
    help: values.help ?? false,
  };
}

/**
 * Rejects options that contradict each other: `--report` takes no run options,
 * `--run-dir` replaces `--out`, and `--overwrite` only applies to `--run-dir`.
 * @param {Record<string, unknown>} given the options present on the command line
 */
function checkModes(given) {
  const named = (/** @type {string} */ k) => given[k] !== undefined;
  if (named('report')) {
    if (!given.report) throw new BenchCliError('--report', 'needs the folder that holds results.jsonl');
    const others = Object.keys(given).filter((k) => k !== 'report' && k !== 'help' && given[k] !== undefined);
    if (others.length > 0)
      throw new BenchCliError('--report', `rebuilds a report and runs nothing: drop ${others.map((k) => `--${k}`).join(', ')}`);
  }
  if (named('run-dir') && !given['run-dir']) throw new BenchCliError('--run-dir', 'needs a folder');
  if (named('run-dir') && named('out'))
    throw new BenchCliError('--run-dir', `names the exact run folder, so --out '${given.out}' would be ignored: give one of them`);
  if (given.overwrite && !named('run-dir'))
    throw new BenchCliError('--overwrite', 'only applies to --run-dir (a run under --out always gets a new folder)');
  if (named('out') && !given.out) throw new BenchCliError('--out', 'needs a folder');
}
