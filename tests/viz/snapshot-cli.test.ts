/**
 * `npm run snapshot`: a static SVG or PNG of one element from the command line (tools/snapshot.mjs),
 * and a bad attribute reported with exit status 1 and no file written.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAttrs } from '../../tools/snapshot.mjs';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const adapter = process.env.KS_ADAPTER ?? 'swiftshader';

async function snapshot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', ['tools/snapshot.mjs', '--adapter', adapter, ...args], { cwd: ROOT, timeout: 240_000 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('npm run snapshot', () => {
  it('reads --attr pairs, flags included, and refuses a bad name', () => {
    expect(parseAttrs(['n=12', 'causal', 'optimizers=sgd,adam', 'start=[[1,2]]'])).toEqual({
      n: '12',
      causal: '',
      optimizers: 'sgd,adam',
      start: '[[1,2]]',
    });
    expect(() => parseAttrs(['on<click>=x'])).toThrow(/not an attribute name/);
  });

  it('writes a standalone SVG and a PNG, and fails with the element’s message on a bad attribute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-snap-test-'));
    try {
      const svg = join(dir, 'map.svg');
      const a = await snapshot([
        'attention-map',
        '--attr',
        'pattern=previous',
        '--attr',
        'n=10',
        '--attr',
        'heads=1',
        '--attr',
        'causal',
        '--out',
        svg,
      ]);
      expect(a.stderr.replace(/building the IIFE.*\n?/, '')).toBe('');
      expect(a.code).toBe(0);
      const text = readFileSync(svg, 'utf8');
      expect(text.startsWith('<svg')).toBe(true);
      expect(text).toMatch(/viewBox="/);
      expect(text).not.toMatch(/var\(--/);
      expect(text.match(/class="cell"/g)?.length ?? 0).toBeGreaterThanOrEqual(55);

      const png = join(dir, 'tiles.png');
      const b = await snapshot([
        'flash-tiles',
        '--attr',
        'n=32',
        '--attr',
        'dim=16',
        '--attr',
        'backend=cpu',
        '--dark',
        '--scale',
        '1',
        '--out',
        png,
      ]);
      expect(b.code).toBe(0);
      const bytes = readFileSync(png);
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      expect(bytes.readUInt32BE(16)).toBeGreaterThan(300);

      const bad = join(dir, 'bad.svg');
      const c = await snapshot(['loss-landscape', '--attr', 'steps=-4', '--out', bad]);
      expect(c.code).toBe(1);
      expect(c.stderr).toMatch(/loss-landscape: steps/);
      expect(existsSync(bad)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
