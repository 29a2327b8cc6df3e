/**
 * The bench pack, end to end (vitest project `pack`, not part of `npm test`): build it
 * (`bench/pack.mjs`, into a temporary folder, downloads cached in dist-pack/.cache),
 * check the tarball's size and contents, then run its run.sh on SwiftShader for one
 * quick case with the Vulkan loader it carries (unpacked from Debian's libvulkan1 at
 * run time), and check the run folder. Then the two ways it must fail clearly: no
 * Vulkan driver at all (run.sh, exit 3), and drivers that give Dawn no adapter (the
 * bench, exit 1, with the reason).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPack } from '../../bench/pack.mjs';
import { PACK_TAR_LIMIT } from '../../bench/pack-files.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'ks-pack-test-'));
let pack: Awaited<ReturnType<typeof buildPack>>;

beforeAll(async () => {
  pack = await buildPack({ out: join(work, 'out'), cache: join(ROOT, 'dist-pack', '.cache'), tar: true, vulkanDebs: true });
  console.log(`pack: folder ${(pack.dirBytes / 2 ** 20).toFixed(1)} MiB, tarball ${((pack.tarBytes ?? 0) / 2 ** 20).toFixed(1)} MiB`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the pack's run.sh in `cwd` with `env` added; never throws. */
function runSh(args: string[], env: Record<string, string> = {}, cwd = work) {
  const r = spawnSync(join(pack.dir, 'run.sh'), args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('bench pack', () => {
  it('is a tarball within 60 MiB holding node, dawn.node, the bundle, the Vulkan loader package and run.sh', () => {
    expect(pack.tarBytes).toBeLessThanOrEqual(PACK_TAR_LIMIT);
    const list = execFileSync('tar', ['-tzf', pack.tarball!], { encoding: 'utf8', maxBuffer: 1 << 24 });
    for (const f of [
      'run.sh',
      'node',
      'bench.mjs',
      'node_modules/webgpu/dist/linux-x64/dawn.node',
      'node_modules/webgpu/index.js',
      'README.txt',
    ])
      expect(list).toContain(`kernelscope-bench-linux-x64/${f}`);
    expect(list).toMatch(/vulkan\/debs\/libvulkan1_[^/]+_amd64\.deb/);
  });

  it('run.sh runs one quick case on SwiftShader with the carried loader and writes the run folder', () => {
    const runDir = join(work, 'run');
    const r = runSh(
      [
        '--adapter',
        'swiftshader',
        '--quick',
        '--suite',
        'matmul',
        '--sizes',
        '64',
        '--variants',
        'tiled',
        '--peer',
        'none',
        '--run-dir',
        runDir,
      ],
      { KS_PACK_LOADER: 'pack' },
    );
    expect(r.stderr).toMatch(/Vulkan loader: the one carried in the pack/);
    expect(r.status, r.stderr).toBe(0);
    const records = readFileSync(join(runDir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ suite: 'matmul', impl: 'tiled', status: 'ok' });
    expect(records[0].error.maxAbsErr).toBeLessThan(1e-3);
    for (const f of ['report.md', 'results.csv', 'environment.json', 'run.json', 'time-vs-n.svg', 'roofline.svg', 'memory-vs-n.svg'])
      expect(existsSync(join(runDir, f)), f).toBe(true);
    const env = JSON.parse(readFileSync(join(runDir, 'environment.json'), 'utf8'));
    expect(env.runtime).toMatchObject({ name: 'node', node: 'v20.20.2' });
    expect(env.adapter.description).toMatch(/SwiftShader/);
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).command).toMatch(/^\.\/run\.sh --adapter swiftshader/);
  });

  it('says clearly, and exits 3 writing nothing, when no Vulkan driver is found', () => {
    const none = join(work, 'none');
    const r = runSh(['--quick', '--run-dir', join(work, 'no-driver')], {
      KS_VULKAN_ICD_DIRS: none,
      VK_ICD_FILENAMES: '',
      VK_DRIVER_FILES: '',
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/no Vulkan driver found/);
    expect(r.stderr).toContain(none);
    expect(r.stderr).toMatch(/--adapter swiftshader/);
    expect(existsSync(join(work, 'no-driver'))).toBe(false);
  });

  it('reports the reason, and exits 1 writing nothing, when the drivers give Dawn no adapter', () => {
    const lavapipe = '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json';
    if (!existsSync(lavapipe)) {
      console.log(`pack: skipped the no-adapter check: no ${lavapipe} (apt-get install mesa-vulkan-drivers)`);
      return;
    }
    const r = runSh(['--quick', '--run-dir', join(work, 'no-adapter')], { VK_ICD_FILENAMES: lavapipe });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/WebGPU is unavailable: Dawn found no adapter/);
    expect(r.stderr).toMatch(/lvp_icd/);
    expect(existsSync(join(work, 'no-adapter'))).toBe(false);
  });
});
