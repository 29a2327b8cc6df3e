// @ts-check
/**
 * `npm run build:lib`: the package in dist/lib/.
 *
 * 1. the ES modules (`index.js`, `viz.js`, `node.js`), the all-in-one ES module
 *    (`kernelscope.js`), the classic script (`kernelscope.iife.js`) and one Jupyter module per
 *    element (`anywidget/<tag>.js`), from vite.lib.config.ts;
 * 2. the `.d.ts` types under dist/lib/types/, from the TypeScript compiler, each entry with a
 *    reference to `@webgpu/types` (a dependency), so an app needs no type package of its own;
 * 3. the Custom Elements Manifest, dist/lib/custom-elements.json (tools/manifest.mjs).
 *
 * Options: `--no-manifest` skips step 3; `--out DIR` writes elsewhere (tests).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
/** The elements that get a Jupyter (anywidget) module, dist/lib/anywidget/<tag>.js. */
export const WIDGETS = ['attention-map', 'flash-tiles', 'loss-landscape', 'diffusion-steps'];
/** The package's entry points: source file → the name of its `.d.ts` under types/. */
export const ENTRIES = { index: 'src/index.ts', viz: 'src/viz/index.ts', node: 'src/node/index.ts' };

/**
 * Runs the three Vite builds into `out`.
 * @param {string} out
 */
async function buildModules(out) {
  const { build } = await import('vite');
  const configFile = join(ROOT, 'vite.lib.config.ts');
  const modes = ['es', 'bundle', 'iife', ...WIDGETS.map((tag) => `anywidget:${tag}`)];
  for (const mode of modes) await build({ configFile, mode, logLevel: 'warn', build: { outDir: out } });
}

/**
 * Emits the declarations of every entry (and what they import) under `out`/types.
 * @param {string} out
 */
export function buildTypes(out) {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const typesDir = join(out, 'types');
  const options = {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    declarationMap: false,
    allowJs: false,
    rootDir: join(ROOT, 'src'),
    outDir: typesDir,
  };
  const program = ts.createProgram(
    Object.values(ENTRIES).map((f) => join(ROOT, f)),
    options,
  );
  const result = program.emit();
  const problems = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (problems.length > 0) {
    const host = { getCanonicalFileName: (/** @type {string} */ f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
    throw new Error(`declarations failed:\n${ts.formatDiagnostics(problems, host)}`);
  }
  // Each entry's types need WebGPU's interfaces (GPUDevice, GPUBuffer, …).
  for (const src of Object.values(ENTRIES)) {
    const dts = join(typesDir, src.replace(/^src\//, '').replace(/\.ts$/, '.d.ts'));
    const text = readFileSync(dts, 'utf8');
    const head = '/// <reference types="@webgpu/types" />\n';
    if (!text.startsWith(head)) writeFileSync(dts, head + text);
  }
}

/**
 * Builds the whole package into `out` (default dist/lib), emptied first.
 * @param {{ out?: string, manifest?: boolean }} [opts]
 */
export async function buildLib(opts = {}) {
  const out = opts.out ?? join(ROOT, 'dist', 'lib');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await buildModules(out);
  buildTypes(out);
  if (opts.manifest !== false && existsSync(join(import.meta.dirname, 'manifest.mjs'))) {
    const { writeManifest } = await import('./manifest.mjs');
    await writeManifest({ out: join(out, 'custom-elements.json') });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-manifest': { type: 'boolean' } } });
  const out = await buildLib({ out: values.out && resolve(values.out), manifest: !values['no-manifest'] });
  console.log(`kernelscope: package built in ${out}`);
}
