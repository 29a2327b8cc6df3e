/**
 * The package build (`npm run build:lib`, run by `npm run build` and `npm pack`), into dist/lib/:
 *
 * - `--mode es` (default): ES modules for `kernelscope`, `kernelscope/viz` and `kernelscope/node`
 *   (`index.js`, `viz.js`, `node.js`, shared code under `chunks/`), with lit, d3, katex, webgpu and
 *   Node's built-ins left as imports, so an app's bundler shares them.
 * - `--mode bundle`: `kernelscope.js`, one self-contained ES module (elements and kernel API, every
 *   dependency inside) for a `<script type="module">` in a note served over http.
 * - `--mode iife`: `kernelscope.iife.js`, the same as one classic script (`window.kernelscope`),
 *   which also works from a note opened from `file://`.
 * - `--mode anywidget:<tag>`: `anywidget/<tag>.js`, the Jupyter module of one element
 *   (`src/viz/anywidget.ts`), self-contained, since a notebook loads it from text.
 *
 * The WGSL is inlined at build time (Vite's `?raw`). Types come from `tools/build-lib.mjs`.
 */
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';

const ROOT = import.meta.dirname;
const OUT = resolve(ROOT, 'dist/lib');

/** Packages the ES build leaves as imports (and their subpaths: `lit/directives/…`). */
const EXTERNAL = [/^(lit|d3|katex|webgpu)(\/.*)?$/, /^node:/, ...builtinModules.map((m) => new RegExp(`^${m}(/.*)?$`))];

const ENTRY = 'virtual:kernelscope-all';
const ALL_IN_ONE = '\0kernelscope-all-in-one';

const src = (path: string): string => JSON.stringify(resolve(ROOT, 'src', path));

/**
 * The virtual entry of the two bundles: `kernelscope:all` re-exports the kernel API and the
 * elements. No module reads a WebGPU global (`GPUBufferUsage`, …) when it loads, so
 * `import 'kernelscope'` works in Node as it is (the CPU references, the problem rules;
 * `requestGpu` then says WebGPU is missing).
 */
function virtualEntries(): Plugin {
  const code = `export * from ${src('index.ts')};\nexport * from ${src('viz/index.ts')};\n`;
  return {
    name: 'kernelscope-virtual-entries',
    resolveId: (id) => (id.endsWith(ENTRY) ? ALL_IN_ONE : null),
    load: (id) => (id === ALL_IN_ONE ? code : null),
  };
}

const esBuild: UserConfig = {
  plugins: [virtualEntries()],
  build: {
    outDir: OUT,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: false,
    lib: {
      entry: {
        index: resolve(ROOT, 'src/index.ts'),
        viz: resolve(ROOT, 'src/viz/index.ts'),
        node: resolve(ROOT, 'src/node/index.ts'),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      external: (id) => EXTERNAL.some((re) => re.test(id)),
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
};

function bundleBuild(format: 'es' | 'iife'): UserConfig {
  return {
    plugins: [virtualEntries()],
    build: {
      outDir: OUT,
      emptyOutDir: false,
      target: 'es2022',
      chunkSizeWarningLimit: 2048,
      lib: {
        entry: ENTRY,
        name: 'kernelscope',
        formats: [format],
        fileName: () => (format === 'es' ? 'kernelscope.js' : 'kernelscope.iife.js'),
      },
      // One file: no dynamic import may split off a chunk. Minified whitespace too (Vite keeps an ES
      // library's whitespace for later bundlers; this file is loaded as it is).
      rollupOptions: { output: { codeSplitting: false, minify: true } },
    },
  };
}

/** The module that defines `<tag>`: its folder's index, else `src/viz/<tag>.ts`. */
function elementModule(tag: string): string {
  const folder = resolve(ROOT, 'src/viz', tag, 'index.ts');
  return existsSync(folder) ? folder : resolve(ROOT, 'src/viz', `${tag}.ts`);
}

/** The anywidget module of one element, as one file. */
function anywidgetBuild(tag: string): UserConfig {
  if (!/^[a-z]+(-[a-z]+)+$/.test(tag) || !existsSync(elementModule(tag))) throw new Error(`anywidget: no element <${tag}>`);
  const id = '\0kernelscope-anywidget';
  const code = [
    `import ${JSON.stringify(elementModule(tag))};`,
    `import { anywidget } from ${JSON.stringify(resolve(ROOT, 'src/viz/anywidget.ts'))};`,
    `export default anywidget(${JSON.stringify(tag)});`,
  ].join('\n');
  return {
    plugins: [
      {
        name: 'kernelscope-anywidget-entry',
        resolveId: (source) => (source.endsWith('virtual:kernelscope-anywidget') ? id : null),
        load: (source) => (source === id ? code : null),
      },
    ],
    build: {
      outDir: OUT,
      emptyOutDir: false,
      target: 'es2022',
      chunkSizeWarningLimit: 2048,
      lib: { entry: 'virtual:kernelscope-anywidget', formats: ['es'], fileName: () => `anywidget/${tag}.js` },
      rollupOptions: { output: { codeSplitting: false, minify: true } },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode.startsWith('anywidget:')) return anywidgetBuild(mode.slice('anywidget:'.length));
  if (mode === 'iife') return bundleBuild('iife');
  if (mode === 'bundle') return bundleBuild('es');
  return esBuild;
});
