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
  }
}

window.addEventListener('unhandledrejection', (e) => console.error(`unhandledrejection: ${String(e.reason?.stack ?? e.reason)}`));
window.ks = ks;
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
