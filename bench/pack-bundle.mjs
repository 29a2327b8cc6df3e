// @ts-check
/**
 * The pack's JavaScript: bench/node-main.mjs and everything it imports (the CLI's
 * option, plan, run-folder and report modules, src/bench, the kernels with their WGSL
 * inlined, TF.js and jax-js) bundled by Vite into one ES module for Node, bench.mjs,
 * with the lazily loaded parts in chunks/. Only Node's built-ins and `webgpu` (Dawn's
 * binding, carried beside it in node_modules/) stay outside. Two substitutions:
 * bench/modules.mjs (Vite at run time) becomes bench/node-shared.mjs (the bundled
 * modules), and the ONNX Runtime Web peer becomes a stub that says why it is absent
 * (`--runtime node` in the repository uses the same stub).
 */
import { join } from 'node:path';

const ORT_STUB = '\0kernelscope:ort-stub';

/** Why the pack has no ONNX Runtime Web peer (its cases fail with this reason). */
export const ORT_ABSENT =
  'ONNX Runtime Web does not run in Node, so the Node runtime and the pack leave it out: it needs a browser page (it locates its 28 MB WebAssembly file from location.href)';

/**
 * The Vite plugin that makes the two substitutions.
 * @param {string} root
 * @returns {import('vite').Plugin}
 */
export function packSubstitutions(root) {
  const benchDir = join(root, 'bench');
  return {
    name: 'kernelscope-pack-substitutions',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      if (source === './modules.mjs' && importer.startsWith(benchDir)) return join(benchDir, 'node-shared.mjs');
      if (/[/\\]peers[/\\]index\.ts$/.test(importer) && /^\.\/ort(\.ts)?$/.test(source)) return ORT_STUB;
      return null;
    },
    load(id) {
      if (id !== ORT_STUB) return null;
      return `export async function createOrtPeer() { const e = new Error(${JSON.stringify(ORT_ABSENT)}); e.name = 'PeerUnavailableError'; throw e; }\n`;
    },
  };
}

/**
 * Bundles the bench into `outDir` (bench.mjs and chunks/).
 * @param {string} root the repository
 * @param {string} outDir
 */
export async function buildPackBundle(root, outDir) {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    plugins: [packSubstitutions(root)],
    ssr: { noExternal: true, external: ['webgpu'], target: 'node' },
    build: {
      ssr: join(root, 'bench', 'node-main.mjs'),
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'node20',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      rollupOptions: {
        external: ['webgpu', /^node:/],
        output: { format: 'es', entryFileNames: 'bench.mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
        // The bench's lazy loaders name modules that the kernels also import statically: expected, not news.
        onwarn(warning, warn) {
          if (warning.code !== 'INEFFECTIVE_DYNAMIC_IMPORT') warn(warning);
        },
      },
    },
  });
}
