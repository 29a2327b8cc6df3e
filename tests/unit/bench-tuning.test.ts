/**
 * Configuration and tuning in the bench, in Node: the configuration column, the
 * report's Tuning section from fixture tuning records (gain, a failed default, a
 * class with no correct candidate, tuning off, not recorded), which (kernel, shape
 * class) pairs a plan consults, `--tune [FILE]` / `--no-tuning`, and the tuning file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCases } from '../../src/bench/cases';
import { caseWork } from '../../src/bench/work';
import { configLabel, tunedConfigLabel } from '../../src/bench/config-label';
import { markdownReport, toCsv } from '../../src/bench/report';
import { tuningGain, tuningSection, tuningStatus, TUNING_GAIN_COLUMN } from '../../src/bench/report-tuning';
import { tuningNeeds, tuneSize } from '../../src/bench/tuning-plan';
import type { BenchCase, BenchEnvironment, BenchRecord, TuningSummary } from '../../src/bench/types';
import type { TuningRecord } from '../../src/gpu/tuning';
import { parseCliArgs, splitTune } from '../../bench/args.mjs';
import { describeTuneResult, readTuningFile, writeTuningFile } from '../../bench/tuning-file.mjs';

const ADAPTER = 'google|swiftshader|0xc0de|SwiftShader Device (Subzero)|core';

function tuningRecord(kernel: string, shapeClass: string, config: unknown, ms: number, defaultMs: number | null): TuningRecord {
  return { adapter: ADAPTER, kernel, shapeClass, source: 'abcd1234', config, ms, defaultMs, measuredOn: `${kernel} fixture` };
}

function env(tuning?: TuningSummary): BenchEnvironment {
  return {
    adapter: { vendor: 'google', architecture: 'swiftshader' },
    limits: {},
    features: {},
    userAgent: 'fixture',
    crossOriginIsolated: true,
    wallResolutionMs: 0.005,
    peers: {},
    startedAt: '2026-12-01T00:00:00Z',
    ...(tuning ? { tuning } : {}),
  };
}

const SUMMARY: TuningSummary = {
  enabled: true,
  source: 'tuned in this run',
  adapter: ADAPTER,
  records: [
    tuningRecord('matmul', 'large', { variant: 'direct', WG_X: 8, WG_Y: 8 }, 2, 3),
    tuningRecord('attention:flash', 'd64', { layout: 'rows', WG: 64 }, 4, null),
  ],
  runs: [
    {
      kernel: 'matmul',
      shapeClass: 'large',
      candidates: [
        { label: '{"variant":"direct","WG_X":8,"WG_Y":8}', correct: true, medianMs: 2 },
        { label: '{"variant":"naive"}', correct: false, medianMs: null, reason: 'output outside the tolerance rule' },
      ],
    },
    {
      kernel: 'matmul',
      shapeClass: 'gemv',
      candidates: [{ label: '{"variant":"naive"}', correct: false, medianMs: null, reason: 'boom' }],
    },
  ],
};

describe('the Tuning section', () => {
  it('per (kernel, shape class): the chosen configuration, its median against the default, the gain', () => {
    const lines = tuningSection(env(SUMMARY));
    const text = lines.join('\n');
    expect(lines[0]).toBe('## Tuning');
    expect(text).toContain('- tuning: on: 2 tuned configurations for this adapter, tuned in this run');
    expect(text).toContain(
      `| kernel | shape class | chosen configuration | measured on | tuned ms | default ms | ${TUNING_GAIN_COLUMN} | candidates |`,
    );
    expect(text).toContain('| matmul | large | direct WG_X=8 WG_Y=8 | matmul fixture | 2.00 | 3.00 | 1.50× | 1 of 2 correct |');
    // The default failed its check: no gain; a loaded record (no run this time) says so.
    expect(text).toContain('| attention:flash | d64 | rows WG=64 | attention:flash fixture | 4.00 | failed | — | loaded |');
    // A class whose every candidate failed has no record, and a row that says why.
    expect(text).toMatch(/\| matmul \| gemv \| none chosen: \{"variant":"naive"\}: boom \|/);
    expect(tuningGain({ ms: 2, defaultMs: 3 })).toBe(1.5);
    expect(tuningGain({ ms: 2, defaultMs: null })).toBeUndefined();
  });

  it('says when tuning was off, when there was nothing tuned, and when the run did not record it', () => {
    expect(tuningStatus({ ...SUMMARY, enabled: false })).toMatch(/^off \(--no-tuning\): every kernel ran its shipped default/);
    expect(tuningStatus({ ...SUMMARY, records: [], runs: [], source: '' })).toMatch(/no tuned configuration for this adapter.*--tune/);
    expect(tuningStatus(undefined)).toBe('not recorded for this run');
    expect(tuningSection(null)).toEqual(['## Tuning', '', '- tuning: not recorded for this run', '']);
    const md = markdownReport([], env(SUMMARY));
    expect(md.indexOf('## Tuning')).toBeGreaterThan(md.indexOf('## Roofline of this device'));
    expect(md.indexOf('## Tuning')).toBeLessThan(md.indexOf('## Results'));
  });
});

describe('the configuration column', () => {
  const [auto, naive, tfjs] = planCases({ suites: ['matmul'], sizes: ['64'], variants: ['auto', 'naive', 'tfjs'] }).sort((a, b) =>
    a.impl.localeCompare(b.impl),
  );
  const rec = (c: BenchCase, extra: Partial<BenchRecord> = {}): BenchRecord => ({
    ...c,
    ...caseWork(c),
    intensity: 1,
    status: 'ok',
    elapsedMs: 1,
    finishedAt: '',
    wall: { n: 3, median: 1, min: 1, max: 1, ciLow: 1, ciHigh: 1 },
    gflops: 1,
    gbps: 1,
    ...extra,
  });

  it('report.md and results.csv show what each of our cases ran with, and mark peers', () => {
    const config = {
      label: 'auto → direct WG_X=8 WG_Y=8 (tuned)',
      values: { variant: 'direct', WG_X: 8, WG_Y: 8, shapeClass: 'large' },
      tuned: true,
    };
    const rs = [rec(auto!, { config }), rec(naive!, { config: { label: 'naive WG_X=16 WG_Y=16', values: {}, tuned: false } }), rec(tfjs!)];
    const md = markdownReport(rs, null);
    expect(md).toContain('| shape | impl | configuration | median ms |');
    expect(md).toContain('| M64 K64 N64 | auto | auto → direct WG_X=8 WG_Y=8 (tuned) |');
    expect(md).toContain('| M64 K64 N64 | tfjs | tfjs (peer) |');
    const csv = toCsv(rs).trim().split('\n');
    const head = csv[0]!.split(',');
    expect(csv[1]!.split(',')[head.indexOf('config')]).toBe('auto → direct WG_X=8 WG_Y=8 (tuned)');
    expect(csv[1]!.split(',')[head.indexOf('tuned')]).toBe('true');
    expect(csv[3]!.split(',')[head.indexOf('config')]).toBe('');
  });

  it('labels', () => {
    expect(configLabel('register', { WG_X: 16, BK: 16 })).toBe('register WG_X=16 BK=16');
    expect(tunedConfigLabel({ layout: 'workgroup' })).toBe('workgroup');
    expect(tunedConfigLabel({ variant: 'rows', workgroupSize: 64, rowsPerInvocation: 1 })).toBe(
      'rows workgroupSize=64 rowsPerInvocation=1',
    );
    expect(tunedConfigLabel(7)).toBe('7');
  });
});

describe('what a plan tunes', () => {
  it('one entry per (kernel, shape class) the cases consult, in plan order; peers and other variants consult none', () => {
    const cases = planCases({
      suites: ['matmul', 'attention'],
      sizes: ['64', '128', 'matmul:1x512x512'],
      dims: [64],
      heads: [1],
      causal: [false, true],
    });
    const classify = (c: BenchCase) =>
      c.suite === 'matmul' && c.impl === 'auto'
        ? { kernel: 'matmul', shapeClass: Number(c.params.M) === 1 ? 'gemv' : 'large' }
        : c.suite === 'attention' && c.impl === 'flash'
          ? { kernel: 'attention:flash', shapeClass: `d${c.params.d}${c.params.causal ? ':causal' : ''}` }
          : null;
    const { needs, skipped } = tuningNeeds(cases, classify, { matmul: ['gemv', 'small', 'large'], 'attention:flash': ['d64'] });
    expect(needs.map((n) => `${n.kernel} ${n.shapeClass} ×${n.cases.length}`)).toEqual([
      'matmul large ×2',
      'matmul gemv ×1',
      'attention:flash d64 ×2',
    ]);
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/attention\/flash\/.* causal: the tuner has no attention:flash class 'd64:causal'/);
    expect(tuneSize(true)).toBe(256);
    expect(tuneSize(false)).toBeUndefined();
  });
});

describe('--tune [FILE] and --no-tuning', () => {
  it('FILE is optional and defaults to OUT/tuning.json, which a run loads when it exists', () => {
    expect(parseCliArgs(['--tune'])).toMatchObject({ tune: join('bench-results', 'tuning.json'), noTuning: false });
    expect(parseCliArgs(['--tune', '--quick'])).toMatchObject({ tune: join('bench-results', 'tuning.json'), quick: true });
    expect(parseCliArgs(['--tune', '/tmp/x.json', '--quick'])).toMatchObject({
      tune: '/tmp/x.json',
      tuningFile: '/tmp/x.json',
      quick: true,
    });
    expect(parseCliArgs(['--tune=/tmp/y.json']).tune).toBe('/tmp/y.json');
    expect(parseCliArgs(['--out', 'o', '--tune']).tune).toBe(join('o', 'tuning.json'));
    expect(parseCliArgs(['--out', 'o'])).toMatchObject({ tune: undefined, tuningFile: join('o', 'tuning.json') });
    expect(parseCliArgs(['--no-tuning'])).toMatchObject({ tune: undefined, noTuning: true });
    expect(splitTune(['--quick', '--tune', 'f.json', '--seed', '3'])).toEqual({ rest: ['--quick', '--seed', '3'], tune: 'f.json' });
  });

  it('contradictions are errors naming the options', () => {
    expect(() => parseCliArgs(['--tune', '--no-tuning'])).toThrow(/--tune: .*--no-tuning/);
    expect(() => parseCliArgs(['--report', 'dir', '--tune'])).toThrow(/--report: .*drop --tune/);
    expect(() => parseCliArgs(['--tune', 'a', '--tune', 'b'])).toThrow(/given twice/);
    expect(() => parseCliArgs(['--tune='])).toThrow(/--tune/);
  });
});

describe('the tuning file', () => {
  let tmp = '';
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ks-tuning-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('round-trips the records, creates its folder, and leaves no temporary file', () => {
    const file = join(tmp, 'sub', 'tuning.json');
    expect(readTuningFile(file)).toEqual({ records: null, warning: null });
    writeTuningFile(file, SUMMARY.records);
    expect(readTuningFile(file)).toEqual({ records: JSON.parse(JSON.stringify(SUMMARY.records)), warning: null });
    expect(readdirSync(join(tmp, 'sub'))).toEqual(['tuning.json']);
  });

  it('a file that is not a JSON array is ignored with a warning', () => {
    const file = join(tmp, 'tuning.json');
    writeFileSync(file, '{"not": "an array"}');
    expect(readTuningFile(file)).toMatchObject({ records: null, warning: expect.stringMatching(/not a JSON array/) });
    writeFileSync(file, '[{"half');
    expect(readTuningFile(file)).toMatchObject({ records: null, warning: expect.stringMatching(/not JSON/) });
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('[{"half');
  });

  it('one progress line per tuned class', () => {
    const record = SUMMARY.records[0]!;
    const line = describeTuneResult(
      { kernel: 'matmul', shapeClass: 'large', candidates: SUMMARY.runs[0]!.candidates, record },
      tunedConfigLabel,
      12.3,
    );
    expect(line).toBe(
      "tuning matmul large: direct WG_X=8 WG_Y=8, 2.00 ms against the default's 3.00 ms on matmul fixture (default ÷ tuned time 1.50; 1 of 2 candidates correct, 12.3 s)",
    );
    expect(describeTuneResult({ kernel: 'matmul', shapeClass: 'gemv', candidates: [], record: null }, tunedConfigLabel, 1)).toMatch(
      /no candidate passed the reference check/,
    );
  });
});
