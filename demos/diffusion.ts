/**
 * The diffusion page: controls bound to `<diffusion-steps>` (state in the URL hash),
 * the schedule table, and the "under the hood" line from the last run. Sets
 * `document.body.dataset.ready` once the first run has finished (or failed).
 */
import '../src/viz/diffusion-steps';
import type { DiffusionSteps } from '../src/viz/diffusion-steps';
import { DATASETS, DATASET_NAMES } from '../src/data/index';
import { makeSchedule } from '../src/problem/ddpm-schedule';
import { readHash, writeHash } from '../src/viz/hash-state';

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
for (const t of [0, 100, 250, 500, 750, 900, 999]) {
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
