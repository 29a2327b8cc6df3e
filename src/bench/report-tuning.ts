/**
 * The report's "Tuning" section: what the kernels' tuning table held while the cases
 * ran (from the run's environment), and per (kernel, shape class) the chosen
 * configuration's median on the tuning case against the shipped default's, with the
 * gain. Pure: runs in the page and in Node.
 */
import { tunedConfigLabel } from './config-label';
import type { BenchEnvironment, TuningSummary } from './types';

/** Header of the gain column: the ratio convention in words. */
export const TUNING_GAIN_COLUMN = 'default ÷ tuned time (above 1 = tuning gained)';

function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2);
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** default ÷ tuned median on the tuning case, or undefined when either is missing. */
export function tuningGain(r: { ms: number; defaultMs: number | null }): number | undefined {
  return r.defaultMs !== null && r.ms > 0 && Number.isFinite(r.defaultMs) ? r.defaultMs / r.ms : undefined;
}

/** One line on where the table came from and whether kernels consulted it. */
export function tuningStatus(t: TuningSummary | undefined): string {
  if (!t) return 'not recorded for this run';
  if (!t.enabled) return 'off (--no-tuning): every kernel ran its shipped default for this adapter class';
  if (t.records.length === 0)
    return `on, but no tuned configuration for this adapter${t.source ? ` (${t.source})` : ''}: kernels ran their shipped defaults (measure them with npm run bench -- --tune)`;
  return `on: ${t.records.length} tuned configuration${t.records.length === 1 ? '' : 's'} for this adapter, ${t.source || 'source unknown'}`;
}

/** The Markdown lines of the Tuning section (always present, so a reader sees whether tuning applied). */
export function tuningSection(env: BenchEnvironment | null): string[] {
  const t = env?.tuning;
  const lines = ['## Tuning', '', `- tuning: ${tuningStatus(t)}`];
  const unresolved = t ? t.runs.filter((run) => !t.records.some((r) => r.kernel === run.kernel && r.shapeClass === run.shapeClass)) : [];
  if (!t || (t.records.length === 0 && unresolved.length === 0)) return [...lines, ''];
  lines.push(
    "- each row: the configuration chosen for this adapter, its median on the tuning case and the shipped default's (same case, same tuning run)",
    '',
  );
  const head = ['kernel', 'shape class', 'chosen configuration', 'measured on', 'tuned ms', 'default ms', TUNING_GAIN_COLUMN, 'candidates'];
  lines.push(`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const r of t.records) {
    const run = t.runs.find((x) => x.kernel === r.kernel && x.shapeClass === r.shapeClass);
    const tried = run ? `${run.candidates.filter((c) => c.correct).length} of ${run.candidates.length} correct` : 'loaded';
    const gain = tuningGain(r);
    lines.push(
      `| ${[
        r.kernel,
        r.shapeClass,
        tunedConfigLabel(r.config),
        r.measuredOn,
        ms(r.ms),
        r.defaultMs === null ? 'failed' : ms(r.defaultMs),
        gain === undefined ? '—' : `${gain.toFixed(2)}×`,
        tried,
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  for (const run of unresolved) {
    const why = run.candidates.map((c) => `${c.label}: ${c.reason ?? 'no timing'}`).join('; ');
    lines.push(
      `| ${[run.kernel, run.shapeClass, `none chosen: ${why}`, '', '', '', '—', `0 of ${run.candidates.length} correct`].map(cell).join(' | ')} |`,
    );
  }
  return [...lines, ''];
}
