// @ts-check
/**
 * Measures the matmul ladder (naive, tiled, register, and subgroup where the
 * adapter has it) at one size, in one browser run, and prints a Markdown table.
 *
 *   node bench/matmul-ladder.mjs [--size 512 | --shape M,N,K] [--repeats 5] [--variants naive,tiled,…]
 *                                [--transposeB] [--adapter swiftshader] [--port 5209]
 *
 * It serves the repository with Vite's dev server, opens the test harness page in
 * headless Chrome (see bench/chrome.mjs) and times each variant with `gpu.time`
 * (timestamp-query where present): one warm-up run, then the median of `repeats`.
 */
import { createServer } from 'vite';
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from './chrome.mjs';

/** @param {string} name @param {string} fallback */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 && process.argv[i + 1]) || fallback;
}

const size = Number(arg('size', '512'));
const [M = size, N = size, K = size] = arg('shape', `${size},${size},${size}`).split(',').map(Number);
const only = arg('variants', '');
const transposeB = process.argv.includes('--transposeB');
const repeats = Number(arg('repeats', '5'));
const adapter = arg('adapter', 'swiftshader');
const port = Number(arg('port', '5209'));

const chrome = findChrome();
if (!chrome) {
  console.error(NO_CHROME_MESSAGE);
  process.exit(1);
}
const launch = adapterLaunch(adapter);
const root = join(import.meta.dirname, '..');
const server = await createServer({
  root,
  configFile: join(root, 'vite.config.ts'),
  logLevel: 'warn',
  server: { port, strictPort: true, hmr: false, watch: null },
});
await server.listen();
const userDataDir = mkdtempSync(join(tmpdir(), 'ks-bench-'));
const browser = await puppeteer.launch({
  executablePath: chrome,
  headless: true,
  args: [...launch.args, `--remote-debugging-port=${port + 1000}`, `--user-data-dir=${userDataDir}`],
  env: { ...process.env, ...launch.env },
  protocolTimeout: 600_000,
});
try {
  const page = await browser.newPage();
  // Progress (one line per variant) and page errors go to stderr; the table to stdout.
  page.on('console', (m) => {
    if (m.type() === 'log' || m.type() === 'error' || m.type() === 'warn')
      console.error(`${m.type() === 'log' ? '' : `page ${m.type()}: `}${m.text()}`);
  });
  const level = launch.featureLevel === 'compatibility' ? '?featureLevel=compatibility' : '';
  await page.goto(`http://localhost:${port}/tests/support/harness.html${level}`, { waitUntil: 'load' });
  await page.waitForFunction('window.ksReady !== undefined', { timeout: 120_000 });
  const ready = await page.evaluate(() => window.ksReady);
  if (ready !== 'ok') throw new Error(`harness: ${ready}`);
  const result = await page.evaluate(
    async (M, N, K, reps, only, transposeB) => {
      const m = await window.ksImport('/src/kernels/matmul.ts');
      const { Tensor, mulberry32, uniformArray } = window.ks;
      const gpu = window.gpu;
      const rng = mulberry32(1);
      const a = Tensor.fromData(gpu, uniformArray(rng, M * K), [M, K]);
      const b = Tensor.fromData(gpu, uniformArray(rng, K * N), transposeB ? [N, K] : [K, N]);
      const variants = [...m.MATMUL_VARIANTS, 'auto'].filter(
        (/** @type {string} */ v) => (v !== 'subgroup' || gpu.features.subgroups) && (!only || only.split(',').includes(v)),
      );
      const rows = [];
      for (const variant of variants) {
        (await m.matmul(gpu, a, b, { variant, transposeB })).destroy(); // warm-up: pipeline compile, first touch
        const times = [];
        for (let r = 0; r < reps; r++) {
          const { result, timing } = await gpu.time(() => m.matmul(gpu, a, b, { variant, transposeB }));
          result.destroy();
          times.push(timing.gpuMs);
        }
        times.sort((x, y) => x - y);
        const median = /** @type {number} */ (times[Math.floor(times.length / 2)]);
        console.log(`${variant}: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
        rows.push({
          variant,
          median,
          min: /** @type {number} */ (times[0]),
          max: /** @type {number} */ (times[times.length - 1]),
          gflops: (2 * M * N * K) / (median * 1e6),
        });
      }
      a.destroy();
      b.destroy();
      const info = gpu.info;
      return {
        rows,
        adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' · '),
        timer: gpu.features.timestampQuery ? 'timestamp-query' : 'submit-to-done',
        auto: m.chooseMatmulVariant(gpu, { M, N, K, batch: 1 }),
      };
    },
    M,
    N,
    K,
    repeats,
    only,
    transposeB,
  );
  const naive = result.rows.find((r) => r.variant === 'naive');
  console.log(
    `matmul ladder, M×N×K = ${M}×${N}×${K} f32${transposeB ? ' (B transposed)' : ''}, median of ${repeats} (${result.timer}), adapter: ${result.adapter}; 'auto' runs ${result.auto}\n`,
  );
  console.log('| variant | median ms | min–max ms | GFLOP/s | time ÷ naive (below 1 = faster) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of result.rows) {
    console.log(
      `| ${r.variant} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${r.gflops.toFixed(3)} | ${naive ? (r.median / naive.median).toFixed(2) : '–'} |`,
    );
  }
} finally {
  await browser.close().catch(() => {});
  await server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
