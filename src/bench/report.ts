/**
 * The written outputs: CSV rows and the Markdown report (one table per suite with
 * the median, its 95% CI, GFLOP/s, GB/s, peak bytes, max error, and time ratios
 * against naive and against each peer), plus the key comparisons. Pure functions
 * of the records: they run in the page and in Node alike.
 */
import type { BenchEnvironment, BenchRecord, SuiteName } from './types';
import { SUITES } from './types';

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
] as const;

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The records as CSV, one row per case, with a header. */
export function toCsv(records: readonly BenchRecord[]): string {
  const rows = records.map((r) =>
    [
      r.id,
      r.suite,
      r.impl,
      r.provider,
      r.shape,
      r.n,
      r.status,
      r.reason,
      r.wall?.median,
      r.wall?.ciLow,
      r.wall?.ciHigh,
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
    ]
      .map(csvCell)
      .join(','),
  );
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

function suiteTable(records: readonly BenchRecord[], suite: SuiteName): string[] {
  const rows = records.filter((r) => r.suite === suite);
  if (rows.length === 0) return [];
  const peers = peerIds(records);
  const hasNaive = rows.some((r) => r.impl === 'naive');
  const head = ['shape', 'impl', 'median ms [95% CI]', 'min–max ms', 'n', 'GFLOP/s', 'GB/s', 'peak bytes', 'max abs err'];
  if (hasNaive) head.push('time / naive');
  for (const p of peers) head.push(`time / ${p}`, `bytes / ${p}`);
  const lines = [`### ${suite}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const c: string[] = [r.shape, r.impl];
    if (r.status !== 'ok' || !r.wall) {
      c.push(`**failed**: ${r.errorName ? `${r.errorName}: ` : ''}${r.reason ?? ''}`, '', '', '', '', '', '');
      if (hasNaive) c.push('');
      for (let i = 0; i < peers.length; i++) c.push('', '');
    } else {
      const w = r.wall;
      c.push(
        `${fmtMs(w.median)} [${fmtMs(w.ciLow)}, ${fmtMs(w.ciHigh)}]`,
        `${fmtMs(w.min)}–${fmtMs(w.max)}`,
        String(w.n),
        r.flops > 0 ? fmtNum(r.gflops) : '—',
        fmtNum(r.gbps),
        `${fmtBytes(r.peakBytes)}${r.peakSource === 'tf.profile' ? ' (tf.profile)' : ''}`,
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

/** Key comparisons: our best matmul against each peer, flash against naive and each peer. */
export function keyFigures(records: readonly BenchRecord[]): string[] {
  const out: string[] = [];
  const peers = peerIds(records);
  const shapes = (suite: SuiteName) => [...new Set(records.filter((r) => r.suite === suite).map((r) => r.shape))];
  for (const shape of shapes('matmul')) {
    const best = bestOurs(records, 'matmul', shape);
    if (!best) continue;
    const parts = [`matmul ${shape}: best is ${best.impl} (${fmtMs(best.wall!.median)} ms)`];
    for (const p of peers) {
      const t = timeRatio(best, sibling(records, best, p));
      if (t !== undefined) parts.push(`${fmtNum(t)}× ${p}'s time`);
    }
    for (const v of ['tiled', 'register', 'subgroup']) {
      const t = timeRatio(sibling(records, best, v), sibling(records, best, 'naive'));
      if (t !== undefined) parts.push(`${v}/naive ${fmtNum(t)}`);
    }
    out.push(`- ${parts.join('; ')}`);
  }
  for (const shape of shapes('attention')) {
    const flash = records.find((r) => r.suite === 'attention' && r.shape === shape && r.impl === 'flash');
    if (!flash || flash.status !== 'ok') continue;
    const parts = [`attention ${shape}: flash ${fmtMs(flash.wall!.median)} ms, ${fmtBytes(flash.peakBytes)}`];
    const naive = records.find((r) => r.suite === 'attention' && r.shape === shape && r.impl === 'naive');
    if (naive?.status === 'ok')
      parts.push(`flash/naive time ${fmtNum(timeRatio(flash, naive))}, bytes ${fmtNum(flash.peakBytes! / naive.peakBytes!)}`);
    else if (naive) parts.push('naive failed');
    for (const p of peers) {
      const peer = sibling(records, flash, p);
      if (peer) parts.push(`flash/${p} time ${fmtNum(timeRatio(flash, peer))}, bytes ${fmtNum(flash.peakBytes! / peer.peakBytes!)}`);
    }
    out.push(`- ${parts.join('; ')}`);
  }
  return out;
}

/** Roofline ceilings from the probe records: peak GFLOP/s and GB/s, or null. */
export function ceilings(records: readonly BenchRecord[]): { gflops: number | null; gbps: number | null } {
  const ok = records.filter((r) => r.suite === 'roofline' && r.status === 'ok');
  const fma = ok.filter((r) => r.impl === 'fma').map((r) => r.gflops ?? 0);
  const copy = ok.filter((r) => r.impl === 'copy').map((r) => r.gbps ?? 0);
  return { gflops: fma.length ? Math.max(...fma) : null, gbps: copy.length ? Math.max(...copy) : null };
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
    '- time ratios are medians divided, taken in this one run: below 1 means faster than the reference column. Bytes: peak GPU bytes of one call (inputs + the most it allocated), ours from buffer accounting, TF.js from tf.profile.',
    `- ${records.filter((r) => r.status === 'ok').length} cases ok, ${records.filter((r) => r.status !== 'ok').length} failed`,
    '',
  );
  const key = keyFigures(records);
  if (key.length) lines.push('## Key figures', '', ...key, '');
  const ceil = ceilings(records);
  if (ceil.gflops !== null || ceil.gbps !== null) {
    lines.push(
      '## Roofline of this device',
      '',
      `- sustained FMA: ${fmtNum(ceil.gflops ?? NaN)} GFLOP/s; copy bandwidth: ${fmtNum(ceil.gbps ?? NaN)} GB/s` +
        (ceil.gflops && ceil.gbps ? `; ridge point ${fmtNum(ceil.gflops / ceil.gbps)} FLOP/byte` : ''),
      '',
    );
  }
  lines.push('## Results', '');
  for (const suite of SUITES) lines.push(...suiteTable(records, suite));
  return lines.join('\n');
}
