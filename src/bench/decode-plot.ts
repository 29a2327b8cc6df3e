/**
 * The decode plot: median time per call against the KV-cache length Nk (both log
 * scales), one line per implementation of the decode suite (split-K, plain flash,
 * naive) for each head/dim series, and above the split-K line the speed-up over plain
 * flash at each Nk (plain time ÷ split-K time). Standalone SVG text from d3 scales and
 * path strings (no DOM), every label XML-escaped; failed cases are marked ✕ on the top edge.
 */
import { line, scaleLog } from 'd3';
import { implColor, xml } from './plots';
import type { BenchRecord } from './types';

const FG = '#1b1b1f';
const MUTED = '#5c5f66';
const GRID = '#d9dbe0';
const FONT = 'font-family="system-ui, sans-serif"';

/** Line labels and colours of the decode implementations. */
const LABELS: Record<string, string> = { splitk: 'flash split-K', flash: 'flash (plain)', naive: 'naive' };
/** Colours of the decode implementations (a function: plots.ts imports this module). */
const color = (impl: string) => implColor(impl === 'splitk' ? 'register' : impl);

/** Median ms of the ok record of `impl` at `n` in `series`, if any. */
function timeAt(records: readonly BenchRecord[], seriesTail: string, impl: string, n: number): number | undefined {
  const r = records.find((x) => x.impl === impl && x.series === `${impl}${seriesTail}` && x.n === n && x.status === 'ok');
  return r?.wall?.median;
}

/** The decode suite's time against Nk, as SVG text (a short note when there are no decode records). */
export function decodePlot(records: readonly BenchRecord[]): string {
  const W = 640;
  const H = 380;
  const m = { l: 64, r: 150, t: 30, b: 44 };
  const rows = records.filter((r) => r.suite === 'decode');
  const ok = rows.filter((r) => r.status === 'ok' && r.wall && r.wall.median > 0);
  if (ok.length === 0) {
    return svg(W, 60, `<text x="10" y="30" ${FONT} font-size="12" fill="${MUTED}">no decode cases (run the decode suite)</text>`);
  }
  const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  const ts = ok.map((r) => r.wall!.median);
  const x = scaleLog()
    .base(2)
    .domain([ns[0]! / 1.3, ns.at(-1)! * 1.3])
    .range([m.l, W - m.r]);
  const y = scaleLog()
    .domain([Math.min(...ts) / 1.5, Math.max(...ts) * 2])
    .range([H - m.b, m.t]);
  const parts: string[] = [
    `<text x="${m.l}" y="18" ${FONT} font-size="13" font-weight="600" fill="${FG}">decode (Nq = 1): time against KV-cache length</text>`,
  ];
  // Ticks at 1, 2 and 5 times a power of ten.
  const lead = (t: number) => Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
  for (const t of y.ticks(6).filter((v) => [1, 2, 5].includes(lead(v)))) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${GRID}"/>`);
    parts.push(
      `<text x="${m.l - 4}" y="${(y(t) + 4).toFixed(1)}" ${FONT} font-size="10" text-anchor="end" fill="${MUTED}">${xml(String(+t.toPrecision(3)))}</text>`,
    );
  }
  for (const n of ns) {
    parts.push(`<line x1="${x(n).toFixed(1)}" x2="${x(n).toFixed(1)}" y1="${m.t}" y2="${H - m.b}" stroke="${GRID}"/>`);
    parts.push(
      `<text x="${x(n).toFixed(1)}" y="${H - m.b + 14}" ${FONT} font-size="10" text-anchor="middle" fill="${MUTED}">${xml(n >= 1024 ? `${n / 1024}k` : String(n))}</text>`,
    );
  }
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" ${FONT} font-size="11" text-anchor="middle" fill="${MUTED}">Nk (keys in the cache)</text>`,
  );
  parts.push(
    `<text transform="translate(14,${(m.t + H - m.b) / 2}) rotate(-90)" ${FONT} font-size="11" text-anchor="middle" fill="${MUTED}">median ms per call</text>`,
  );
  const tails = [...new Set(rows.map((r) => r.series.slice(r.impl.length)))];
  let legend = 0;
  tails.forEach((tail, ti) => {
    const dash = ti === 0 ? '' : ' stroke-dasharray="6 3"';
    for (const impl of ['splitk', 'flash', 'naive']) {
      const pts = ns.flatMap((n) => {
        const t = timeAt(ok, tail, impl, n);
        return t === undefined ? [] : [[x(n), y(t)] as [number, number]];
      });
      const c = color(impl);
      if (pts.length > 0) {
        parts.push(`<path d="${line()(pts)}" fill="none" stroke="${c}" stroke-width="2"${dash}/>`);
        for (const [px, py] of pts) parts.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${c}"/>`);
        const ly = m.t + 10 + legend * 15;
        parts.push(`<line x1="${W - m.r + 10}" x2="${W - m.r + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${c}" stroke-width="2"${dash}/>`);
        parts.push(
          `<text x="${W - m.r + 32}" y="${ly}" ${FONT} font-size="11" fill="${FG}">${xml(`${LABELS[impl] ?? impl}${tail}`)}</text>`,
        );
        legend += 1;
      }
      for (const r of rows.filter((z) => z.impl === impl && z.status !== 'ok' && z.series === `${impl}${tail}`)) {
        parts.push(
          `<text x="${x(r.n).toFixed(1)}" y="${m.t + 4}" ${FONT} font-size="11" text-anchor="middle" fill="${c}">✕<title>${xml(`${r.id}: ${r.reason ?? 'failed'}`)}</title></text>`,
        );
      }
    }
    // Split-K's speed-up over plain flash at each Nk.
    for (const n of ns) {
      const s = timeAt(ok, tail, 'splitk', n);
      const f = timeAt(ok, tail, 'flash', n);
      if (s === undefined || f === undefined) continue;
      parts.push(
        `<text x="${x(n).toFixed(1)}" y="${(y(s) - 8).toFixed(1)}" ${FONT} font-size="10" text-anchor="middle" fill="${color('splitk')}">${xml(`${(f / s).toFixed(1)}×`)}</text>`,
      );
    }
  });
  parts.push(
    `<text x="${W - m.r + 10}" y="${m.t + 20 + legend * 15}" ${FONT} font-size="10" fill="${MUTED}">n× = plain ÷ split-K time</text>`,
  );
  return svg(W, H, parts.join('\n'));
}

function svg(w: number, h: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="decode time against Nk">\n<rect width="${w}" height="${h}" fill="#ffffff"/>\n${body}\n</svg>\n`;
}
