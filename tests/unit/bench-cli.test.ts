/**
 * `npm run bench`'s data safety, in Node and without a browser: the run folder
 * (timestamped, never reusing an earlier one, `latest` swapped atomically or a
 * LATEST file), `--run-dir` and `--overwrite`, the plan checked before anything is
 * written, `--report DIR` rebuilding the report from a results.jsonl (a truncated
 * last line skipped), and Ctrl-C's two steps. The CLI is spawned with a Chrome
 * path that does not exist, so none of these can start a browser.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCliArgs } from '../../bench/args.mjs';
import { Interrupt } from '../../bench/interrupt.mjs';
import { parseResults } from '../../bench/report-from-jsonl.mjs';
import {
  checkOutputFolder,
  claimRunFolder,
  createRunFolder,
  pointLatest,
  resolveRunFolder,
  runFolderName,
  RUN_OUTPUTS,
} from '../../bench/run-dir.mjs';
import type { BenchRecord } from '../../src/bench/types';

const ROOT = join(import.meta.dirname, '../..');
const NO_CHROME = ['--chrome', '/nonexistent/kernelscope-test-chrome'];

let tmp = '';
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ks-bench-cli-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI to completion (it must not need a browser). */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['bench/cli.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** Every path under `dir` with its contents (links as `-> target`), to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p, r);
      else out[r] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

/** A plausible record of one case. */
function record(impl: string, n: number, status: 'ok' | 'failed' = 'ok'): BenchRecord {
  const shape = `M${n} K${n} N${n}`;
  const base = {
    id: `matmul/${impl}/${shape}`,
    suite: 'matmul' as const,
    impl,
    provider: 'kernelscope',
    shape,
    series: impl,
    n,
    params: { M: n, K: n, N: n },
    flops: 2 * n ** 3,
    bytes: 12 * n * n,
    intensity: n / 6,
    elapsedMs: 100,
    finishedAt: '2026-12-01T15:04:05.000Z',
  };
  if (status === 'failed') return { ...base, status, errorName: 'LimitExceededError', reason: 'matmul: buffer limit' };
  const ms = impl === 'naive' ? n / 10 : n / 40;
  return {
    ...base,
    status,
    wall: { n: 3, median: ms, min: ms * 0.9, max: ms * 1.2, ciLow: ms * 0.9, ciHigh: ms * 1.1 },
    gflops: (2 * n ** 3) / ms / 1e6,
    gbps: (12 * n * n) / ms / 1e6,
    peakBytes: 12 * n * n,
    peakSource: 'gpu.memory',
    error: { maxAbsErr: 1e-6, checked: 'all', count: n * n, total: n * n, nonFinite: 0, maxAbsRef: 10 },
  };
}

/** A run folder as a killed run leaves it: records, then half of one more line. */
function fixtureRun(dir: string, opts: { truncated?: boolean } = {}): BenchRecord[] {
  mkdirSync(dir, { recursive: true });
  const records = [record('naive', 32), record('tiled', 32), record('naive', 64), record('tiled', 64, 'failed')];
  const lines = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const half = opts.truncated ? JSON.stringify(record('register', 64)).slice(0, 57) : '';
  writeFileSync(join(dir, 'results.jsonl'), lines + half);
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ command: 'npm run bench -- --suite matmul', planned: 6, outcome: 'interrupted' }));
  const env = {
    adapter: { vendor: 'google', architecture: 'swiftshader', description: 'fixture adapter' },
    limits: { maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 },
    features: { 'timestamp-query': true },
    userAgent: 'fixture',
    crossOriginIsolated: true,
    wallResolutionMs: 0.005,
    peers: {},
    startedAt: '2026-12-01T15:04:05.000Z',
  };
  writeFileSync(join(dir, 'environment.json'), JSON.stringify(env));
  return records;
}

