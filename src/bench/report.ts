/**
 * The written outputs: CSV rows and the Markdown report (one table per suite with
 * the configuration each case ran, the median and its spread, GFLOP/s, GB/s, the share
 * of this device's roofline, peak bytes, max error, and time ratios against naive and
 * against each peer), plus the key comparisons, the roofline and the tuning table.
 * Pure functions of the records: they run in the page and in Node alike.
 */
import { tuningSection } from './report-tuning';
import { ceilings, fmtRoofShare, missingCeiling, roofShare, ROOF_COLUMN, type Ceilings } from './roof';
import { CI_MIN_REPEATS, spreadOf } from './stats';
import type { BenchEnvironment, BenchRecord, SuiteName } from './types';
import { SUITES } from './types';

export { ceilings };

const CSV_COLUMNS = [
  'id',
  'suite',
  'impl',
  'provider',
  'shape',
  'n',
  'status',
  'reason',
  'median_ms',
  'ci_low_ms',
  'ci_high_ms',
  'min_ms',
  'max_ms',
  'repeats',
  'gpu_median_ms',
  'gpu_timer',
  'flops',
  'bytes',
  'gflops',
  'gbps',
  'peak_bytes',
  'peak_source',
  'max_abs_err',
  'err_checked',
  'config',
  'tuned',
  'roof',
  'roof_pct',
] as const;

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The records as CSV, one row per case, with a header. `ci_low_ms`/`ci_high_ms` are
 * empty below CI_MIN_REPEATS repeats (the interval is then just the range, which
 * min_ms/max_ms give). `roof` is FMA or copy, `roof_pct` the share of it (empty when
 * the run measured no roofline).
 */
