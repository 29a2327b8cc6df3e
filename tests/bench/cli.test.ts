/**
 * `npm run bench` end to end, spawned as a user would run it, at tiny sizes: it
 * builds and serves the bench page, runs every suite, records a case past the
 * device's limits as failed and goes on, and writes results.jsonl, report.md and
 * the SVG plots. An interrupted run keeps its finished cases. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const ADAPTER = process.env.KS_ADAPTER ?? 'swiftshader';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Spawns the CLI; `onProgress` sees stderr as it grows and may return true to send SIGINT. */
function cli(args: string[], interruptWhen?: () => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/cli.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    let poll: NodeJS.Timeout | undefined;
    if (interruptWhen) {
      poll = setInterval(() => {
        if (interruptWhen()) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 100);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr });
    });
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
  it('--quick at tiny sizes: every suite, a failed case recorded, all three outputs', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-bench-'));
    try {
      const run = await cli(['--quick', '--sizes', '16,1x1x300000000,24', '--dims', '16', '--adapter', ADAPTER, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const records = lines(join(out, 'results.jsonl'));
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
      const report = readFileSync(join(out, 'report.md'), 'utf8');
      expect(report).toContain('### matmul');
      expect(report).toContain('**failed**');
      expect(report).toContain('npm run bench -- --quick');
      for (const svg of ['time-vs-n.svg', 'memory-vs-n.svg', 'roofline.svg']) {
        expect(readFileSync(join(out, svg), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
      }
      expect(JSON.parse(readFileSync(join(out, 'environment.json'), 'utf8')).limits.maxBufferSize).toBeGreaterThan(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('an interrupted run keeps its finished cases', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-bench-'));
    const jsonl = join(out, 'results.jsonl');
    try {
      const sizes = Array.from({ length: 24 }, (_, i) => 8 + 4 * i).join(',');
      const run = await cli(
        ['--quick', '--suite', 'softmax', '--sizes', sizes, '--peer', 'none', '--adapter', ADAPTER, '--out', out],
        () => lines(jsonl).length >= 2,
      );
      expect(run.code, run.stderr).toBe(130);
      const records = lines(jsonl);
      expect(records.length).toBeGreaterThanOrEqual(2);
      expect(records.length).toBeLessThan(24);
      for (const r of records) expect(['ok', 'failed']).toContain(r.status);
      expect(readFileSync(jsonl, 'utf8').endsWith('\n')).toBe(true);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/interrupted after \d+ cases/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
