/**
 * Starts one Vite dev server and one headless Chrome for all browser tests.
 * Port: KS_TEST_PORT (default 5199). Adapter: KS_ADAPTER (swiftshader | lavapipe).
 */
import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';
import puppeteer, { type Browser } from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from '../../bench/chrome.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    wsEndpoint: string;
    baseUrl: string;
    featureLevel: string;
    /** The KS_ADAPTER name the browser was launched for: tests accept what that adapter honestly reports. */
    adapter: string;
  }
}

export default async function setup(project: TestProject) {
  const chrome = findChrome();
  if (!chrome) throw new Error(NO_CHROME_MESSAGE);
  const port = Number(process.env.KS_TEST_PORT ?? 5199);
  const adapter = process.env.KS_ADAPTER ?? 'swiftshader';
  const launch = adapterLaunch(adapter);

  const server: ViteDevServer = await createServer({
    configFile: join(import.meta.dirname, '../../vite.config.ts'),
    logLevel: 'warn',
    // A cache per port: concurrent test servers never re-optimize each other's deps mid-run.
    cacheDir: join(import.meta.dirname, '../../node_modules/.vite', `test-${port}`),
    server: { port, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();

  const userDataDir = mkdtempSync(join(tmpdir(), 'ks-chrome-'));
  const debugPort = port + 1000;
  const browser: Browser = await puppeteer.launch({
    executablePath: chrome,
    headless: true,
    args: [...launch.args, `--remote-debugging-port=${debugPort}`, `--user-data-dir=${userDataDir}`],
    env: { ...process.env, ...launch.env },
    protocolTimeout: 300_000,
  });

  project.provide('wsEndpoint', browser.wsEndpoint());
  project.provide('baseUrl', `http://localhost:${port}`);
  project.provide('featureLevel', launch.featureLevel);
  project.provide('adapter', adapter);

  return async () => {
    await browser.close().catch(() => {});
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
}
