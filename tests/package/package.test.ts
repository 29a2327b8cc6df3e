/**
 * The package end to end, as a new user meets it: `npm pack` (its prepack builds dist/lib), the
 * tarball installed into a fresh Vite + TypeScript app (tests/package/fixture.ts), then strict
 * `tsc`, the dev server, `vite build` with `vite preview`, each page in headless Chrome with every
 * element drawn and a matmul checked, and Node importing `kernelscope` and `kernelscope/node`.
 *
 * Run: `npm run test:package` (its own Vitest config; not part of `npm test`: it packs and
 * installs, about a minute). Port: KS_TEST_PORT + 7 (dev server) and + 8 (preview).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, createServer, preview } from 'vite';
import puppeteer, { type Browser } from 'puppeteer-core';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from '../../bench/chrome.mjs';
import { fixturePackageJson, INDEX_HTML, MAIN_TS, NODE_CHECK, TSCONFIG } from './fixture';

const ROOT = join(import.meta.dirname, '../..');
// Outside the repository, so that nothing resolves from its node_modules (no @types, no webgpu).
const WORK = mkdtempSync(join(tmpdir(), 'ks-package-'));
const APP = join(WORK, 'app');
const PORT = Number(process.env.KS_TEST_PORT ?? 5199) + 7;
const ELEMENTS = ['attention-map', 'flash-tiles', 'loss-landscape', 'diffusion-steps'];

let tarball = '';
let browser: Browser | null = null;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}\n${err.message}`, { cause: e });
  }
}

interface Outcome {
  done: boolean;
  error?: string;
  matmulErr?: number;
  adapter?: string;
  svgBytes: Record<string, number>;
  firstColor: string;
}

/** Loads `url`, waits for the fixture's outcome, and returns it with the page's errors. */
async function visit(url: string): Promise<{ outcome: Outcome; errors: string[] }> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${String((e as Error).message ?? e)}`));
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction('window.fixture && window.fixture.done', { timeout: 170_000 });
    const outcome = (await page.evaluate('window.fixture')) as Outcome;
    return { outcome, errors };
  } finally {
    await page.close();
  }
}

function expectDrawn({ outcome, errors }: { outcome: Outcome; errors: string[] }): void {
  expect(outcome.error).toBeUndefined();
  expect(errors).toEqual([]);
  expect(outcome.adapter).not.toMatch(/^none/);
  expect(outcome.matmulErr).toBeLessThan(1e-5);
  for (const tag of ELEMENTS) expect(outcome.svgBytes[tag], tag).toBeGreaterThan(500);
  expect(outcome.firstColor).toBe('#0072B2');
}

beforeAll(async () => {
  mkdirSync(join(APP, 'src'), { recursive: true });
  // prepack builds dist/lib; --json names the tarball.
  const packOut = run('npm', ['pack', '--json', '--pack-destination', WORK], ROOT);
  const packed = JSON.parse(packOut.slice(packOut.search(/^\[/m))) as { filename: string }[];
  tarball = join(WORK, packed[0]!.filename);
  writeFileSync(join(APP, 'package.json'), fixturePackageJson(tarball));
  writeFileSync(join(APP, 'tsconfig.json'), TSCONFIG);
  writeFileSync(join(APP, 'index.html'), INDEX_HTML);
  writeFileSync(join(APP, 'src/main.ts'), MAIN_TS);
  writeFileSync(join(APP, 'node-check.mjs'), NODE_CHECK);
  // Dawn (the optional `webgpu`) is left out: kernelscope/node must then say so, typed.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional'], APP);
  const chrome = findChrome();
  if (!chrome) throw new Error(NO_CHROME_MESSAGE);
  const launch = adapterLaunch(process.env.KS_ADAPTER ?? 'swiftshader');
  browser = await puppeteer.launch({
    executablePath: chrome,
    headless: true,
    pipe: true,
    args: launch.args,
    env: { ...process.env, ...launch.env },
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  rmSync(WORK, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the built modules, types, manifest and LICENSE, and no TypeScript source', () => {
    const files = run('tar', ['-tzf', tarball], WORK).split('\n').filter(Boolean);
    for (const f of [
      'index.js',
      'viz.js',
      'node.js',
      'kernelscope.js',
      'kernelscope.iife.js',
      'types/index.d.ts',
      'types/viz/index.d.ts',
      'types/node/index.d.ts',
    ])
      expect(files).toContain(`package/dist/lib/${f}`);
    expect(files).toContain('package/LICENSE');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.wgsl'))).toEqual([]);
    const installed = join(APP, 'node_modules/kernelscope/dist/lib');
    const js = readdirSync(installed, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    // The WGSL is inside the modules: no import of a .wgsl file is left.
    for (const f of js) expect(readFileSync(join(installed, f), 'utf8'), f).not.toMatch(/(from|import)\s*\(?\s*["'][^"']*\.wgsl/);
    expect(readFileSync(join(installed, 'kernelscope.iife.js'), 'utf8')).toMatch(/@compute/);
  });

  it('type-checks in a strict app with no type package of its own', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    expect(run('node', [tsc, '-p', APP], APP)).toBe('');
  });

  it('runs under the Vite dev server: every element drawn, a matmul checked, no console error', async () => {
    const server = await createServer({
      root: APP,
      configFile: false,
      logLevel: 'warn',
      cacheDir: join(APP, 'node_modules/.vite'),
      server: { port: PORT, strictPort: true, hmr: false },
    });
    await server.listen();
    try {
      expectDrawn(await visit(`http://localhost:${PORT}/`));
    } finally {
      (server.httpServer as { closeAllConnections?: () => void } | null)?.closeAllConnections?.();
      await server.close();
    }
  });

  it('builds with vite build, and the built app works under vite preview', async () => {
    await build({ root: APP, configFile: false, logLevel: 'warn', build: { outDir: join(APP, 'dist') } });
    const server = await preview({
      root: APP,
      configFile: false,
      logLevel: 'warn',
      build: { outDir: join(APP, 'dist') },
      preview: { port: PORT + 1, strictPort: true },
    });
    try {
      expectDrawn(await visit(`http://localhost:${PORT + 1}/`));
    } finally {
      // Chrome keeps its connections alive: drop them, or close() waits for them to time out.
      (server.httpServer as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve, reject) => server.httpServer.close((e) => (e ? reject(e) : resolve())));
    }
  });

  it('imports from Node: the CPU references work, and both GPU requests fail typed', () => {
    const out = JSON.parse(run('node', ['node-check.mjs'], APP)) as Record<string, unknown>;
    expect(out.matmul).toEqual([19, 22, 43, 50]);
    expect(out.requestGpu).toMatch(/^WebGPUUnavailableError: .*navigator\.gpu is missing/);
    expect(out.requestNodeGpu).toMatch(/^WebGPUUnavailableError: .*webgpu/);
  });
});
