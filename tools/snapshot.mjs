// @ts-check
/**
 * `npm run snapshot -- <element> --attr k=v … --out fig.svg|png`: a static figure of one element
 * for notes that run no scripts.
 *
 * It renders the element in headless Chrome (the one-script IIFE build, on a page opened from
 * file://), waits for `settled()`, and writes the element's `exportSvg()` (or its PNG, rasterized
 * from that SVG at `--scale`). A bad attribute or a failed computation is reported (the element's
 * `ks-error` message) and the exit status is 1; nothing is written then.
 *
 * Options:
 *   --attr k=v      an attribute (repeat it; `--attr causal` for a flag)
 *   --out FILE      .svg or .png (default <element>.svg)
 *   --scale N       PNG pixels per CSS pixel (default 2)
 *   --width PX      the page's width (default 1100)
 *   --dark          prefers-color-scheme: dark, on a dark page
 *   --adapter NAME  swiftshader (default), lavapipe or default (the machine's GPU)
 *   --timeout S     seconds to wait for the element (default 170)
 *   --rebuild       build the IIFE again even when it is up to date
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { adapterLaunch, findChrome, NO_CHROME_MESSAGE } from '../bench/chrome.mjs';

const ROOT = resolve(import.meta.dirname, '..');
/** Where the snapshot tool keeps its IIFE build. */
const CACHE = join(ROOT, 'node_modules', '.kernelscope-snapshot');
const IIFE = 'kernelscope.iife.js';
/** The tags the tool knows; others are tried too (a newer element), with this list in the error. */
export const ELEMENTS = ['attention-map', 'flash-tiles', 'loss-landscape', 'diffusion-steps'];

/**
 * Newest modification time (ms) under `p`.
 * @param {string} p
 * @returns {number}
 */
function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((t, name) => Math.max(t, newest(join(p, name))), s.mtimeMs);
}

/**
 * The IIFE build, built into the cache when it is missing or older than the sources.
 * @param {{ rebuild?: boolean, log?: (s: string) => void }} [opts]
 * @returns {Promise<string>} its path
 */
export async function ensureIife(opts = {}) {
  const file = join(CACHE, IIFE);
  const sources = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'shaders')));
  if (!opts.rebuild && existsSync(file) && statSync(file).mtimeMs >= sources) return file;
  opts.log?.('building the IIFE (vite build --mode iife)…');
  const { build } = await import('vite');
  await build({
    configFile: join(ROOT, 'vite.lib.config.ts'),
    mode: 'iife',
    logLevel: 'error',
    build: { outDir: CACHE, emptyOutDir: true },
  });
  return file;
}

/**
 * Parses `k=v` pairs (a bare `k` is a flag: an empty value).
 * @param {string[]} pairs
 * @returns {Record<string, string>}
 */
export function parseAttrs(pairs) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    const name = (i < 0 ? pair : pair.slice(0, i)).trim();
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`snapshot: '${name}' is not an attribute name (lower case, digits and '-')`);
    out[name] = i < 0 ? '' : pair.slice(i + 1);
  }
  return out;
}

/**
 * Renders `tag` with `attrs` and returns its SVG text or PNG bytes.
 * @param {{ tag: string, attrs: Record<string, string>, format: 'svg' | 'png', scale?: number, width?: number,
 *   dark?: boolean, adapter?: string, timeoutMs?: number, rebuild?: boolean, log?: (s: string) => void }} opts
 * @returns {Promise<string | Buffer>}
 */
export async function snapshot(opts) {
  const chrome = findChrome();
  if (!chrome) throw new Error(NO_CHROME_MESSAGE);
  const iife = await ensureIife(opts);
  const dir = mkdtempSync(join(tmpdir(), 'ks-snapshot-'));
  const { default: puppeteer } = await import('puppeteer-core');
  const launch = adapterLaunch(opts.adapter ?? 'swiftshader');
  const browser = await puppeteer.launch({
    executablePath: chrome,
    headless: true,
    pipe: true,
    args: launch.args,
    env: { ...process.env, ...launch.env },
  });
  try {
    copyFileSync(iife, join(dir, IIFE));
    const bg = opts.dark ? '#16171a' : '#ffffff';
    writeFileSync(
      join(dir, 'page.html'),
      `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><style>body{margin:0;padding:8px;background:${bg};width:${opts.width ?? 1100}px}</style><script src="./${IIFE}"></script><body></body>`,
    );
    const page = await browser.newPage();
    /** @type {string[]} */
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(/** @type {Error} */ (e).message ?? e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.setViewport({ width: (opts.width ?? 1100) + 16, height: 900 });
    if (opts.dark) await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.goto(pathToFileURL(join(dir, 'page.html')).href, { waitUntil: 'load' });
    const result = await page.evaluate(
      async (tag, attrs, format, scale, timeoutMs) => {
        if (!customElements.get(tag)) return { error: `no element <${tag}> in kernelscope` };
        const el = /** @type {any} */ (document.createElement(tag));
        /** @type {string[]} */
        const problems = [];
        el.addEventListener('ks-error', (/** @type {any} */ e) => problems.push(e.detail?.message ?? 'error'));
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        document.body.append(el);
        const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
        if ((await Promise.race([el.settled(), timeout])) === 'timeout')
          return { error: `<${tag}> did not settle in ${timeoutMs / 1000} s` };
        if (problems.length) return { error: problems.join('\n') };
        if (format === 'svg') return { svg: el.exportSvg() };
        const blob = await el.exportPng(scale);
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let bin = '';
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return { png: btoa(bin) };
      },
      opts.tag,
      opts.attrs,
      opts.format,
      opts.scale ?? 2,
      opts.timeoutMs ?? 170_000,
    );
    if (errors.length) throw new Error(`snapshot: the page reported errors:\n${errors.join('\n')}`);
    if ('error' in result && result.error) throw new Error(`snapshot: ${result.error}`);
    if ('svg' in result && result.svg) return result.svg;
    if ('png' in result && result.png) return Buffer.from(result.png, 'base64');
    throw new Error('snapshot: nothing was exported');
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      attr: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
      scale: { type: 'string' },
      width: { type: 'string' },
      dark: { type: 'boolean' },
      adapter: { type: 'string' },
      timeout: { type: 'string' },
      rebuild: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const tag = positionals[0];
  if (values.help || !tag) {
    const doc = readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0] ?? '';
    console.log(doc.replace(/^\/\/ @ts-check\n\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
    process.exit(tag ? 0 : 2);
  }
  const out = resolve(values.out ?? `${tag}.svg`);
  const ext = extname(out).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new Error(`snapshot: --out must end in .svg or .png (got ${out})`);
  const data = await snapshot({
    tag,
    attrs: parseAttrs(values.attr ?? []),
    format: ext === '.svg' ? 'svg' : 'png',
    scale: values.scale ? Number(values.scale) : undefined,
    width: values.width ? Number(values.width) : undefined,
    dark: values.dark,
    adapter: values.adapter,
    timeoutMs: values.timeout ? Number(values.timeout) * 1000 : undefined,
    rebuild: values.rebuild,
    log: (s) => console.error(s),
  });
  writeFileSync(out, data);
  console.log(`kernelscope: <${tag}> written to ${out} (${Buffer.byteLength(data)} bytes)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
