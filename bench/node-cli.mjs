// @ts-check
/**
 * The bench pack's program (loaded by bench/node-main.mjs, bundled by bench/pack.mjs,
 * started by run.sh): the options of `npm run bench`, run in Node on Dawn, or
 * `--report DIR`.
 */
import { parseCliArgs, USAGE } from './args.mjs';
import { runNodeBench } from './node-runner.mjs';
import { rebuildReport } from './report-from-jsonl.mjs';
import * as lib from '../src/node/bench';

const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);
const usage = USAGE.replace(/npm run bench -- /g, './run.sh ').replace(/npm run bench\b/g, './run.sh');

/** @param {string} msg */
function fail(msg) {
  process.stderr.write(`kernelscope bench (pack): ${msg}\n`);
  process.exit(1);
}

/** @type {import('./args.mjs').CliOptions} */
let opts;
try {
  opts = parseCliArgs(process.argv.slice(2));
} catch (e) {
  fail(`${/** @type {Error} */ (e).message}\n\n${usage}`);
  throw e;
}
if (opts.help) {
  process.stdout.write(
    `${usage}\n\nIn the pack, every run is --runtime node (Node ${process.version} on Dawn); --chrome, --port and --rebuild do not apply.\n`,
  );
  process.exit(0);
}
if (opts.runtime === 'browser' && process.argv.includes('--runtime')) fail('the pack has no browser: drop --runtime browser');

const command = `./run.sh ${process.argv
  .slice(2)
  .map((a) => (/^[\w./,=:-]+$/.test(a) ? a : JSON.stringify(a)))
  .join(' ')}`.trim();

/** @returns {Promise<number>} */
async function report() {
  const out = await rebuildReport(/** @type {string} */ (opts.report), log);
  log(`rebuilt from ${out.records} records in ${out.folder}: ${out.files.join(', ')}`);
  return 0;
}

(opts.report !== undefined ? report() : runNodeBench({ ...opts, runtime: 'node' }, { lib, command, log })).then(
  (code) => process.exit(code),
  (e) => fail(e?.message ?? String(e)),
);
