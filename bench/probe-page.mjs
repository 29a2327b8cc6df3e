// @ts-check
/**
 * Runs one async function in the harness page on a chosen adapter and prints its
 * JSON result: the quick A/B probes behind kernel design choices (not the benchmark).
 *
 *   node bench/probe-page.mjs --adapter lavapipe --script probes/flash-layouts.js --port 5219
 *
 * The script file is a module whose default export is an async function run in the
 * page (it gets `window` with `gpu`, `ks`, `ksImport`); its return value is printed.
 */
import { createServer } from 'vite';
import puppeteer from 'puppeteer-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from './chrome.mjs';

/** @param {string} name @param {string} fallback */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 && process.argv[i + 1]) || fallback;
}

const adapter = arg('adapter', 'swiftshader');
const port = Number(arg('port', '5219'));
const scriptPath = resolve(arg('script', ''));
const source = readFileSync(scriptPath, 'utf8');
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
  cacheDir: join(root, 'node_modules/.vite', `probe-${port}`),
  server: { port, strictPort: true, hmr: false, watch: null },
});
await server.listen();
const userDataDir = mkdtempSync(join(tmpdir(), 'ks-probe-'));
const browser = await puppeteer.launch({
  executablePath: chrome,
  headless: true,
  args: [...launch.args, `--remote-debugging-port=${port + 1000}`, `--user-data-dir=${userDataDir}`],
  env: { ...process.env, ...launch.env },
  protocolTimeout: 900_000,
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`page ${m.type()}: ${m.text()}`));
  const level = launch.featureLevel === 'compatibility' ? '?featureLevel=compatibility' : '';
  await page.goto(`http://localhost:${port}/tests/support/harness.html${level}`, { waitUntil: 'load' });
  await page.waitForFunction('window.ksReady !== undefined', { timeout: 120_000 });
  const result = await page.evaluate(async (src) => {
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const mod = await import(/* @vite-ignore */ url);
    return mod.default();
  }, source);
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
  await server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
