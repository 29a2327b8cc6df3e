/**
 * The diffusion page: controls bound to `<diffusion-steps>` (state in the URL hash),
 * the schedule table and counts, the two live checks of "Check yourself" (Tweedie's
 * formula, DDIM with η = 1), and the "under the hood" line from the last run. Sets
 * `document.body.dataset.ready` once the first run has finished (or failed).
 */
import '../src/viz/diffusion-steps/index';
import type { DiffusionSteps } from '../src/viz/diffusion-steps/index';
import { DATASETS, DATASET_NAMES } from '../src/data/index';
import { makeSchedule, type ScheduleKind } from '../src/problem/ddpm-schedule';
import { mulberry32, normalArray } from '../src/reference/random';
import { ddimEtaOneCheck, scheduleFacts, tweedieCheck } from './diffusion-checks';
import { readHash, writeHash } from '../src/site/hash-state';

const live = document.getElementById('live') as DiffusionSteps;
const hood = document.getElementById('under-the-hood')!;
const select = document.getElementById('dataset') as HTMLSelectElement;
const ATTRS = ['dataset', 'schedule', 'sampler', 'steps', 'samples', 'seed'] as const;

for (const name of DATASET_NAMES) {
  const o = document.createElement('option');
  o.value = name;
  o.textContent = DATASETS[name].title;
  select.append(o);
}

// State from the hash (#dataset=rings&sampler=ddpm&steps=1000…): the element validates the values itself.
const hash = readHash();
for (const a of ATTRS) {
  const v = hash.get(a);
  if (v !== null) live.setAttribute(a, v);
}
if (hash.get('mode') === 'forward') live.setAttribute('mode', 'forward');

for (const a of ATTRS) {
  const input = document.getElementById(a) as HTMLInputElement | HTMLSelectElement;
  input.value = live.getAttribute(a) ?? input.value;
  input.addEventListener('change', () => {
    if (a === 'dataset') {
      // Images are few and large: switch the sample count with the data set.
      const images = DATASETS[input.value as keyof typeof DATASETS]?.kind === 'images';
      const samples = document.getElementById('samples') as HTMLInputElement;
      samples.value = images ? '36' : '1024';
      live.setAttribute('samples', samples.value);
    }
    live.setAttribute(a, input.value);
    writeHash(Object.fromEntries(ATTRS.map((k) => [k, live.getAttribute(k) ?? ''])));
  });
}

let first = true;
live.addEventListener('ks-sampled', (e) => {
  const d = (e as CustomEvent).detail;
  hood.textContent =
    `Last run: ${d.backend === 'gpu' ? 'GPU' : 'CPU reference'}, ${d.n} samples of ${d.config.dataset}, ` +
    `${d.config.sampler.toUpperCase()} ${d.config.steps} steps, ${d.ms.toFixed(0)} ms (including readback of every recorded frame); ` +
    `median distance to the nearest training point ${d.medianNearest.toExponential(2)} against a training-point spacing of ${d.trainSpacing.toFixed(3)}.`;
  if (first) document.body.dataset.ready = 'true';
  first = false;
});
live.addEventListener('ks-error', (e) => {
  const msg = (e as CustomEvent).detail.message as string;
  hood.textContent = msg;
  if (first) document.body.dataset.ready = `error: ${msg}`;
  first = false;
});

// The schedule comparison table.
const lin = makeSchedule('linear');
const cos = makeSchedule('cosine');
const body = document.querySelector('#schedule-table tbody')!;
for (const t of [0, 100, 250, 500, 600, 750, 900, 999]) {
  const tr = document.createElement('tr');
  const cells = [
    String(t),
    lin.alphaBar[t]!.toExponential(2),
    cos.alphaBar[t]!.toExponential(2),
    Math.log(lin.snr[t]!).toFixed(2),
    Math.log(cos.snr[t]!).toFixed(2),
  ];
  for (const [i, c] of cells.entries()) {
    const td = document.createElement('td');
    td.textContent = c;
    if (i > 0) td.className = 'num';
    tr.append(td);
  }
  body.append(tr);
}

function row(body: Element, cells: string[]): void {
  const tr = document.createElement('tr');
  for (const [i, c] of cells.entries()) {
    const td = document.createElement('td');
    td.textContent = c;
    if (i > 0) td.className = 'num';
    tr.append(td);
  }
  body.append(tr);
}

