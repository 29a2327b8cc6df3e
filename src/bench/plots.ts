/**
 * SVG plots of the records, as standalone SVG text built from d3 scales and path
 * strings (no DOM, so they render in the page and in Node alike): time against N,
 * peak bytes against N (one panel per suite, one line per series, failed cases
 * marked ✕ on the panel's top edge), and a roofline of this device with every case
 * placed on it. Every label is XML-escaped.
 */
import { line, scaleLog } from 'd3';
import { SERIES_COLORS } from '../viz/palette';
import { ceilings } from './roof';
import type { BenchRecord, SuiteName } from './types';
import { decodePlot } from './decode-plot';

const FG = '#1b1b1f';
const MUTED = '#5c5f66';
const GRID = '#d9dbe0';
const FONT = 'font-family="system-ui, sans-serif"';

/** Escapes text for XML content and attribute values. */
export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Colours per implementation: the palette's seven for ours, the foreground colour for peers. */
const IMPL_COLORS: Record<string, string> = {
  naive: SERIES_COLORS[0],
  tiled: SERIES_COLORS[1],
  register: SERIES_COLORS[2],
  subgroup: SERIES_COLORS[3],
  flash: SERIES_COLORS[4],
  linear: SERIES_COLORS[5],
  softmax: SERIES_COLORS[2],
  fma: SERIES_COLORS[6],
  copy: SERIES_COLORS[6],
};

/** A stable colour per implementation; peers (and anything unknown) in the foreground colour. */
export function implColor(impl: string): string {
  return IMPL_COLORS[impl] ?? FG;
}

const DASHES = ['', '6 3', '2 2', '8 3 2 3', '1 3'];

/** Log-scale ticks at powers of `base` within [lo, hi]; for base 10 over under two decades, also 2× and 5×. */
function logTicks(lo: number, hi: number, base: number): number[] {
  const steps = base === 10 && hi / lo < 100 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = Math.floor(Math.log(lo) / Math.log(base)); Math.pow(base, e) <= hi * 1.0001; e++) {
    for (const m of steps) {
      const v = m * Math.pow(base, e);
      if (v >= lo * 0.9999 && v <= hi * 1.0001) out.push(v);
    }
  }
  return out;
}

/** Ticks at powers of two, every `stride`-th one so there are at most `max`. */
function pow2Ticks(lo: number, hi: number, max = 8): number[] {
  const e0 = Math.ceil(Math.log2(lo) - 1e-9);
  const e1 = Math.floor(Math.log2(hi) + 1e-9);
  const stride = Math.max(1, Math.ceil((e1 - e0 + 1) / max));
  const out: number[] = [];
  for (let e = e0; e <= e1; e++) if ((e - e0) % stride === 0) out.push(2 ** e);
  return out;
}

function fmtTick(v: number, unit: 'ms' | 'bytes' | 'n' | 'plain'): string {
  if (unit === 'bytes')
    return v >= 2 ** 30
      ? `${+(v / 2 ** 30).toPrecision(3)} GiB`
      : v >= 2 ** 20
        ? `${+(v / 2 ** 20).toPrecision(3)} MiB`
        : v >= 1024
          ? `${+(v / 1024).toPrecision(3)} KiB`
          : `${+v.toPrecision(3)} B`;
  if (unit === 'n') return v >= 2 ** 20 ? `${v / 2 ** 20}Mi` : String(v);
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(3));
}

function pad(lo: number, hi: number): [number, number] {
  if (!(lo > 0) || !(hi > 0)) return [1, 10];
  if (lo === hi) return [lo / 2, hi * 2];
  return [lo / 1.3, hi * 1.3];
}

interface Panel {
  title: string;
  records: BenchRecord[];
}