export function toCsv(records: readonly BenchRecord[]): string {
  const ceil = ceilings(records);
  const missing = missingCeiling(records, ceil);
  const rows = records.map((r) => {
    const ci = r.wall && r.wall.n >= CI_MIN_REPEATS;
    const share = roofShare(r, ceil, missing);
    return [
      r.id,
      r.suite,
      r.impl,
      r.provider,
      r.shape,
      r.n,
      r.status,
      r.reason,
      r.wall?.median,
      ci ? r.wall?.ciLow : '',
      ci ? r.wall?.ciHigh : '',
      r.wall?.min,
      r.wall?.max,
      r.wall?.n,
      r.gpu?.median,
      r.timer?.gpu,
      r.flops,
      r.bytes,
      r.gflops,
      r.gbps,
      r.peakBytes,
      r.peakSource,
      r.error?.maxAbsErr,
      r.error ? `${r.error.checked} ${r.error.count}/${r.error.total}` : '',
      r.config?.label,
      r.config ? r.config.tuned : '',
      share.roof ?? '',
      share.roof ? Number(share.percent.toPrecision(4)) : '',
    ]
      .map(csvCell)
      .join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** Milliseconds with 3 significant figures. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(2);
}

/** Bytes in KiB/MiB/GiB. */
export function fmtBytes(b: number | undefined): string {
  if (b === undefined || !Number.isFinite(b)) return '—';
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)} KiB`;
  return `${b} B`;
}

function fmtNum(x: number | undefined, digits = 3): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toPrecision(digits);
}

/** A clock quantum in ms as ns or µs. */
function fmtQuantum(ms: number): string {
  return ms < 1e-3 ? `${Math.round(ms * 1e6)} ns` : `${(ms * 1000).toFixed(1)} µs`;
}

/** Escapes a value for a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `a / b` of the median wall times of two ok records; undefined when either is missing. */
export function timeRatio(a: BenchRecord | undefined, b: BenchRecord | undefined): number | undefined {
  if (!a?.wall || !b?.wall || a.status !== 'ok' || b.status !== 'ok') return undefined;
  return a.wall.median / b.wall.median;
}

/** The ok record of `impl` with the same suite and shape as `r`. */
export function sibling(records: readonly BenchRecord[], r: Pick<BenchRecord, 'suite' | 'shape'>, impl: string): BenchRecord | undefined {
  return records.find((x) => x.suite === r.suite && x.shape === r.shape && x.impl === impl && x.status === 'ok');
}

/** Peers present in the records. */
export function peerIds(records: readonly BenchRecord[]): string[] {
  return [...new Set(records.filter((r) => r.provider !== 'kernelscope').map((r) => r.provider))];
}

/** Our fastest ok record of a shape. */
export function bestOurs(records: readonly BenchRecord[], suite: SuiteName, shape: string): BenchRecord | undefined {
  let best: BenchRecord | undefined;
  for (const r of records) {
    if (r.suite !== suite || r.shape !== shape || r.provider !== 'kernelscope' || r.status !== 'ok' || !r.wall) continue;
    if (!best || r.wall.median < best.wall!.median) best = r;
  }
  return best;
}

/** Header of a time-ratio column: the convention in words. */
export function timeRatioColumn(against: string): string {
  return `time ÷ ${against} (below 1 = faster)`;
}

/** Header of a peak-bytes ratio column. */
export function bytesRatioColumn(against: string): string {
  return `peak bytes ÷ ${against} (below 1 = less)`;
}

/** Header of the spread column: what its interval is, and from how many repeats. */
export const SPREAD_COLUMN = `spread ms: 95% CI of the median (n ≥ ${CI_MIN_REPEATS}) or min–max`;

/** "1.10–1.50 min–max" or "1.20–1.40 95% CI" (from CI_MIN_REPEATS repeats). */
export function fmtSpread(w: NonNullable<BenchRecord['wall']>): string {
  const s = spreadOf(w);
  return `${fmtMs(s.low)}–${fmtMs(s.high)} ${s.kind}`;
}

function suiteTable(records: readonly BenchRecord[], suite: SuiteName, ceil: Ceilings, missing: string | null): string[] {
  const rows = records.filter((r) => r.suite === suite);
  if (rows.length === 0) return [];
  const peers = peerIds(records);
  const hasNaive = rows.some((r) => r.impl === 'naive');
  const head = [
    'shape',
    'impl',
    'configuration',
    'median ms',
    SPREAD_COLUMN,
    'n',
    'GFLOP/s',
    'GB/s',
    ROOF_COLUMN,
    'peak bytes',
    'max abs err',
  ];
  if (hasNaive) head.push(timeRatioColumn('naive'));
  for (const p of peers) head.push(timeRatioColumn(p), bytesRatioColumn(p));
  const lines = [`### ${suite}`, '', `| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const c: string[] = [r.shape, r.impl, r.config?.label ?? (r.provider === 'kernelscope' ? '—' : `${r.provider} (peer)`)];
    if (r.status !== 'ok' || !r.wall) {
      c.push(`**failed**: ${r.errorName ? `${r.errorName}: ` : ''}${r.reason ?? ''}`, ...head.slice(4).map(() => ''));
    } else {
      const w = r.wall;
      c.push(
        fmtMs(w.median),
        fmtSpread(w),
        String(w.n),
        r.flops > 0 ? fmtNum(r.gflops) : '—',
        fmtNum(r.gbps),
        fmtRoofShare(roofShare(r, ceil, missing)),
        `${fmtBytes(r.peakBytes)}${r.peakSource === 'tf.profile' || r.peakSource === 'device buffers' ? ` (${r.peakSource})` : ''}`,
        r.error
          ? `${r.error.maxAbsErr.toExponential(1)}${r.error.checked === 'sample' ? ` (${r.error.count} sampled)` : ''}${r.error.nonFinite ? `, ${r.error.nonFinite} non-finite` : ''}`
          : '—',
      );
      if (hasNaive) c.push(fmtNum(timeRatio(r, sibling(records, r, 'naive'))));
      for (const p of peers) {
        const peer = sibling(records, r, p);
        c.push(r.provider === p ? '1' : fmtNum(timeRatio(r, peer)));
        c.push(
          r.provider === p || !peer?.peakBytes || !r.peakBytes ? (r.provider === p ? '1' : '—') : fmtNum(r.peakBytes / peer.peakBytes),
        );
      }
    }
    lines.push(`| ${c.map(cell).join(' | ')} |`);
  }
  return [...lines, ''];
}

