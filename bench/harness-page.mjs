// @ts-check
/**
 * One headless Chrome on the test harness page, served by Vite's dev server: what the
 * design probes (bench/probe-page.mjs) and the matmul ladder (bench/matmul-ladder.mjs)
 * run their in-page code against. `withHarnessPage` starts both, waits for
 * `window.gpu`, runs `work(page)`, and always shuts both down.
 */
import { createServer } from 'vite';
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from './chrome.mjs';

/** `--name value` from argv, else `fallback`. @param {string} name @param {string} fallback */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 && process.argv[i + 1]) || fallback;
}

/**
 * @template T
 * @param {{ adapter: string, port: number, onConsole?: (m: import('puppeteer-core').ConsoleMessage) => void }} opts
 * @param {(page: import('puppeteer-core').Page) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function withHarnessPage({ adapter, port, onConsole }, work) {
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
    cacheDir: join(root, 'node_modules/.vite', `harness-${port}`),
    server: { port, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  const userDataDir = mkdtempSync(join(tmpdir(), 'ks-harness-'));
  const browser = await puppeteer.launch({
    executablePath: chrome,
    headless: true,
    args: [...launch.args, `--remote-debugging-port=${port + 1000}`, `--user-data-dir=${userDataDir}`],
    env: { ...process.env, ...launch.env },
    protocolTimeout: 900_000,
  });
  try {
    const page = await browser.newPage();
    if (onConsole) page.on('console', onConsole);
    const level = launch.featureLevel === 'compatibility' ? '?featureLevel=compatibility' : '';
    await page.goto(`http://localhost:${port}/tests/support/harness.html${level}`, { waitUntil: 'load' });
    await page.waitForFunction('window.ksReady !== undefined', { timeout: 120_000 });
    const ready = await page.evaluate(() => window.ksReady);
    if (ready !== 'ok') throw new Error(`harness: ${ready}`);
    return await work(page);
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
