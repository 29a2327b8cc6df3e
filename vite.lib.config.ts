/**
 * The embeddable build: `npm run build:lib` writes dist-lib/kernelscope-viz.iife.js
 * (one classic script tag, works from file:// notes) and an ES module twin.
 * Both define every custom element of `kernelscope/viz` and carry the WGSL inline.
 */
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

export default defineConfig({
  build: {
    outDir: 'dist-lib',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: resolve(import.meta.dirname, 'src/viz/index.ts'),
      name: 'kernelscope',
      formats: ['iife', 'es'],
      fileName: (format) => `kernelscope-viz.${format === 'es' ? 'mjs' : 'iife.js'}`,
    },
  },
});