/** The roofline section: both ceilings with the probe configuration that set each, or why there are none. */
export function rooflineSection(records: readonly BenchRecord[]): string[] {
  const ceil = ceilings(records);
  const missing = missingCeiling(records, ceil);
  const lines = ['## Roofline of this device', ''];
  const best = (impl: string, key: 'gflops' | 'gbps') =>
    records
      .filter((r) => r.suite === 'roofline' && r.impl === impl && r.status === 'ok')
      .reduce<BenchRecord | undefined>((a, r) => (!a || (r[key] ?? 0) > (a[key] ?? 0) ? r : a), undefined);
  const fma = best('fma', 'gflops');
  const copy = best('copy', 'gbps');
  if (fma) lines.push(`- sustained FMA: ${fmtNum(ceil.gflops ?? NaN)} GFLOP/s, with ${fma.config?.label ?? 'the default probe'}`);
  if (copy) lines.push(`- copy bandwidth: ${fmtNum(ceil.gbps ?? NaN)} GB/s, with ${copy.config?.label ?? 'the default probe'}`);
  if (ceil.gflops && ceil.gbps) lines.push(`- ridge point: ${fmtNum(ceil.gflops / ceil.gbps)} FLOP/byte`);
  for (const r of [fma, copy]) {
    const tried = r?.config?.candidates;
    if (!tried) continue;
    const parts = tried.map(
      (t) => `${t.label} ${t.medianMs === null ? `(dropped: ${t.reason ?? 'no timing'})` : `${fmtMs(t.medianMs)} ms`}`,
    );
    lines.push(`- ${r!.impl} probe configurations tried (median ms of one call): ${parts.join('; ')}`);
  }
  if (missing)
    lines.push(
      `- ${missing}: the "${ROOF_COLUMN}" column is empty${missing === 'roofline suite not run' ? ' (add roofline to --suite to measure the ceilings in the same run)' : ''}`,
    );
  else
    lines.push(
      `- "${ROOF_COLUMN}": a case below the ridge (compulsory FLOPs per byte) is memory-bound and shown as its GB/s over the copy bandwidth; above it, its GFLOP/s over the FMA rate`,
    );
  return [...lines, ''];
}

/** Key comparisons (ratios below 1 = ours faster or smaller): our best matmul against each peer, flash against naive and each peer. */
export function keyFigures(records: readonly BenchRecord[]): string[] {
  const out: string[] = [];
  const peers = peerIds(records);
  const shapes = (suite: SuiteName) => [...new Set(records.filter((r) => r.suite === suite).map((r) => r.shape))];
  const ceil = ceilings(records);
  const missing = missingCeiling(records, ceil);
  for (const shape of shapes('matmul')) {
    const best = bestOurs(records, 'matmul', shape);
    if (!best) continue;
    const roof = roofShare(best, ceil, missing);
    const parts = [
      `matmul ${shape}: best is ${best.impl} (${fmtMs(best.wall!.median)} ms${roof.roof ? `, ${fmtRoofShare(roof)} roof` : ''})`,
    ];
    for (const p of peers) {
      const t = timeRatio(best, sibling(records, best, p));
      if (t !== undefined) parts.push(`time ÷ ${p} ${fmtNum(t)}`);
    }
    for (const v of ['tiled', 'register', 'direct', 'subgroup']) {
      const t = timeRatio(sibling(records, best, v), sibling(records, best, 'naive'));
      if (t !== undefined) parts.push(`${v} ÷ naive time ${fmtNum(t)}`);
    }
    out.push(`- ${parts.join('; ')}`);
  }
  for (const shape of shapes('attention')) {
    const flash = records.find((r) => r.suite === 'attention' && r.shape === shape && r.impl === 'flash');
    if (!flash || flash.status !== 'ok') continue;
    const parts = [`attention ${shape}: flash ${fmtMs(flash.wall!.median)} ms, ${fmtBytes(flash.peakBytes)}`];
    const naive = records.find((r) => r.suite === 'attention' && r.shape === shape && r.impl === 'naive');
    if (naive?.status === 'ok')
      parts.push(`flash ÷ naive: time ${fmtNum(timeRatio(flash, naive))}, peak bytes ${fmtNum(flash.peakBytes! / naive.peakBytes!)}`);
    else if (naive) parts.push('naive failed');
    for (const p of peers) {
      const peer = sibling(records, flash, p);
      if (peer)
        parts.push(`flash ÷ ${p}: time ${fmtNum(timeRatio(flash, peer))}, peak bytes ${fmtNum(flash.peakBytes! / peer.peakBytes!)}`);
    }
    out.push(`- ${parts.join('; ')}`);
  }
  return out;
}

