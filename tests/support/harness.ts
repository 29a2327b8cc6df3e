/**
 * The page every browser test opens. It exposes the library as `window.ks`, a
 * shared `window.gpu`, and `window.ksImport(path)` for modules outside the barrel.
 * `window.ksReady` becomes 'ok' or 'error: …' once the GPU request settles.
 */
import * as ks from '../../src/index';

declare global {
  interface Window {
    ks: typeof ks;
    gpu: ks.Gpu;
    ksImport: (path: string) => Promise<any>;
    ksReady: string | undefined;
    ksErrorsBeforeGpuWork: (cases: [string, () => unknown][]) => Promise<string[]>;
  }
}

window.addEventListener('unhandledrejection', (e) => console.error(`unhandledrejection: ${String(e.reason?.stack ?? e.reason)}`));
window.ks = ks;
/**
 * Runs each bad-input case and reports `name: ErrorName created N`, where N is how many
 * GPU buffers the call created before failing (0 when it was caught before GPU work).
 */
window.ksErrorsBeforeGpuWork = async (cases) => {
  const out: string[] = [];
  for (const [name, call] of cases) {
    const before = window.gpu.memory.created;
    try {
      await call();
      out.push(`${name}: no error`);
    } catch (e) {
      out.push(`${name}: ${(e as Error).name} created ${window.gpu.memory.created - before}`);
    }
  }
  return out;
};
window.ksImport = (path: string) => import(/* @vite-ignore */ path);
const featureLevel = new URLSearchParams(location.search).get('featureLevel') === 'compatibility' ? 'compatibility' : 'core';
ks.requestGpu({ featureLevel }).then(
  (gpu) => {
    window.gpu = gpu;
    window.ksReady = 'ok';
  },
  (e: Error) => {
    window.ksReady = `error: ${e.message}`;
  },
);
