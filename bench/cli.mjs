#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench`: builds the bench page if needed, serves it, opens it in headless
 * Chrome on the chosen adapter, and runs the plan one case at a time through
 * `window.ksBench`. Each record is appended to results.jsonl as it finishes, so an
 * interrupted run keeps what it measured; report.md and the SVG plots are written
 * at the end (and on Ctrl-C, from the cases finished so far).
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from './chrome.mjs';
import { parseCliArgs, USAGE } from './args.mjs';
import { buildSite, freePort, serve, SITE_DIR } from './site.mjs';
import { Progress } from './progress.mjs';

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

if (opts.chrome && !existsSync(opts.chrome)) fail(`no Chrome or Chromium at --chrome ${opts.chrome}`);
const chrome = findChrome(opts.chrome);
if (!chrome) fail(NO_CHROME_MESSAGE);

const outDir = resolve(opts.out);
mkdirSync(outDir, { recursive: true });
const jsonl = join(outDir, 'results.jsonl');
writeFileSync(jsonl, '');
const command = `npm run bench -- ${process.argv
  .slice(2)
  .map((a) => (/^[\w./,=:-]+$/.test(a) ? a : JSON.stringify(a)))
  .join(' ')}`.trim();
const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

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
let interrupted = false;
const launchFeatureLevel = adapterLaunch(opts.adapter).featureLevel;

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

async function openBenchPage() {
  if (!browser || !server) throw new Error('no browser');
  const p = await browser.newPage();
  /** @type {string[]} */
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(/** @type {Error} */ (e).message ?? e)));
  const level = launchFeatureLevel === 'compatibility' ? '?featureLevel=compatibility' : '';
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
  return p;
}

/** Writes report.md, environment.json and the SVGs from the records so far. */
async function writeReport(note = '') {
  if (!page) {
    writeFileSync(
      join(outDir, 'report.md'),
      `# kernelscope benchmark\n\n> ${note || 'no report'}: the page was not available; the finished cases are in results.jsonl.\n`,
    );
    return;
  }
  const out = await timeout(
    page.evaluate((rs, e, c, n) => window.ksBench.report(rs, e, c, n), records, env, command, note),
    60_000,
    'writing the report timed out',
  );
  writeFileSync(join(outDir, 'report.md'), out.markdown);
  writeFileSync(join(outDir, 'results.csv'), out.csv);
  for (const [name, svg] of Object.entries(out.svgs)) writeFileSync(join(outDir, name), svg);
  if (env) writeFileSync(join(outDir, 'environment.json'), `${JSON.stringify(env, null, 2)}\n`);
}

async function shutdown() {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
}

process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log(`\ninterrupted: ${records.length} finished cases are in ${jsonl}; writing the report…`);
  writeReport(`interrupted after ${records.length} cases`)
    .catch((e) => log(`could not write the report: ${e.message}`))
    .finally(() => shutdown().finally(() => process.exit(130)));
});

async function main() {
  const launch = adapterLaunch(opts.adapter);
  const built = await buildSite({ force: opts.rebuild, log });
  if (!built) log(`using the built bench page in ${SITE_DIR} (--rebuild to force)`);
  const port = opts.port ?? (await freePort());
  server = await serve(SITE_DIR, port);
  const { default: puppeteer } = await import('puppeteer-core');
  browser = await puppeteer.launch({
    executablePath: /** @type {string} */ (chrome),
    headless: true,
    pipe: true,
    // Ctrl-C is ours: write the report from the finished cases, then close the browser.
    handleSIGINT: false,
    args: [...launch.args, '--enable-webgpu-developer-features'],
    env: { ...process.env, ...launch.env },
    protocolTimeout: Math.max(300_000, opts.caseTimeoutS * 1000 + 60_000),
  });
  page = await openBenchPage();
  env = await page.evaluate(() => window.ksBench.environment());
  const a = env.adapter;
  log(`adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ')} (${opts.adapter})`);
  const plan = await page.evaluate(
    (o) => window.ksBench.plan(o),
    /** @type {any} */ ({
      suites: opts.suites,
      quick: opts.quick,
      sizes: opts.sizes,
      variants: opts.variants,
      peers: opts.peers,
      dims: opts.dims,
      heads: opts.heads,
      causal: opts.causal,
    }),
  );
  if (plan.length === 0) throw new Error('the plan is empty: check --suite, --sizes and --variants');
  log(`${plan.length} cases → ${outDir}`);
  const progress = new Progress(plan.length);
  for (const [i, c] of plan.entries()) {
    if (interrupted) return;
    progress.starting(i, c.id);
    const started = Date.now();
    /** @type {any} */
    let record;
    try {
      if (!page) page = await openBenchPage();
      const current = page;
      record = await timeout(
        current.evaluate((cc) => window.ksBench.run(cc), c),
        opts.caseTimeoutS * 1000,
        `timed out after ${opts.caseTimeoutS} s`,
      );
    } catch (e) {
      const reason = /** @type {Error} */ (e).message;
      record = {
        ...c,
        status: 'failed',
        errorName: 'BenchHarnessError',
        reason: `${reason} (the page was reloaded)`,
        elapsedMs: Date.now() - started,
        flops: 0,
        bytes: 0,
        intensity: 0,
        finishedAt: new Date().toISOString(),
      };
      // The page may be hung or dead: start the next case on a fresh one.
      const old = page;
      page = null;
      await old?.close().catch(() => {});
    }
    if (interrupted) return;
    records.push(record);
    appendFileSync(jsonl, `${JSON.stringify(record)}\n`);
    progress.finished(i, record);
  }
  if (!page) page = await openBenchPage().catch(() => null);
  if (page) env = { ...env, peers: (await page.evaluate(() => window.ksBench.environment()).catch(() => env)).peers };
  await writeReport();
  const failed = records.filter((r) => r.status !== 'ok').length;
  log(
    `done: ${records.length} cases (${failed} failed). Wrote ${['results.jsonl', 'report.md', 'results.csv', 'environment.json', 'time-vs-n.svg', 'memory-vs-n.svg', 'roofline.svg'].map((f) => join(opts.out, f)).join(', ')}`,
  );
}

main()
  .then(() => (interrupted ? new Promise(() => {}) : shutdown()))
  .catch(async (e) => {
    await shutdown();
    fail(e?.message ?? String(e));
  });