function panelSvg(
  p: Panel,
  value: (r: BenchRecord) => number | undefined,
  yUnit: 'ms' | 'bytes',
  yLabel: string,
  ox: number,
  oy: number,
  w: number,
  h: number,
): string {
  const m = { l: 58, r: 10, t: 24, b: 36 };
  const ok = p.records.filter((r) => r.status === 'ok' && (value(r) ?? 0) > 0);
  const xs = p.records.map((r) => r.n).filter((n) => n > 0);
  const ys = ok.map((r) => value(r)!);
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const x = scaleLog()
    .domain([x0, x1])
    .range([ox + m.l, ox + w - m.r]);
  const y = scaleLog()
    .domain([y0, y1])
    .range([oy + h - m.b, oy + m.t]);
  const parts: string[] = [
    `<text x="${ox + m.l}" y="${oy + 14}" ${FONT} font-size="13" font-weight="600" fill="${FG}">${xml(p.title)}</text>`,
  ];
  for (const t of yUnit === 'bytes' ? pow2Ticks(y0, y1) : logTicks(y0, y1, 10)) {
    parts.push(`<line x1="${ox + m.l}" x2="${ox + w - m.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${GRID}"/>`);
    parts.push(
      `<text x="${ox + m.l - 4}" y="${(y(t) + 4).toFixed(1)}" ${FONT} font-size="10" text-anchor="end" fill="${MUTED}">${xml(fmtTick(t, yUnit))}</text>`,
    );
  }
  for (const t of pow2Ticks(x0, x1)) {
    parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${oy + m.t}" y2="${oy + h - m.b}" stroke="${GRID}"/>`);
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${oy + h - m.b + 14}" ${FONT} font-size="10" text-anchor="middle" fill="${MUTED}">${xml(fmtTick(t, 'n'))}</text>`,
    );
  }
  parts.push(
    `<text x="${ox + (m.l + w - m.r) / 2}" y="${oy + h - 6}" ${FONT} font-size="11" text-anchor="middle" fill="${MUTED}">N</text>`,
  );
  parts.push(
    `<text transform="translate(${ox + 12},${oy + (m.t + h - m.b) / 2}) rotate(-90)" ${FONT} font-size="11" text-anchor="middle" fill="${MUTED}">${xml(yLabel)}</text>`,
  );
  const series = [...new Set(p.records.map((r) => r.series))];
  const tails = [...new Set(p.records.map((r) => r.series.slice(r.impl.length)))];
  const legend: string[] = [];
  series.forEach((s) => {
    const rs = p.records.filter((r) => r.series === s).sort((a, b) => a.n - b.n);
    const impl = rs[0]!.impl;
    const color = implColor(impl);
    const dash = DASHES[tails.indexOf(s.slice(impl.length)) % DASHES.length]!;
    const pts = rs.filter((r) => r.status === 'ok' && (value(r) ?? 0) > 0).map((r) => [x(r.n), y(value(r)!)] as [number, number]);
    const path = line()(pts);
    if (path && pts.length > 1)
      parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const [px, py] of pts) parts.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="2.6" fill="${color}"/>`);
    for (const r of rs.filter((r) => r.status !== 'ok')) {
      const px = x(r.n);
      const py = oy + m.t + 4;
      parts.push(
        `<text x="${px.toFixed(1)}" y="${py + 4}" ${FONT} font-size="12" text-anchor="middle" fill="${color}"><title>${xml(`${r.id}: ${r.reason ?? 'failed'}`)}</title>✕</text>`,
      );
    }
    legend.push(s);
  });
  // The legend goes under the plot, in two columns, so it never hides a point.
  legend.forEach((s, i) => {
    const impl = p.records.find((r) => r.series === s)!.impl;
    const dash = DASHES[tails.indexOf(s.slice(impl.length)) % DASHES.length]!;
    const lx = ox + m.l + (i % 2) * ((w - m.l - m.r) / 2);
    const ly = oy + h + 14 + Math.floor(i / 2) * 14;
    parts.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="${ly - 3}" y2="${ly - 3}" stroke="${implColor(impl)}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    parts.push(`<text x="${lx + 20}" y="${ly}" ${FONT} font-size="10" fill="${FG}">${xml(s)}</text>`);
  });
  if (p.records.some((r) => r.status !== 'ok')) {
    parts.push(
      `<text x="${ox + w - m.r}" y="${oy + 14}" ${FONT} font-size="10" text-anchor="end" fill="${MUTED}">✕ failed (see report)</text>`,
    );
  }
  return parts.join('\n');
}

function svgDoc(w: number, h: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img"><title>${xml(title)}</title><rect width="100%" height="100%" fill="#ffffff"/>\n${body}\n</svg>\n`;
}

