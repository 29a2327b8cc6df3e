// @ts-check
/**
 * Loads bench/shared.ts (the plan and report builders of src/bench) into Node
 * through Vite's module runner: TypeScript is transformed, node_modules are
 * imported natively, and nothing is written to disk.
 */
import { join } from 'node:path';
import { ROOT } from './site.mjs';

/** @type {Promise<typeof import('./shared')> | null} */
let loaded = null;

/**
 * The shared bench modules, loaded once per process.
 * @returns {Promise<typeof import('./shared')>}
 */
export function loadShared() {
  loaded ??= (async () => {
    const { runnerImport } = await import('vite');
    /** @type {{ module: typeof import('./shared') }} */
    const { module } = await runnerImport(join(ROOT, 'bench', 'shared.ts'), { configFile: false, root: ROOT, logLevel: 'error' });
    return module;
  })();
  return loaded;
}
