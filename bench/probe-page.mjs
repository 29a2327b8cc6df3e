// @ts-check
/**
 * Runs one async function in the harness page on a chosen adapter and prints its
 * JSON result: the quick A/B probes behind kernel design choices (not the benchmark).
 *
 *   node bench/probe-page.mjs --adapter lavapipe --script probes/flash-layouts.js --port 5219
 *
 * The script file is a module whose default export is an async function run in the
 * page (it gets `window` with `gpu`, `ks`, `ksImport`); its return value is printed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { arg, withHarnessPage } from './harness-page.mjs';

const adapter = arg('adapter', 'swiftshader');
const port = Number(arg('port', '5219'));
const source = readFileSync(resolve(arg('script', '')), 'utf8');
const result = await withHarnessPage({ adapter, port, onConsole: (m) => console.error(`page ${m.type()}: ${m.text()}`) }, (page) =>
  page.evaluate(async (src) => {
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const mod = await import(/* @vite-ignore */ url);
    return mod.default();
  }, source),
);
console.log(JSON.stringify(result, null, 1));
