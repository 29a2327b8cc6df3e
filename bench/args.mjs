// @ts-check
/**
 * Command-line options of `npm run bench`.
 */
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [options]

  --suite LIST        suites to run: matmul,attention,softmax,roofline (default: all)
  --sizes LIST        sizes: N (every suite: N³ matmul, attention length N, N×N softmax),
                      MxKxN (matmul only), RxC (softmax only), suite:SIZE (that suite
                      only, e.g. matmul:1024,attention:2048); default: each suite's list
  --quick             small shapes and few repeats (under two minutes on SwiftShader)
  --variants LIST     keep only these implementations (e.g. naive,flash,tfjs)
  --peer LIST         peers to compare against (default: tfjs; 'none' for none)
  --dims LIST         attention head dims (default quick 64, full 64,128)
  --heads LIST        attention head counts (default quick 1, full 1,8)
  --causal on|off|both  attention masking (default quick off, full both)
  --out DIR           output folder (default: bench-results/)
  --adapter NAME      default | swiftshader | lavapipe (default: default, the machine's GPU)
  --chrome PATH       Chrome or Chromium executable (default: CHROME_PATH, then the usual places)
  --repeats N         timed calls per case, at least (default quick 3, full 5)
  --seed N            seed of inputs, samples and the bootstrap (default 1234)
  --case-timeout S    seconds one case may take before it is recorded as failed (default 900)
  --port N            port of the static server (default: a free one)
  --rebuild           rebuild the bench page even if it looks current
  -h, --help          this help

Writes DIR/results.jsonl (one line per case, appended as each finishes), DIR/report.md,
DIR/environment.json and DIR/{time-vs-n,memory-vs-n,roofline}.svg.`;

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
 * @property {string} out
 * @property {string} adapter
 * @property {string | undefined} chrome
 * @property {number} seed
 * @property {number | undefined} repeats
 * @property {number} caseTimeoutS
 * @property {number | undefined} port
 * @property {boolean} rebuild
 * @property {boolean} help
 */

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
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name}: '${x}' is not a positive integer`);
    return v;
  });
}

/**
 * Parses argv (without node and the script).
 * @param {string[]} argv
 * @returns {CliOptions}
 */
export function parseCliArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      suite: { type: 'string' },
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      variants: { type: 'string' },
      peer: { type: 'string' },
      dims: { type: 'string' },
      heads: { type: 'string' },
      causal: { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
      adapter: { type: 'string', default: 'default' },
      chrome: { type: 'string' },
      seed: { type: 'string', default: '1234' },
      repeats: { type: 'string' },
      'case-timeout': { type: 'string', default: '900' },
      port: { type: 'string' },
      rebuild: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const suites = list(values.suite);
  const known = ['matmul', 'attention', 'softmax', 'roofline'];
  for (const s of suites) if (!known.includes(s)) throw new Error(`--suite: unknown suite '${s}' (use ${known.join(', ')})`);
  if (!['default', 'swiftshader', 'lavapipe'].includes(values.adapter))
    throw new Error(`--adapter: '${values.adapter}' is not default, swiftshader or lavapipe`);
  /** @type {boolean[] | undefined} */
  let causal;
  if (values.causal !== undefined) {
    const c = { on: [true], off: [false], both: [false, true] }[values.causal];
    if (!c) throw new Error(`--causal: '${values.causal}' is not on, off or both`);
    causal = c;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: '${values.seed}' is not an integer`);
  const repeats = values.repeats === undefined ? undefined : Number(values.repeats);
  if (repeats !== undefined && !(Number.isInteger(repeats) && repeats > 0))
    throw new Error(`--repeats: '${values.repeats}' is not a positive integer`);
  const caseTimeoutS = Number(values['case-timeout']);
  if (!(caseTimeoutS > 0)) throw new Error(`--case-timeout: '${values['case-timeout']}' is not a positive number of seconds`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new Error(`--port: '${values.port}' is not a port number`);
  const peers = values.peer === undefined ? ['tfjs'] : list(values.peer).filter((p) => p !== 'none');
  return {
    suites,
    sizes: list(values.sizes),
    quick: values.quick,
    variants: list(values.variants),
    peers,
    dims: ints(values.dims, 'dims'),
    heads: ints(values.heads, 'heads'),
    causal,
    out: values.out,
    adapter: values.adapter,
    chrome: values.chrome,
    seed,
    repeats,
    caseTimeoutS,
    port,
    rebuild: values.rebuild,
    help: values.help,
  };
}