describe('bench CLI options', () => {
  it('--run-dir, --overwrite and --report parse; --out keeps its default', () => {
    expect(parseCliArgs([])).toMatchObject({ out: 'bench-results', runDir: undefined, overwrite: false, report: undefined });
    expect(parseCliArgs(['--run-dir', 'x', '--overwrite'])).toMatchObject({ runDir: 'x', overwrite: true });
    expect(parseCliArgs(['--report', 'bench-results/latest'])).toMatchObject({ report: 'bench-results/latest' });
  });

  it('rejects options that contradict each other, naming them', () => {
    expect(() => parseCliArgs(['--overwrite'])).toThrow(/--overwrite: only applies to --run-dir/);
    expect(() => parseCliArgs(['--out', 'a', '--run-dir', 'b'])).toThrow(/--run-dir: .*--out 'a'/);
    expect(() => parseCliArgs(['--report', 'r', '--suite', 'matmul'])).toThrow(/--report: .*drop --suite/);
    expect(() => parseCliArgs(['--report', ''])).toThrow(/--report: needs the folder/);
    expect(() => parseCliArgs(['--sizes', '16', '--case-timeout', '0'])).toThrow(/--case-timeout: '0'/);
  });
});

describe('run folders', () => {
  it('are named by UTC time to the second, safe in file names', () => {
    expect(runFolderName(new Date(Date.UTC(2026, 11, 1, 15, 4, 5, 678)))).toBe('2026-12-01T15-04-05Z');
  });

  it('a new run gets a new folder and never touches an earlier one', () => {
    const now = new Date(Date.UTC(2026, 11, 1, 15, 4, 5));
    const old = fixtureRun(join(tmp, runFolderName(now)));
    writeFileSync(join(tmp, 'results.jsonl'), 'a run in the old layout\n');
    const before = snapshot(tmp);
    const a = createRunFolder(tmp, now);
    const b = createRunFolder(tmp, now);
    expect(a.name).toBe('2026-12-01T15-04-05Z-2');
    expect(b.name).toBe('2026-12-01T15-04-05Z-3');
    expect(readdirSync(a.dir)).toEqual([]);
    expect(snapshot(tmp)).toEqual(before);
    expect(parseResults(readFileSync(join(tmp, runFolderName(now), 'results.jsonl'), 'utf8')).records).toEqual(old);
  });

  it('latest is a relative link swapped by rename, and resolves for --report', () => {
    const a = createRunFolder(tmp, new Date(Date.UTC(2026, 0, 1)));
    const b = createRunFolder(tmp, new Date(Date.UTC(2026, 0, 2)));
    writeFileSync(join(tmp, 'LATEST'), `${a.name}\n`);
    expect(pointLatest(tmp, a.name)).toBe(join(tmp, 'latest'));
    expect(readlinkSync(join(tmp, 'latest'))).toBe(a.name);
    expect(pointLatest(tmp, b.name)).toBe(join(tmp, 'latest'));
    expect(readlinkSync(join(tmp, 'latest'))).toBe(b.name);
    // No temporary link is left behind, and a stale LATEST file is gone.
    expect(readdirSync(tmp).sort()).toEqual([a.name, b.name, 'latest'].sort());
    fixtureRun(b.dir);
    expect(resolveRunFolder(tmp)).toBe(join(tmp, 'latest'));
    expect(resolveRunFolder(b.dir)).toBe(b.dir);
  });

  it('where links fail, the name goes into a LATEST file', () => {
    const run = createRunFolder(tmp, new Date(Date.UTC(2026, 0, 1)));
    const noLinks = {
      symlinkSync: () => {
        throw Object.assign(new Error('EPERM: operation not permitted, symlink'), { code: 'EPERM' });
      },
      renameSync,
      writeFileSync,
      rmSync,
    };
    expect(pointLatest(tmp, run.name, noLinks as never)).toBe(join(tmp, 'LATEST'));
    expect(readFileSync(join(tmp, 'LATEST'), 'utf8')).toBe(`${run.name}\n`);
    expect(existsSync(join(tmp, 'latest'))).toBe(false);
    fixtureRun(run.dir);
    expect(resolveRunFolder(tmp)).toBe(run.dir);
  });

  it('a latest that is a real folder is left alone, and LATEST is written instead', () => {
    mkdirSync(join(tmp, 'latest'));
    writeFileSync(join(tmp, 'latest', 'mine.txt'), 'keep');
    const run = createRunFolder(tmp);
    expect(pointLatest(tmp, run.name)).toBe(join(tmp, 'LATEST'));
    expect(readFileSync(join(tmp, 'latest', 'mine.txt'), 'utf8')).toBe('keep');
  });

  it('--run-dir refuses a non-empty folder unless --overwrite, which replaces only a run’s files', () => {
    const dir = join(tmp, 'exact');
    fixtureRun(dir);
    writeFileSync(join(dir, 'report.md'), 'old report');
    writeFileSync(join(dir, 'notes.txt'), 'my notes');
    expect(() => checkOutputFolder({ out: 'unused', runDir: dir, overwrite: false })).toThrow(
      /--run-dir: '.*exact' is not empty .*--overwrite/,
    );
    expect(() => claimRunFolder(dir, false)).toThrow(/not empty/);
    expect(() => checkOutputFolder({ out: 'unused', runDir: dir, overwrite: true })).not.toThrow();
    expect(() => checkOutputFolder({ out: 'unused', runDir: join(tmp, 'missing'), overwrite: false })).not.toThrow();
    expect(claimRunFolder(dir, true)).toBe(dir);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    for (const f of RUN_OUTPUTS) expect(existsSync(join(dir, f))).toBe(false);
    writeFileSync(join(tmp, 'file'), '');
    expect(() => checkOutputFolder({ out: join(tmp, 'file'), overwrite: false })).toThrow(/--out: .* is not a folder/);
  });
});

