/**
 * The example notes of demos/notes/, built as `npm run notes` builds them (tools/notes.mjs): each
 * shows every element, drawn, with no console error:
 * - a plain HTML note on the ES build, over http;
 * - the same kind of note on the IIFE, opened from file://;
 * - a Markdown note rendered at build time with markdown-it;
 * - a page under a strict CSP (no violation);
 * - a dark page (prefers-color-scheme: dark): the labels are light on the dark background.
 * Screenshots go to tests/.artifacts/screens/notes-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

const ELEMENTS = ['attention-map', 'flash-tiles', 'loss-landscape', 'diffusion-steps'];
const screens = join(import.meta.dirname, '../.artifacts/screens');

let dir = '';
let server: Server | null = null;
let base = '';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** Serves `root` on a free localhost port; closing it drops kept-alive connections at once. */
function serveNotes(root: string): Promise<Server> {
  const srv = createServer((req, res) => {
    const file = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)));
    if (!file.startsWith(root + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => srv.listen(0, 'localhost', () => resolve(srv)));
}
let browser: Browser | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ks-notes-'));
  // As `npm run notes` does it; in its own process (Vite's build is much slower inside a test worker).
  execFileSync('node', ['tools/notes.mjs', '--out', dir], { cwd: join(import.meta.dirname, '../..'), stdio: 'pipe', timeout: 300_000 });
  server = await serveNotes(dir);
  const address = server.address();
  base = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 300_000 });
  mkdirSync(screens, { recursive: true });
}, 300_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  browser?.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

interface Shown {
  drawn: Record<string, boolean>;
  errors: string[];
  violations: string[];
  labelColors: string[];
}

/** Opens a note, waits for every element to settle, and reports what it shows. */
async function show(url: string, name: string, opts: { dark?: boolean } = {}): Promise<Shown> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${String((e as Error).message ?? e)}`));
  try {
    await page.setViewport({ width: 1100, height: 900 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: opts.dark ? 'dark' : 'light' }]);
    await page.evaluateOnNewDocument(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    const r = await page.evaluate(async (tags: string[]) => {
      await Promise.all(tags.map((t) => customElements.whenDefined(t)));
      const els = tags.map((t) => document.querySelector(t) as (HTMLElement & { settled(): Promise<void> }) | null);
      await Promise.all(els.map((el) => el?.settled()));
      const drawn = Object.fromEntries(
        tags.map((t, i) => [t, !!els[i]?.shadowRoot?.querySelector('svg') && !els[i]?.shadowRoot?.querySelector('.error')]),
      );
      // The colour of each element's first SVG text (axis labels, legends).
      const labelColors = els.map((el) => {
        const text = el?.shadowRoot?.querySelector('svg text');
        return text ? getComputedStyle(text).fill : 'none';
      });
      return { drawn, violations: (window as unknown as { violations: string[] }).violations, labelColors };
    }, ELEMENTS);
    await page.screenshot({ path: join(screens, `notes-${name}.png`) as `${string}.png`, fullPage: true });
    return { ...r, errors };
  } finally {
    await page.close();
  }
}

const everyElement = Object.fromEntries(ELEMENTS.map((t) => [t, true]));

/** Relative luminance of `rgb(r, g, b)`, 0 (black) … 1 (white). */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

describe('notes', () => {
  it('a plain HTML note on the ES build, over http', async () => {
    const r = await show(`${base}/attention-es.html`, 'es');
    expect(r.errors).toEqual([]);
    expect(r.drawn).toEqual(everyElement);
  });

  it('a note on the IIFE, opened from file://', async () => {
    const r = await show(pathToFileURL(join(dir, 'attention-file.html')).href, 'file');
    expect(r.errors).toEqual([]);
    expect(r.drawn).toEqual(everyElement);
  });

  it('a Markdown note rendered at build time, elements inline', async () => {
    const r = await show(`${base}/optimizers.html`, 'markdown');
    expect(r.errors).toEqual([]);
    expect(r.drawn).toEqual(everyElement);
  });

  it('a page under a strict CSP, with no violation', async () => {
    const r = await show(`${base}/strict-csp.html`, 'csp');
    expect(r.violations).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.drawn).toEqual(everyElement);
  });

  it('a dark page: every element drawn, its labels light on the dark background', async () => {
    const r = await show(`${base}/dark.html`, 'dark', { dark: true });
    expect(r.errors).toEqual([]);
    expect(r.drawn).toEqual(everyElement);
    for (const [i, c] of r.labelColors.entries()) expect(luminance(c), `${ELEMENTS[i]} label ${c}`).toBeGreaterThan(0.25);
  });
});