function panels(records: readonly BenchRecord[]): Panel[] {
  const suites: SuiteName[] = ['matmul', 'attention', 'softmax'];
  return suites.map((s) => ({ title: s, records: records.filter((r) => r.suite === s) })).filter((p) => p.records.length > 0);
}

function panelGrid(
  records: readonly BenchRecord[],
  value: (r: BenchRecord) => number | undefined,
  unit: 'ms' | 'bytes',
  label: string,
  title: string,
): string {
  const ps = panels(records);
  const w = 460;
  const h = 320;
  if (ps.length === 0)
    return svgDoc(w, 60, title, `<text x="10" y="30" ${FONT} font-size="12" fill="${MUTED}">no matmul, attention or softmax cases</text>`);
  const body = ps.map((p, i) => panelSvg(p, value, unit, label, i * w, 0, w, h)).join('\n');
  const legendRows = Math.max(...ps.map((p) => Math.ceil(new Set(p.records.map((r) => r.series)).size / 2)));
  return svgDoc(w * ps.length, h + 16 + legendRows * 14, title, body);
}

/** Median wall time per call against N, one panel per suite. */
export function timePlot(records: readonly BenchRecord[]): string {
  return panelGrid(records, (r) => r.wall?.median, 'ms', 'median ms per call', 'time against N');
}

/** Peak GPU bytes per call against N, one panel per suite. */
export function memoryPlot(records: readonly BenchRecord[]): string {
  return panelGrid(records, (r) => r.peakBytes, 'bytes', 'peak bytes per call', 'peak bytes against N');
}

/**
 * The roofline: attainable GFLOP/s = min(peak FMA, intensity × copy bandwidth),
 * both measured by the roofline suite, with every ok case placed at its
 * arithmetic intensity (FLOPs / compulsory bytes) and achieved GFLOP/s.
 */
