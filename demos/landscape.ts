/**
 * The loss-landscapes page: two analytic saddles and the MLP slice, the slice's
 * range (in the URL hash), the data with the network's decision regions, a 1-D
 * profile along the first direction for the sharp-vs-flat reading, and the saddle's
 * escape rates of "Check yourself".
 */
import '../src/viz/loss-landscape/index';
import type { LossLandscape } from '../src/viz/loss-landscape/index';
import { sliceInputFor, trainedNetwork } from '../src/viz/loss-landscape/compute';
import { parseLandscapeAttributes } from '../src/viz/loss-landscape/config';
import { mlpLoss, mlpProbabilities, slicePoint } from '../src/reference/mlp';
import { readHash, writeHash } from '../src/site/hash-state';
import { SERIES_COLORS } from '../src/viz/palette';
import { OPTIMIZER_DEFAULTS, type OptimizerKind } from '../src/problem/optim';
import { directionRate } from './optim-rates';

const mlp = document.getElementById('mlp') as LossLandscape;
const zoom = document.getElementById('zoom')!;
const hood = document.getElementById('under-the-hood')!;
const RANGES = [0.25, 1, 2.5];

function setRange(r: number): void {
  mlp.domain = `${-r},${r},${-r},${r}`;
  mlp.start = `${(0.75 * r).toFixed(3)},${(0.6 * r).toFixed(3)}`;
  for (const b of zoom.querySelectorAll('button')) b.setAttribute('aria-pressed', String(Number(b.dataset.range) === r));
  writeHash({ range: r });
}

for (const r of RANGES) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  b.textContent = `±${r}`;
  b.dataset.range = String(r);
  b.addEventListener('click', () => setRange(r));
  zoom.append(b);
}
const fromHash = Number(readHash().get('range'));
setRange(RANGES.includes(fromHash) ? fromHash : 1);

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The spirals and the network's decision regions (CPU forward on a 40×40 grid). */
function drawData(seed: number): void {
  const net = trainedNetwork(seed);
  const plot = document.getElementById('data-plot')!;
  const G = 40;
  const pts = new Float32Array(2 * G * G);
  for (let j = 0; j < G; j++)
    for (let i = 0; i < G; i++) {
      pts[2 * (j * G + i)] = -1.2 + (2.4 * (i + 0.5)) / G;
      pts[2 * (j * G + i) + 1] = 1.2 - (2.4 * (j + 0.5)) / G;
    }
  const p = mlpProbabilities(net.params, net.sizes, pts);
  const nodes: SVGElement[] = [];
  const cell = 200 / G;
  for (let k = 0; k < G * G; k++) {
    const r = document.createElementNS(SVG_NS, 'rect');
    r.setAttribute('x', String((k % G) * cell));
    r.setAttribute('y', String(Math.floor(k / G) * cell));
    r.setAttribute('width', String(cell + 0.3));
    r.setAttribute('height', String(cell + 0.3));
    r.setAttribute('fill', p[k]! > 0.5 ? SERIES_COLORS[1] : SERIES_COLORS[0]);
    r.setAttribute('fill-opacity', String(0.15 + 0.25 * Math.abs(p[k]! - 0.5) * 2));
    nodes.push(r);
  }
  const { x, labels, n } = net.data;
  for (let i = 0; i < n; i++) {
    const c = document.createElementNS(SVG_NS, 'circle');
    c.setAttribute('cx', String(((x[2 * i]! + 1.2) / 2.4) * 200));
    c.setAttribute('cy', String(((1.2 - x[2 * i + 1]!) / 2.4) * 200));
    c.setAttribute('r', '2.2');
    c.setAttribute('fill', labels[i] ? SERIES_COLORS[1] : SERIES_COLORS[0]);
    c.setAttribute('stroke', '#000');
    c.setAttribute('stroke-width', '0.4');
    nodes.push(c);
  }
  plot.replaceChildren(...nodes);
}

/** Loss along α·δ (β = 0), float64 on the CPU. */
function drawProfile(seed: number): void {
  const input = sliceInputFor(parseLandscapeAttributes({ mode: 'mlp', seed, optimizers: 'sgd' }));
  const base = trainedNetwork(seed).loss;
  const body = document.querySelector('#profile tbody')!;
  body.replaceChildren(
    ...[0, 0.05, 0.1, 0.25, 0.5, 1].map((a) => {
      const loss = mlpLoss(slicePoint(input, a, 0), input.sizes, input.data);
      const tr = document.createElement('tr');
      for (const text of [String(a), loss.toPrecision(4), a === 0 ? '—' : `+${(loss - base).toPrecision(3)}`]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

/** Escape rate along y on x² − y² (curvature −2) for each optimizer of the saddle plot. */
function drawSaddleRates(): void {
  const raw = document.getElementById('saddle')!.getAttribute('optimizers') ?? '[]';
  const list = JSON.parse(raw) as { kind: OptimizerKind; lr?: number; beta1?: number }[];
  const body = document.querySelector('#saddle-table tbody')!;
  body.replaceChildren(
    ...list.map((o) => {
      const d = OPTIMIZER_DEFAULTS[o.kind];
      const lr = o.lr ?? d.lr;
      const beta = o.beta1 ?? d.beta1;
      const rule = o.kind === 'sgd' ? 'gd' : o.kind === 'momentum' || o.kind === 'nesterov' ? o.kind : null;
      const growth = rule ? directionRate(rule, lr, -2, beta) : null;
      const tr = document.createElement('tr');
      tr.dataset.kind = o.kind;
      const cells = [
        `${d.label}${rule && rule !== 'gd' ? ` (β = ${beta})` : ''}`,
        String(lr),
        growth === null ? 'not geometric: about lr per step once the gradient dominates the noise' : `× ${growth.toFixed(4)}`,
        growth === null ? '–' : String(Math.ceil(Math.log(100) / Math.log(growth))),
      ];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}
drawSaddleRates();

(async () => {
  const elements = [...document.querySelectorAll('loss-landscape')] as LossLandscape[];
  await Promise.all(elements.map((e) => e.computed));
  const bad = elements.find((e) => e.error);
  if (bad) throw new Error(bad.error!);
  const seed = mlp.seed ?? 1;
  drawData(seed);
  drawProfile(seed);
  const r = mlp.result!;
  const G = r.config.resolution;
  const mid = (G - 1) / 2;
  const origin = Number.isInteger(mid) && r.config.domain[0] === -r.config.domain[1] ? r.grid[mid * G + mid]! : NaN;
  const ph = r.phases;
  hood.textContent =
    `Last slice: ${G}×${G} = ${G * G} networks on the ${r.backend === 'gpu' ? 'GPU' : 'CPU reference'} in ${ph.gridMs.toFixed(0)} ms` +
    ` (training ${ph.trainMs.toFixed(0)} ms, the optimizers' race on the slice ${ph.raceMs.toFixed(0)} ms, both on the CPU). ` +
    `Loss at the origin ${origin.toPrecision(6)} vs the trained loss ${r.mlp!.loss.toPrecision(6)} (training accuracy ${(r.mlp!.accuracy * 100).toFixed(1)}%).`;
  if (document.body.dataset.ready === 'pending') document.body.dataset.ready = 'true';
})().catch((e: Error) => {
  document.body.dataset.ready = `error: ${e.message}`;
  hood.textContent = `error: ${e.message}`;
});
