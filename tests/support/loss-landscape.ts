/**
 * The `<loss-landscape>` test page: the element and its shared-GPU module, with
 * `?nogpu` removing navigator.gpu first (the CPU fallback). `window.llReady`
 * becomes true once the element is defined.
 */
import { PALETTE_CSS } from '../../src/viz/palette';

declare global {
  interface Window {
    llReady?: boolean;
    ksImport: (path: string) => Promise<any>;
  }
}

if (new URLSearchParams(location.search).has('nogpu')) {
  Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
}
window.addEventListener('unhandledrejection', (e) => console.error(`unhandledrejection: ${String(e.reason?.stack ?? e.reason)}`));
window.ksImport = (path: string) => import(/* @vite-ignore */ path);
const sheet = new CSSStyleSheet();
sheet.replaceSync(PALETTE_CSS);
document.adoptedStyleSheets = [sheet];
await import('../../src/viz/loss-landscape/index');
window.llReady = true;
