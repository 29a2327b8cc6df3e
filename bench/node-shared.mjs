// @ts-check
/**
 * The pack's stand-in for bench/modules.mjs: the shared bench modules, bundled
 * (bench/pack.mjs redirects `./modules.mjs` here), instead of loaded through Vite at
 * run time. src/node/bench.ts re-exports bench/shared.ts, so the report builders are
 * the same code.
 */
import * as lib from '../src/node/bench';

/**
 * The shared bench modules (plan and report builders), already loaded.
 * @returns {Promise<typeof import('./shared')>}
 */
export function loadShared() {
  return Promise.resolve(lib);
}
