import { defineConfig, type Plugin } from 'vite';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildManifest } from './tools/manifest.mjs';

/** Every `demos/*.html` is a page of the site; new pages need no config change. */
const demoPages = Object.fromEntries(
  readdirSync(resolve(import.meta.dirname, 'demos'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), resolve(import.meta.dirname, 'demos', f)]),
);

/**
 * The Custom Elements Manifest (tools/manifest.mjs) at `/custom-elements.json`: served by the dev
 * server, written into the built site. demos/elements.html draws its API tables from it.
 */
function elementsManifest(): Plugin {
  const text = async (): Promise<string> => `${JSON.stringify(await buildManifest(), null, 2)}\n`;
  return {
    name: 'kernelscope-elements-manifest',
    configureServer(server) {
      server.middlewares.use('/custom-elements.json', (_req, res, next) => {
        text().then((body) => {
          res.setHeader('Content-Type', 'application/json');
          res.end(body);
        }, next);
      });
    },
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'custom-elements.json', source: await text() });
    },
  };
}

export default defineConfig({
  root: '.',
  plugins: [elementsManifest()],
  base: './',
  build: {
    // The demo site; the package build writes dist/lib (vite.lib.config.ts), so neither clobbers the other.
    outDir: 'dist/site',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { root: resolve(import.meta.dirname, 'index.html'), ...demoPages } },
  },
  server: { port: 5173, strictPort: false },
  optimizeDeps: {
    // Scan everything up front, so the dev server never re-optimizes and reloads a page mid-test.
    // demos/notes/ load the package build, not sources (npm run notes): not scanned.
    entries: ['index.html', 'demos/*.html', 'tests/support/**/*.html', 'src/**/*.ts'],
  },
  preview: { port: 5173, open: false },
});