describe('results.jsonl', () => {
  it('a truncated last line is skipped with a warning', () => {
    const text = `${JSON.stringify(record('naive', 8))}\n${JSON.stringify(record('tiled', 8)).slice(0, 40)}`;
    const { records, warnings } = parseResults(text, 'r.jsonl');
    expect(records.map((r) => r.impl)).toEqual(['naive']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/r\.jsonl: skipped line 2, the last one: it is not JSON/);
  });

  it('a complete file gives every record and no warning', () => {
    const rs = [record('naive', 8), record('tiled', 8, 'failed')];
    expect(parseResults(rs.map((r) => JSON.stringify(r) + '\n').join(''))).toEqual({ records: rs, warnings: [] });
  });

  it('a bad line before the last is an error naming the line', () => {
    const text = `${JSON.stringify(record('naive', 8))}\n{"id": 3}\n${JSON.stringify(record('tiled', 8))}\n`;
    expect(() => parseResults(text, 'r.jsonl')).toThrow(/r\.jsonl: line 2 is not a benchmark record/);
  });
});

describe('npm run bench: the plan is checked before anything is written', () => {
  const bad: [string, string[], RegExp][] = [
    ['a bad size', ['--sizes', '12q'], /--sizes: bad size '12q'/],
    ['an unknown variant', ['--variants', 'flsh'], /--variants: unknown implementation 'flsh'/],
    ['an unknown peer', ['--peer', 'nope'], /--peer: unknown peer 'nope'/],
    ['an empty plan', ['--suite', 'softmax', '--variants', 'flash'], /the plan: it has no cases with --variants flash/],
    ['a named suite with no cases', ['--suite', 'matmul,softmax', '--sizes', '8x8x8'], /--suite: softmax has no cases/],
  ];
  for (const [what, args, message] of bad) {
    it(`${what}: exit 1, a clear message, nothing written`, () => {
      const out = join(tmp, 'out');
      const r = cli([...args, '--out', out, ...NO_CHROME]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a bad plan leaves an existing results folder exactly as it was', () => {
    fixtureRun(join(tmp, '2026-12-01T15-04-05Z'));
    symlinkSync('2026-12-01T15-04-05Z', join(tmp, 'latest'));
    writeFileSync(join(tmp, 'results.jsonl'), 'a run in the old layout\n');
    const before = snapshot(tmp);
    const r = cli(['--suite', 'attention', '--sizes', 'matmul:64', '--out', tmp, ...NO_CHROME]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the plan: it has no cases with --sizes matmul:64/);
    expect(snapshot(tmp)).toEqual(before);
  });

  it('--run-dir refuses a non-empty folder and leaves it alone', () => {
    const dir = join(tmp, 'exact');
    fixtureRun(dir);
    const before = snapshot(dir);
    const r = cli(['--suite', 'softmax', '--sizes', '8', '--run-dir', dir, ...NO_CHROME]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/--run-dir: '.*exact' is not empty/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a good plan still needs a Chrome, and writes nothing without one', () => {
    const out = join(tmp, 'out');
    const r = cli(['--suite', 'softmax', '--sizes', '8', '--out', out, ...NO_CHROME]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/--chrome: no Chrome or Chromium at/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('npm run bench -- --report DIR', () => {
  it('rebuilds report.md, results.csv and the plots from results.jsonl, skipping a truncated last line', () => {
    const dir = join(tmp, 'run');
    const records = fixtureRun(dir, { truncated: true });
    const r = cli(['--report', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*results\.jsonl: skipped line 5, the last one/);
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(report).toContain('### matmul');
    expect(report).toContain('**failed**');
    expect(report).toContain('npm run bench -- --suite matmul');
    expect(report).toContain('fixture adapter');
    expect(report).toMatch(/rebuilt from results\.jsonl \(4 of 6 planned cases; the run was interrupted\)/);
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + records.length);
    expect(csv[0]).toMatch(/^id,suite,impl/);
    for (const svg of ['time-vs-n.svg', 'memory-vs-n.svg', 'roofline.svg'])
      expect(readFileSync(join(dir, svg), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
    // The records themselves are never rewritten.
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n')).toHaveLength(5);
  });

  it('the rebuilt report keeps the Tuning section and the % of roof column (empty without the roofline suite)', () => {
    const dir = join(tmp, 'run');
    fixtureRun(dir);
    const env = JSON.parse(readFileSync(join(dir, 'environment.json'), 'utf8'));
    const record = { kernel: 'matmul', shapeClass: 'large', source: 'abcd1234', config: { variant: 'direct', WG_X: 8, WG_Y: 8 } };
    env.tuning = {
      enabled: true,
      source: 'loaded from bench-results/tuning.json',
      adapter: 'fixture',
      records: [{ ...record, adapter: 'fixture', ms: 4, defaultMs: 5, measuredOn: 'matmul 512×512×512' }],
      runs: [],
    };
    writeFileSync(join(dir, 'environment.json'), JSON.stringify(env));
    const r = cli(['--report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(report).toContain('- tuning: on: 1 tuned configuration for this adapter, loaded from bench-results/tuning.json');
    expect(report).toContain('| matmul | large | direct WG_X=8 WG_Y=8 | matmul 512×512×512 | 4.00 | 5.00 | 1.25× | loaded |');
    expect(report).toContain('% of roof (FMA\\|copy)');
    expect(report).toContain('n/a: roofline suite not run');
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').split('\n')[0]).toMatch(/,config,tuned,roof,roof_pct$/);
  });

  it('given a --out folder, rebuilds its latest run', () => {
    const run = join(tmp, '2026-12-01T15-04-05Z');
    fixtureRun(run);
    symlinkSync('2026-12-01T15-04-05Z', join(tmp, 'latest'));
    const r = cli(['--report', tmp]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(run, 'report.md'))).toBe(true);
    expect(existsSync(join(tmp, 'report.md'))).toBe(false);
  });

  it('without results.jsonl, or with a bad line in the middle, exits 1 naming the problem', () => {
    mkdirSync(join(tmp, 'empty'));
    const none = cli(['--report', join(tmp, 'empty')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--report: '.*empty' holds no results\.jsonl/);
    const dir = join(tmp, 'bad');
    fixtureRun(dir);
    const text = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n');
    text[1] = text[1]!.slice(0, 30);
    writeFileSync(join(dir, 'results.jsonl'), text.join('\n'));
    const bad = cli(['--report', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/results\.jsonl: line 2 is not JSON/);
    expect(existsSync(join(dir, 'report.md'))).toBe(false);
  });
});

describe('Ctrl-C', () => {
  it('the first SIGINT asks to stop, a second quits', () => {
    const proc = new EventEmitter();
    const calls: string[] = [];
    const i = new Interrupt({ onFirst: () => calls.push('first'), onSecond: () => calls.push('second') }, proc).install();
    expect(i.requested).toBe(false);
    proc.emit('SIGINT');
    expect(i.requested).toBe(true);
    expect(calls).toEqual(['first']);
    proc.emit('SIGINT');
    proc.emit('SIGINT');
    expect(calls).toEqual(['first', 'second', 'second']);
    i.uninstall();
    expect(proc.listenerCount('SIGINT')).toBe(0);
  });
});
