/**
 * The bench page's views of what it measured: the results table and plots rebuilt
 * from the records, the environment list, and one line per tuned kernel.
 */
import type { TuningRecord } from '../src/gpu/tuning';
import {
  TUNING_GAIN_COLUMN,
  allPlots,
  fmtBytes,
  fmtMs,
  tuningGain,
  tuningStatus,
  type BenchEnvironment,
  type BenchRecord,
  type TuneRun,
} from '../src/bench/index';
import { pageTable } from '../src/bench/page-table';
import { tunedConfigLabel } from '../src/bench/config-label';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const table = $<HTMLTableElement>('results');
const plots = $<HTMLDivElement>('plots');
const tuningList = $<HTMLUListElement>('tuning');

let plotUrls: string[] = [];

function cell(tag: 'td' | 'th', text: string, className?: string): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

/** Rebuilds the table from every record so far (text only, never markup): ratios and roofline shares fill in as their cases run. */
export function renderTable(records: BenchRecord[]): void {
  const peer = $<HTMLSelectElement>('peer').value;
  const t = pageTable(records, peer ? [peer] : []);
  table.hidden = records.length === 0;
  const head = document.createElement('tr');
  head.append(...t.head.map((h) => cell('th', h)));
  table.tHead!.replaceChildren(head);
  table.tBodies[0]!.replaceChildren(
    ...t.rows.map((r) => {
      const tr = document.createElement('tr');
      tr.append(...r.cells.map((c) => cell('td', c)));
      if (r.failed !== null) {
        const failed = cell('td', r.failed, 'failed');
        failed.colSpan = t.measuredColumns;
        tr.append(failed);
      }
      return tr;
    }),
  );
}

/** Redraws the three plots as images of their SVG text (no markup is injected into the page). */
export function drawPlots(records: BenchRecord[]): void {
  for (const u of plotUrls) URL.revokeObjectURL(u);
  plotUrls = [];
  plots.replaceChildren();
  for (const [name, svg] of Object.entries(allPlots(records))) {
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    plotUrls.push(url);
    const img = document.createElement('img');
    img.src = url;
    img.alt = name.replace('.svg', '').replace(/-/g, ' ');
    img.dataset.plot = name;
    plots.append(img);
  }
}

export function showEnvironment(env: BenchEnvironment): void {
  const dl = $<HTMLDListElement>('env');
  const a = env.adapter as Record<string, unknown>;
  const items: [string, string][] = [
    ['adapter', [a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'unknown'],
    [
      'features',
      Object.entries(env.features)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .join(', ') || 'none',
    ],
    ['maxBufferSize', fmtBytes(env.limits.maxBufferSize)],
    ['maxStorageBufferBindingSize', fmtBytes(env.limits.maxStorageBufferBindingSize)],
    ['clock resolution', `${(env.wallResolutionMs * 1000).toFixed(1)} µs${env.crossOriginIsolated ? ' (cross-origin isolated)' : ''}`],
    ['tuning', tuningStatus(env.tuning)],
  ];
  dl.replaceChildren(
    ...items.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}
/** One line per tuned (kernel, shape class): the choice, its median against the default's, the gain. */
export function showTuning(kernel: string, shapeClass: string, record: TuningRecord | null, run: TuneRun): void {
  const li = document.createElement('li');
  const correct = run.candidates.filter((c) => c.correct).length;
  if (!record) li.textContent = `${kernel} ${shapeClass}: no candidate passed the reference check (${run.candidates.length} tried)`;
  else {
    const gain = tuningGain(record);
    li.textContent =
      `${kernel} ${shapeClass}: ${tunedConfigLabel(record.config)}, ${fmtMs(record.ms)} ms against the default's ` +
      `${record.defaultMs === null ? 'failed run' : `${fmtMs(record.defaultMs)} ms`} on ${record.measuredOn}` +
      `${gain === undefined ? '' : `; ${TUNING_GAIN_COLUMN}: ${gain.toFixed(2)}`} (${correct} of ${run.candidates.length} candidates correct)`;
  }
  tuningList.append(li);
}
