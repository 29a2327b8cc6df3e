/**
 * `npm run bench -- --tune` end to end, at tiny sizes: it tunes what the plan
 * consults (matmul `auto` here) before the cases and writes the tuning file; the
 * roofline probes search their configurations and name the winner; report.md has
 * the configuration and "% of roof" columns and the Tuning section. A later run loads
 * the file and says so (and, without the roofline suite, says the column is empty);
 * `--no-tuning` runs the shipped defaults. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const ADAPTER = process.env.KS_ADAPTER ?? 'swiftshader';

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/cli.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function latest(out: string): { records: Record<string, any>[]; report: string } {
  const dir = join(out, 'latest');
  const records = readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { records, report: readFileSync(join(dir, 'report.md'), 'utf8') };
}

const PLAN = ['--quick', '--sizes', '64', '--variants', 'auto', '--peer', 'none', '--adapter', ADAPTER];

describe('npm run bench -- --tune', () => {
  it(
    'tunes, writes the tuning file, reports configs, roofline shares and the Tuning section; later runs load it',
    { timeout: 900_000 },
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'ks-bench-tune-'));
      try {
        const first = await cli([...PLAN, '--suite', 'roofline,matmul', '--out', out, '--tune']);
        expect(first.code, first.stderr).toBe(0);
        expect(first.stderr).toMatch(/tuning matmul large \(1 of 1, for 1 case\)/);
        expect(first.stderr).toMatch(/candidate 1\/\d+ /);
        expect(first.stderr).toMatch(/tuning matmul large: .* ms against the default's/);
        const file = JSON.parse(readFileSync(join(out, 'tuning.json'), 'utf8'));
        expect(file).toHaveLength(1);
        expect(file[0]).toMatchObject({ kernel: 'matmul', shapeClass: 'large' });
        expect(file[0].ms).toBeGreaterThan(0);

        const { records, report } = latest(out);
        for (const probe of records.filter((r) => r.suite === 'roofline')) {
          expect(probe.status, probe.reason).toBe('ok');
          expect(probe.params.config).toMatch(/^WG \d+ · .*\(fastest of 6\)$/);
          expect(probe.config.candidates).toHaveLength(6);
          expect(probe.config.candidates.filter((c: { medianMs: number | null }) => c.medianMs !== null).length).toBeGreaterThan(0);
        }
        const auto = records.find((r) => r.impl === 'auto')!;
        expect(auto.status, auto.reason).toBe('ok');
        expect(auto.config).toMatchObject({ tuned: true, values: { shapeClass: 'large' } });
        expect(auto.config.label).toMatch(/^auto → .*\(tuned\)$/);
        expect(report).toContain('## Tuning');
        expect(report).toMatch(/\| matmul \| large \| .* \| [1-9]\d* of \d+ correct \|/);
        expect(report).toContain('% of roof (FMA\\|copy)');
        expect(report).toMatch(/\| M64 K64 N64 \| auto \| auto → .*\(tuned\) \| .* \| \d.* % (FMA|copy) \|/);
        expect(report).toMatch(/- sustained FMA: .* GFLOP\/s, with WG \d+ · \d+ chains \(fastest of 6\)/);

        // A later run loads the file (and says so); without the roofline suite the column says why it is empty.
        const second = await cli([...PLAN, '--suite', 'matmul', '--out', out]);
        expect(second.code, second.stderr).toBe(0);
        expect(second.stderr).toMatch(/tuning: loaded 1 records from .*tuning\.json \(1 for this adapter/);
        const again = latest(out);
        expect(again.records[0]!.config.label).toMatch(/\(tuned\)$/);
        expect(again.report).toContain('n/a: roofline suite not run');
        expect(again.report).toMatch(/- tuning: on: 1 tuned configuration for this adapter, loaded from .*tuning\.json/);

        // --no-tuning: the shipped default, and the report says tuning was off.
        const off = await cli([...PLAN, '--suite', 'matmul', '--out', out, '--no-tuning']);
        expect(off.code, off.stderr).toBe(0);
        expect(off.stderr).toContain('tuning: off (--no-tuning)');
        const plain = latest(out);
        expect(plain.records[0]!.config).toMatchObject({ tuned: false });
        expect(plain.records[0]!.config.label).toMatch(/\(default\)$/);
        expect(plain.report).toContain('- tuning: off (--no-tuning)');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});
