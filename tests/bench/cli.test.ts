/**
 * `npm run bench` end to end, spawned as a user would run it, at tiny sizes: it
 * builds and serves the bench page, runs every suite, records a case past the
 * device's limits as failed and goes on, and writes results.jsonl, report.md and
 * the SVG plots into a new run folder, leaving earlier runs alone. Ctrl-C keeps the
 * case in flight. No timing is asserted. (Plan checks, --report and the run folder
 * rules without a browser: tests/unit/bench-cli.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const ADAPTER = process.env.KS_ADAPTER ?? 'swiftshader';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Spawns the CLI; `interruptWhen` sees stderr as it grows and may return true to send one SIGINT. */
function cli(args: string[], interruptWhen?: (stderr: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/cli.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (interruptWhen && !sent && interruptWhen(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

function lines(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('npm run bench', () => {
  it('--quick at tiny sizes: every suite, a failed case recorded, all outputs, earlier runs untouched', { timeout: 600_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-bench-'));
    try {
      // An earlier run, and a results.jsonl in the layout before run folders.
      mkdirSync(join(out, '2026-01-01T00-00-00Z'));
      writeFileSync(join(out, '2026-01-01T00-00-00Z', 'results.jsonl'), '{"id":"earlier"}\n');
      writeFileSync(join(out, 'results.jsonl'), '{"id":"older"}\n');
      const run = await cli(['--quick', '--sizes', '16,1x1x300000000,24', '--dims', '16', '--adapter', ADAPTER, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(join(out, '2026-01-01T00-00-00Z', 'results.jsonl'), 'utf8')).toBe('{"id":"earlier"}\n');
      expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toBe('{"id":"older"}\n');
      const runs = readdirSync(out).filter((n) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?$/.test(n) && n !== '2026-01-01T00-00-00Z');
      expect(runs).toHaveLength(1);
      expect(readlinkSync(join(out, 'latest'))).toBe(runs[0]);
      const dir = join(out, 'latest');
      const records = lines(join(dir, 'results.jsonl'));
      expect(new Set(records.map((r) => r.suite))).toEqual(new Set(['matmul', 'attention', 'softmax', 'roofline']));
      const huge = records.filter((r) => String(r.shape) === 'M1 K1 N300000000');
      expect(huge.length).toBeGreaterThan(0);
      for (const r of huge) {
        expect(r.status).toBe('failed');
        expect(String(r.reason)).toMatch(/buffer limit/);
      }
      // The run went on after the failure: the later suites ran.
      const after = records.slice(records.indexOf(huge.at(-1)!) + 1);
      for (const suite of ['attention', 'softmax', 'roofline'])
        expect(
          after.some((r) => r.suite === suite && r.status === 'ok'),
          suite,
        ).toBe(true);
      expect(run.stderr).toMatch(/\[1\/\d+\]/);
      const report = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(report).toContain('### matmul');
      expect(report).toContain('**failed**');
      expect(report).toContain('npm run bench -- --quick');
      for (const svg of ['time-vs-n.svg', 'memory-vs-n.svg', 'roofline.svg']) {
        expect(readFileSync(join(dir, svg), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
      }
      expect(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + records.length);
      expect(JSON.parse(readFileSync(join(dir, 'environment.json'), 'utf8')).limits.maxBufferSize).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({ planned: records.length, outcome: 'done' });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('Ctrl-C keeps the case in flight, writes the report; --run-dir --overwrite keeps other files', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-bench-'));
    const jsonl = join(dir, 'results.jsonl');
    try {
      writeFileSync(jsonl, '{"id":"stale"}\n');
      writeFileSync(join(dir, 'report.md'), 'stale report');
      writeFileSync(join(dir, 'notes.txt'), 'mine');
      const started = (s: string) => [...s.matchAll(/^\[(\d+)\/\d+\] (.+?) {2}started$/gm)].map((m) => m[2]!);
      const run = await cli(
        [
          ...['--quick', '--suite', 'matmul', '--sizes', '48,64,80,96', '--variants', 'naive', '--peer', 'none'],
          ...['--adapter', ADAPTER, '--run-dir', dir, '--overwrite'],
        ],
        (s) => started(s).length >= 1,
      );
      expect(run.code, run.stderr).toBe(130);
      // The signal came while a case ran; that case, and every case started, is kept.
      const inFlight = /interrupted: no new cases; (.+) is finishing/.exec(run.stderr)?.[1];
      expect(inFlight, run.stderr).toBeDefined();
      const records = lines(jsonl);
      expect(records.map((r) => r.id)).toEqual(started(run.stderr));
      expect(records.map((r) => r.id)).toContain(inFlight);
      expect(records.length).toBeLessThan(4);
      for (const r of records) expect(r.status).toBe('ok');
      expect(readFileSync(jsonl, 'utf8').endsWith('\n')).toBe(true);
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(`interrupted after ${records.length} cases`);
      expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({ planned: 4, outcome: 'interrupted' });
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
