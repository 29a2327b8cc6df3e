// @ts-check
/**
 * Building the bench page (only it, into its own folder, so the CLI never touches
 * the site another build is writing) and serving it over http://localhost with
 * cross-origin isolation, which gives performance.now() its fine resolution.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createServer as createNetServer } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '..');
/** Where the CLI builds the bench page. */
export const SITE_DIR = process.env.KS_BENCH_SITE ?? join(ROOT, 'node_modules', '.kernelscope-bench', 'site');
const STAMP = '.build-stamp';
const SOURCES = ['src', 'shaders', 'demos', 'package-lock.json'];

/**
 * Newest modification time (ms) under the bench page's sources.
 * @param {string} p
 * @returns {number}
 */
function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const name of readdirSync(p)) t = Math.max(t, newestMtime(join(p, name)));
  return t;
}

/**
 * Builds demos/bench.html into `dir` unless the build there is newer than every source.
 * @param {{ force?: boolean, dir?: string, log?: (s: string) => void }} [opts]
 * @returns {Promise<boolean>} whether it built
 */
export async function buildSite(opts = {}) {
  const dir = opts.dir ?? SITE_DIR;
  const stamp = join(dir, STAMP);
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  if (!opts.force && existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= newest && existsSync(join(dir, 'demos', 'bench.html')))
    return false;
  opts.log?.('building the bench page (vite build)…');
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: ROOT,
    base: './',
    logLevel: 'error',
    plugins: [missingModulesThrow()],
    build: {
      outDir: dir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: { bench: join(ROOT, 'demos', 'bench.html') } },
    },
  });
  writeFileSync(stamp, String(newest));
  return true;
}

/**
 * A Vite plugin for the bench build only: an import that does not resolve (a kernel
 * another engineer is still writing) becomes a module that throws when loaded, so
 * only the suite that loads it fails, with the reason, and the page still builds.
 * @returns {import('vite').Plugin}
 */
export function missingModulesThrow() {
  const PREFIX = '\0ks-missing:';
  return {
    name: 'kernelscope-bench-missing-modules',
    async resolveId(source, importer, options) {
      if (!importer || !source.startsWith('.')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved ?? `${PREFIX}${source} (imported by ${importer.replace(ROOT, '').replace(/^[\\/]/, '')})`;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const what = id.slice(PREFIX.length);
      return `throw new Error(${JSON.stringify(`module ${what} is missing from this build`)});`;
    },
  };
}

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
};

/**
 * A free TCP port on localhost.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.once('error', rej);
    s.listen(0, 'localhost', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

/**
 * Serves `dir` on localhost:`port` (static files, cross-origin isolated).
 * @param {string} dir
 * @param {number} port
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serve(dir, port) {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (!(file === base || file.startsWith(base + sep)) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((res, rej) => {
    server.once('error', rej);
    /**
     * Stops the server and drops its kept-alive connections at once (`server.close` alone waits
     * for the browser to let them go, which can be never).
     * @returns {Promise<void>}
     */
    const close = () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    server.listen(port, 'localhost', () => res({ url: `http://localhost:${port}`, close }));
  });
}
