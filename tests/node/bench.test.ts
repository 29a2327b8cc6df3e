/**
 * `npm run bench -- --runtime node`: one tiny case end to end through bench/cli.mjs in
 * a child process (the same run folder as the browser CLI), and the options that have
 * no meaning without a browser, rejected before anything is written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeAdapterFor } from '../../bench/node-runner.mjs';
import { parseCliArgs } from '../../bench/args.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'ks-node-bench-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bench', 'cli.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });

describe('bench --runtime node', () => {
  it('runs one case on SwiftShader and writes results.jsonl, report.md, the CSV and the plots', () => {
    const dir = join(work, 'run');
    const r = cli([
      '--runtime',
      'node',
      '--adapter',
      'swiftshader',
      '--quick',
      '--suite',
      'softmax',
      '--sizes',
      '64',
      '--peer',
      'none',
      '--run-dir',
      dir,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const records = readFileSync(join(dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ suite: 'softmax', status: 'ok' });
    for (const f of ['report.md', 'results.csv', 'environment.json', 'run.json', 'time-vs-n.svg'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'environment.json'), 'utf8')).runtime.name).toBe('node');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/--runtime node/);
  });

  it('rejects browser-only options and lavapipe before writing anything', () => {
    const opts = (args: string[]) => parseCliArgs(['--runtime', 'node', ...args]);
    expect(() => nodeAdapterFor(opts(['--chrome', '/usr/bin/chromium']))).toThrow(/--chrome.*without a browser/);
    expect(() => nodeAdapterFor(opts(['--rebuild']))).toThrow(/--rebuild/);
    expect(() => nodeAdapterFor(opts(['--adapter', 'lavapipe']))).toThrow(/lavapipe gives Dawn no adapter/);
    expect(nodeAdapterFor(opts(['--adapter', 'swiftshader']))).toBe('swiftshader');
    expect(nodeAdapterFor(opts([]))).toBe('default');
    expect(() => parseCliArgs(['--runtime', 'deno'])).toThrow(/not browser or node/);
    const dir = join(work, 'never');
    const r = cli(['--runtime', 'node', '--adapter', 'lavapipe', '--run-dir', dir]);
    expect(r.status).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });
});
