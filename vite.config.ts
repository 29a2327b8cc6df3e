import { defineConfig } from 'vite';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Every `demos/*.html` is a page of the site; new pages need no config change. */
const demoPages = Object.fromEntries(
  readdirSync(resolve(import.meta.dirname, 'demos'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), resolve(import.meta.dirname, 'demos', f)]),
);

export default defineConfig({
  root: '.',
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
    entries: ['index.html', 'demos/**/*.html', 'tests/support/**/*.html', 'src/**/*.ts'],
  },
  preview: { port: 5173, open: false },
});