/** The Markdown report. `command` is printed as the command that produced it. */
export function markdownReport(records: readonly BenchRecord[], env: BenchEnvironment | null, command = '', note = ''): string {
  const lines = ['# kernelscope benchmark', ''];
  if (note) lines.push(`> ${note}`, '');
  if (command) lines.push('```sh', command, '```', '');
  if (env) {
    const a = env.adapter as Record<string, unknown>;
    lines.push(
      `- adapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' · ') || 'unknown'} (${a.featureLevel ?? 'core'}${a.isFallbackAdapter ? ', fallback' : ''})`,
      `- features: ${Object.entries(env.features)
        .map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`)
        .join(', ')}`,
      `- limits: maxBufferSize ${fmtBytes(env.limits.maxBufferSize)}, maxStorageBufferBindingSize ${fmtBytes(env.limits.maxStorageBufferBindingSize)}, maxComputeWorkgroupStorageSize ${env.limits.maxComputeWorkgroupStorageSize}, maxComputeInvocationsPerWorkgroup ${env.limits.maxComputeInvocationsPerWorkgroup}`,
      `- peers: ${Object.values(env.peers).join(', ') || 'none'}`,
      `- browser: ${env.userAgent}`,
      `- started: ${env.startedAt}`,
    );
  }
  const timer = records.find((r) => r.timer)?.timer;
  const gpuRes = records.map((r) => r.timer?.gpuResolutionMs).filter((x): x is number => typeof x === 'number');
  lines.push(
    `- clock: wall time per call, from the call to the GPU queue being idle (performance.now(), resolution ${timer ? fmtQuantum(timer.wallResolutionMs) : 'n/a'}); the GPU timer (${timer?.gpu ?? 'none'}${gpuRes.length ? `, quantum ≤ ${fmtQuantum(Math.min(...gpuRes))}` : ''}) is in results.jsonl`,
    '- time ratios are medians divided, taken in this one run: "time ÷ X (below 1 = faster)" is this case\'s median over X\'s, so 0.25 takes a quarter of X\'s time. Bytes: peak GPU bytes of one call (inputs + the most it allocated), ours from buffer accounting, TF.js from tf.profile, ONNX Runtime Web and jax-js from the buffers created and not destroyed on their devices (device buffers: their pools and intermediates included); "peak bytes ÷ X (below 1 = less)".',
    `- spread: the 95% bootstrap CI of the median where a case has at least ${CI_MIN_REPEATS} repeats, else min–max (with fewer repeats that interval is just the range, so it is labelled as such)`,
    `- ${records.filter((r) => r.status === 'ok').length} cases ok, ${records.filter((r) => r.status !== 'ok').length} failed`,
    '',
  );
  const key = keyFigures(records);
  if (key.length) lines.push('## Key figures', '', ...key, '');
  lines.push(...rooflineSection(records), ...tuningSection(env));
  lines.push('## Results', '');
  const ceil = ceilings(records);
  const missing = missingCeiling(records, ceil);
  for (const suite of SUITES) lines.push(...suiteTable(records, suite, ceil, missing));
  return lines.join('\n');
}
