// @ts-check
/**
 * The bench pack's entry (bench.mjs once bundled). The WebGPU flag namespaces that
 * library modules read at import time are defined first; the program itself is
 * imported after that, dynamically, so that no bundled chunk can run before them.
 */
import '../src/node/flags';

await import('./node-cli.mjs');