// The counts and log-SNR drops the schedule comparison quotes, computed here.
const facts = { linear: scheduleFacts(lin), cosine: scheduleFacts(cos) };
const countsBody = document.querySelector('#schedule-counts tbody')!;
row(countsBody, ['ᾱ_t < 10⁻² (over 99 % noise)', String(facts.linear.nearNoise), String(facts.cosine.nearNoise)]);
row(countsBody, ['0.1 ≤ ᾱ_t ≤ 0.9', String(facts.linear.middle), String(facts.cosine.middle)]);
row(countsBody, ['log-SNR drop at the first step', facts.linear.firstDrop.toFixed(2), facts.cosine.firstDrop.toFixed(2)]);
row(countsBody, ['log-SNR drop at t = 500', facts.linear.midDrop.toFixed(3), facts.cosine.midDrop.toFixed(3)]);
row(countsBody, ['log-SNR drop at the last step', facts.linear.lastDrop.toFixed(2), facts.cosine.lastDrop.toFixed(2)]);

// Check yourself: Tweedie's formula on the two moons, with the exact denoiser.
const tweedieTrain = DATASETS['two-moons'].make(DATASETS['two-moons'].defaultSize, 1);
const tweedieT = document.getElementById('tweedie-t') as HTMLSelectElement;
const tweedieOut = document.getElementById('tweedie-out')!;
let tweedieSeed = 1;

function showTweedie(): void {
  const t = Number(tweedieT.value);
  const ab = cos.alphaBar[t]!;
  const rng = mulberry32(tweedieSeed);
  const i = Math.floor(rng() * (tweedieTrain.length / 2));
  const z = normalArray(rng, 2);
  const x = [0, 1].map((c) => Math.sqrt(ab) * tweedieTrain[2 * i + c]! + Math.sqrt(1 - ab) * z[c]!);
  const r = tweedieCheck(tweedieTrain, 2, x, ab);
  const v = (a: number[]) => `(${a.map((u) => u.toFixed(6)).join(', ')})`;
  tweedieOut.dataset.relDiff = String(r.relDiff);
  tweedieOut.textContent =
    `Cosine schedule, t = ${t} (ᾱ = ${ab.toPrecision(3)}), x_t = ${v(x)}: score by central differences ${v(r.scoreFd)}, ` +
    `by Tweedie ${v(r.scoreTweedie)}; relative difference ${r.relDiff.toExponential(1)}. ` +
    `The MMSE noise prediction there is ε* = ${v(r.epsStar)}.`;
}
tweedieT.addEventListener('change', showTweedie);
document.getElementById('tweedie-new')!.addEventListener('click', () => {
  tweedieSeed += 1;
  showTweedie();
});
showTweedie();

// Check yourself: DDIM with η = 1 against DDPM's posterior step.
const ddimSchedule = document.getElementById('ddim-schedule') as HTMLSelectElement;
const ddimSteps = document.getElementById('ddim-steps') as HTMLSelectElement;

function showDdim(): void {
  const schedule = makeSchedule(ddimSchedule.value as ScheduleKind);
  const steps = Number(ddimSteps.value);
  const { rows, maxRel } = ddimEtaOneCheck(schedule, steps);
  const out = document.getElementById('ddim-out')!;
  out.dataset.maxRel = String(maxRel);
  out.textContent =
    `${schedule.kind}, ${steps} steps: the largest relative difference over every step's σ² and mean coefficients is ` +
    `${maxRel.toExponential(1)} (float64 rounding).`;
  const body = document.querySelector('#ddim-table tbody')!;
  body.replaceChildren();
  const pick = rows.filter((_, k) => k < 3 || k === Math.floor(rows.length / 2) || k >= rows.length - 2);
  for (const r of pick)
    row(body, [
      `${r.t} → ${r.tPrev < 0 ? 'x₀' : r.tPrev}`,
      r.ddimVar.toExponential(6),
      r.posteriorVar.toExponential(6),
      `${r.ddim.ca.toPrecision(6)} / ${r.ddpm.ca.toPrecision(6)}`,
      `${r.ddim.cb.toPrecision(6)} / ${r.ddpm.cb.toPrecision(6)}`,
    ]);
}
ddimSchedule.addEventListener('change', showDdim);
ddimSteps.addEventListener('change', showDdim);
showDdim();
