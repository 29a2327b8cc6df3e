/**
 * Opening pages in the shared headless Chrome, and the checks every browser test
 * run makes: no console error, no unhandled rejection, GPU buffers that balance.
 */
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

let browser: Promise<Browser> | null = null;

function connect(): Promise<Browser> {
  browser ??= puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 300_000 });
  return browser;
}

/** A page with its console errors collected. */
export interface TrackedPage {
  page: Page;
  /** Console errors, page errors and unhandled rejections, in order. */
  errors: string[];
}

/** Opens `path` (relative to the dev server, or a full file:// URL) and collects its errors. */
export async function openPage(path: string, opts: { waitFor?: string; timeoutMs?: number } = {}): Promise<TrackedPage> {
  const b = await connect();
  const page = await b.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${String((err as Error).message ?? err)}`));
  await page.goto(path.startsWith('file://') ? path : `${inject('baseUrl')}${path}`, {
    waitUntil: 'load',
    timeout: opts.timeoutMs ?? 120_000,
  });
  if (opts.waitFor) await page.waitForFunction(opts.waitFor, { timeout: opts.timeoutMs ?? 120_000 });
  return { page, errors };
}

/** The harness page, with `window.gpu` ready (fails with the reason if WebGPU is missing). */
export async function openHarness(): Promise<TrackedPage> {
  const level = inject('featureLevel') === 'compatibility' ? '?featureLevel=compatibility' : '';
  const tracked = await openPage(`/tests/support/harness.html${level}`, { waitFor: 'window.ksReady !== undefined' });
  const ready = await tracked.page.evaluate(() => window.ksReady);
  if (ready !== 'ok') throw new Error(`harness: ${ready}`);
  return tracked;
}

/** Live GPU buffers booked by the page's shared `Gpu`. */
export function liveBuffers(page: Page): Promise<number> {
  return page.evaluate(() => window.gpu.memory.liveBuffers);
}

/**
 * Registers a harness page for the current file: opened before the tests, checked
 * after each (no errors, buffers back to where they were) and closed at the end.
 * Returns a getter for the page.
 */
export function useHarness(): () => TrackedPage {
  let tracked: TrackedPage | null = null;
  let baseline = 0;
  beforeAll(async () => {
    tracked = await openHarness();
    baseline = await liveBuffers(tracked.page);
  });
  afterEach(async (ctx) => {
    if (!tracked) return;
    const errors = tracked.errors.splice(0);
    const live = await liveBuffers(tracked.page);
    const balanced = live === baseline;
    baseline = live;
    // Report the first problem; then the next test starts from a clean slate.
    if (ctx.task.result?.state !== 'fail') {
      expect(errors, 'console errors / unhandled rejections').toEqual([]);
      expect(balanced, `GPU buffers leaked: ${live} live after the test`).toBe(true);
    }
  });
  afterAll(async () => {
    await tracked?.page.close();
    tracked = null;
  });
  return () => {
    if (!tracked) throw new Error('useHarness: page not open yet');
    return tracked;
  };
}