export function rooflinePlot(records: readonly BenchRecord[]): string {
  const W = 640;
  const H = 420;
  const m = { l: 64, r: 160, t: 28, b: 42 };
  const pts = records.filter(
    (r) => r.status === 'ok' && r.suite !== 'roofline' && r.flops > 0 && (r.gflops ?? 0) > 0 && Number.isFinite(r.intensity),
  );
  const ceil = ceilings(records);
  const xsAll = pts.map((r) => r.intensity);
  const ysAll = pts.map((r) => r.gflops!);
  if (ceil.gflops) ysAll.push(ceil.gflops);
  if (ceil.gflops && ceil.gbps) xsAll.push(ceil.gflops / ceil.gbps);
  const [x0, x1] = xsAll.length ? [Math.min(...xsAll) / 4, Math.max(...xsAll) * 4] : [0.1, 1000];
  const [y0, y1] = ysAll.length ? [Math.min(...ysAll) / 4, Math.max(...ysAll) * 2] : [0.1, 100];
  const x = scaleLog()
    .domain([x0, x1])
    .range([m.l, W - m.r]);
  const y = scaleLog()
    .domain([y0, y1])
    .range([H - m.b, m.t])
    .clamp(true);
  const parts: string[] = [`<text x="${m.l}" y="16" ${FONT} font-size="13" font-weight="600" fill="${FG}">roofline of this device</text>`];
  for (const t of logTicks(y0, y1, 10)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${GRID}"/>`);
    parts.push(
      `<text x="${m.l - 4}" y="${(y(t) + 4).toFixed(1)}" ${FONT} font-size="10" text-anchor="end" fill="${MUTED}">${xml(fmtTick(t, 'plain'))}</text>`,
    );
  }
  for (const t of logTicks(x0, x1, 10)) {
    parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${m.t}" y2="${H - m.b}" stroke="${GRID}"/>`);
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${H - m.b + 14}" ${FONT} font-size="10" text-anchor="middle" fill="${MUTED}">${xml(fmtTick(t, 'plain'))}</text>`,
    );
  }
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" ${FONT} font-size="11" text-anchor="middle" fill="${MUTED}">arithmetic intensity (FLOP / compulsory byte)</text>`,
  );
  parts.push(
    `<text transform="translate(14,${(m.t + H - m.b) / 2}) rotate(-90)" ${FONT} font-size="11" text-anchor="middle" fill="${MUTED}">GFLOP/s</text>`,
  );
  if (ceil.gflops && ceil.gbps) {
    const ridge = ceil.gflops / ceil.gbps;
    const samples = [x0, Math.max(x0, Math.min(ridge, x1)), x1].map(
      (v) => [x(v), y(Math.min(ceil.gflops!, v * ceil.gbps!))] as [number, number],
    );
    parts.push(`<path d="${line()(samples)}" fill="none" stroke="${FG}" stroke-width="2"/>`);
    parts.push(
      `<text x="${W - m.r - 4}" y="${(y(ceil.gflops) - 6).toFixed(1)}" ${FONT} font-size="10" text-anchor="end" fill="${FG}">FMA peak ${xml(fmtTick(ceil.gflops, 'plain'))} GFLOP/s</text>`,
    );
    parts.push(
      `<text x="${(x(x0) + 6).toFixed(1)}" y="${(y(x0 * ceil.gbps) - 6).toFixed(1)}" ${FONT} font-size="10" fill="${FG}">copy ${xml(fmtTick(ceil.gbps, 'plain'))} GB/s</text>`,
    );
  } else {
    parts.push(
      `<text x="${m.l + 6}" y="${m.t + 14}" ${FONT} font-size="11" fill="${MUTED}">no ceilings: run the roofline suite too</text>`,
    );
  }
  const suiteShape: Record<string, (cx: number, cy: number, color: string) => string> = {
    matmul: (cx, cy, c) => `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${c}" fill-opacity="0.85"/>`,
    attention: (cx, cy, c) =>
      `<rect x="${(cx - 3.5).toFixed(1)}" y="${(cy - 3.5).toFixed(1)}" width="7" height="7" fill="${c}" fill-opacity="0.85"/>`,
    softmax: (cx, cy, c) => `<path d="M${cx.toFixed(1)},${(cy - 4.5).toFixed(1)}l4.5,8h-9z" fill="${c}" fill-opacity="0.85"/>`,
  };
  for (const r of pts) {
    const mark = suiteShape[r.suite] ?? suiteShape.matmul!;
    parts.push(
      mark(x(r.intensity), y(r.gflops!), implColor(r.impl)).replace(
        '/>',
        `><title>${xml(`${r.id}: ${r.gflops!.toPrecision(3)} GFLOP/s at ${r.intensity.toPrecision(3)} FLOP/B`)}</title></${mark === suiteShape.softmax ? 'path' : mark === suiteShape.attention ? 'rect' : 'circle'}>`,
      ),
    );
  }
  const impls = [...new Set(pts.map((r) => r.impl))];
  const lx = W - m.r + 14;
  impls.forEach((impl, i) => {
    parts.push(`<circle cx="${lx}" cy="${m.t + 10 + i * 15}" r="4" fill="${implColor(impl)}"/>`);
    parts.push(`<text x="${lx + 10}" y="${m.t + 14 + i * 15}" ${FONT} font-size="11" fill="${FG}">${xml(impl)}</text>`);
  });
  const base = m.t + 20 + impls.length * 15;
  ['matmul ●', 'attention ■', 'softmax ▲'].forEach((s, i) =>
    parts.push(`<text x="${lx}" y="${base + i * 14}" ${FONT} font-size="10" fill="${MUTED}">${xml(s)}</text>`),
  );
  return svgDoc(W, H, 'roofline', parts.join('\n'));
}

/** The three plots, by file name, and the decode plot when there are decode cases. */
export function allPlots(records: readonly BenchRecord[]): Record<string, string> {
  return {
    'time-vs-n.svg': timePlot(records),
    'memory-vs-n.svg': memoryPlot(records),
    'roofline.svg': rooflinePlot(records),
    ...(records.some((r) => r.suite === 'decode') ? { 'decode-vs-nk.svg': decodePlot(records) } : {}),
  };
}
