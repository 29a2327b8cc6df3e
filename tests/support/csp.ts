/**
 * Every element under `script-src 'self'`: records CSP violations and which elements
 * have finished drawing, then defines the elements (listeners first, so no event is missed).
 */
declare global {
  interface Window {
    cspViolations: string[];
    drawn: Record<string, string>;
  }
}

window.cspViolations = [];
window.drawn = {};
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
for (const type of ['ks-rendered', 'ks-sampled', 'ks-error']) {
  document.addEventListener(type, (e) => {
    const tag = (e.target as Element).localName;
    window.drawn[tag] = type === 'ks-error' ? `error: ${(e as CustomEvent).detail?.message}` : 'ok';
  });
}
await import('../../src/viz/index');
export {};
