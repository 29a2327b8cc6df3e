/**
 * The optimizers page: guided presets for `<loss-landscape>` (state in the URL
 * hash), the rate plot and bias-correction table of "Check yourself", and the
 * "under the hood" line: one small race on the GPU against the CPU reference, in
 * trajectory-steps per second, with the GPU's error.
 */
import '../src/viz/loss-landscape/index';
import type { LossLandscape } from '../src/viz/loss-landscape/index';
import { race } from '../src/kernels/optim';
import { raceReference } from '../src/reference/optim';
import { maxAbsError } from '../src/reference/compare';
import { acquireGpu, releaseGpu } from '../src/viz/shared-gpu';
import { readHash, writeHash } from '../src/site/hash-state';
import { renderRatePlot, renderRateTable } from './optim-rate-plot';
import { uncorrectedAdamRatio } from './optim-rates';

interface Preset {
  id: string;
  title: string;
  note: string;
  attrs: Record<string, string>;
}

const PRESETS: Preset[] = [
  {
    id: 'momentum',
    title: 'Momentum rings on an ill-conditioned quadratic',
    note: 'κ = 50, axes rotated 30°, the same lr for all three. Momentum overshoots the steep axis again and again (the loss chart saw-tooths); Nesterov damps it; SGD crawls along the flat axis.',
    attrs: {
      surface: 'quadratic',
      condition: '50',
      rotation: '30',
      noise: '0',
      steps: '100',
      start: '-1.6,0.4',
      chart: 'loss',
      optimizers: '[{"kind":"sgd","lr":0.02},{"kind":"momentum","lr":0.02},{"kind":"nesterov","lr":0.02}]',
    },
  },
  {
    id: 'bias',
    title: 'Adam without bias correction',
    note: 'β₂ = 0.9999, lr = 0.02. Corrected Adam moves about lr per step; uncorrected Adam’s first steps are ~10× longer (step-length chart), because m and v start at zero and √v lags m.',
    attrs: {
      surface: 'quadratic',
      condition: '5',
      rotation: '-20',
      noise: '0',
      steps: '80',
      start: '-1.8,1.2',
      chart: 'step',
      optimizers:
        '[{"kind":"adam","lr":0.02,"beta2":0.9999},{"kind":"adam","lr":0.02,"beta2":0.9999,"biasCorrection":false,"label":"Adam, no bias correction"}]',
    },
  },
  {
    id: 'saddle',
    title: 'A saddle escaped by noise',
    note: 'x² − y², started on the ridge y = 0. The gradient has no y component there, so without noise every method converges to the saddle point. Seeded gradient noise (σ = 0.3) pushes them off, and the −y² direction takes over.',
    attrs: {
      surface: 'saddle',
      noise: '0.3',
      seed: '1',
      steps: '110',
      start: '-1.8,0',
      chart: 'loss',
      optimizers: '[{"kind":"sgd","lr":0.02},{"kind":"momentum","lr":0.004},{"kind":"adam","lr":0.02}]',
    },
  },
  {
    id: 'amsgrad',
    title: 'AMSGrad vs Adam: Adam’s step grows',
    note: 'Rosenbrock from a steep wall, β₂ = 0.99. Once in the flat valley Adam’s v forgets the huge early gradients and its step length climbs (chart); AMSGrad keeps the maximum v, so its step stays nearly level: in this bias-corrected form it can grow only through √(1 − β₂ᵗ), 0.88 at step 150 and 0.98 at step 300.',
    attrs: {
      surface: 'rosenbrock',
      noise: '0',
      steps: '400',
      start: '-1.8,-0.5',
      chart: 'step',
      optimizers: '[{"kind":"adam","lr":0.05,"beta2":0.99},{"kind":"amsgrad","lr":0.05,"beta2":0.99}]',
    },
  },
  {
    id: 'all',
    title: 'Seven rules on Rosenbrock',
    note: 'Seven of the eight rules from one start (the plot has seven colours), each at a learning rate that keeps it stable. Adaptive methods cross the banana quickly; plain SGD needs a learning rate so small that it barely enters the valley. AdamW is left out: with weight decay 0 it is Adam exactly, and with decay its term −η·λ·x pulls it towards the origin, so it cannot come to rest at the minimum (1, 1).',
    attrs: {
      surface: 'rosenbrock',
      noise: '0',
      steps: '300',
      start: '-1.5,2.5',
      chart: 'loss',
      optimizers:
        '[{"kind":"sgd","lr":0.001},{"kind":"momentum","lr":0.0002},{"kind":"nesterov","lr":0.0002},{"kind":"adagrad","lr":0.3},{"kind":"rmsprop","lr":0.01},{"kind":"adam","lr":0.05},{"kind":"amsgrad","lr":0.05}]',
    },
  },
];

const el = document.getElementById('race') as LossLandscape;
const buttons = document.getElementById('presets')!;
const note = document.getElementById('preset-note')!;
const hood = document.getElementById('under-the-hood')!;

function apply(p: Preset): void {
  for (const name of ['condition', 'rotation', 'seed', 'lr', 'beta1', 'beta2']) el.removeAttribute(name);
  for (const [k, v] of Object.entries(p.attrs)) el.setAttribute(k, v);
  note.textContent = p.note;
  for (const b of buttons.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.preset === p.id));
  writeHash({ preset: p.id });
}

buttons.replaceChildren(
  ...PRESETS.map((p) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = p.title;
    b.dataset.preset = p.id;
    b.addEventListener('click', () => apply(p));
    return b;
  }),
);
apply(PRESETS.find((p) => p.id === readHash().get('preset')) ?? PRESETS[0]!);

/** One small race, GPU vs CPU reference, in the same page. */
async function underTheHood(): Promise<void> {
  const gpu = await acquireGpu();
  try {
    const starts: number[] = [];
    for (let i = 0; i < 128; i++) starts.push(-1.5 + (3 * ((i * 37) % 128)) / 128, -0.5 + (3 * ((i * 59) % 128)) / 128);
    const kinds = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'amsgrad'] as const;
    const input = { surface: { kind: 'rosenbrock' as const }, optimizers: kinds.map((kind) => ({ kind, lr: 1e-4 })), starts, steps: 100 };
    const n = kinds.length * 128 * 100;
    const c0 = performance.now();
    const ref = raceReference(input);
    const cpuMs = performance.now() - c0;
    if (!gpu) {
      hood.textContent = `No WebGPU: CPU reference only, ${(n / cpuMs / 1e3).toFixed(2)} M trajectory-steps/s (1,024 trajectories × 100 steps).`;
      return;
    }
    const warm = await race(gpu, { ...input, steps: 1 }); // compile first: time the steady state
    warm.destroy();
    const g0 = performance.now();
    const t = await race(gpu, input);
    const out = await t.read();
    const gpuMs = performance.now() - g0;
    t.destroy();
    const positions = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => i % 3 !== 2);
    const err = maxAbsError(positions(out), positions(ref.data)).maxAbsErr;
    hood.textContent = `Last run (1,024 trajectories × 100 steps on Rosenbrock, one dispatch per step): GPU ${gpuMs.toFixed(0)} ms incl. readback (${(n / gpuMs / 1e3).toFixed(2)} M trajectory-steps/s), CPU reference ${cpuMs.toFixed(0)} ms (${(n / cpuMs / 1e3).toFixed(2)} M/s); max |GPU − float64| over the positions = ${err.toExponential(2)}.`;
  } finally {
    releaseGpu();
  }
}

(async () => {
  el.addEventListener('ks-error', (e) => {
    if (document.body.dataset.ready === 'pending') document.body.dataset.ready = `error: ${(e as CustomEvent).detail.message}`;
  });
  await el.computed;
  await underTheHood();
  if (el.error) throw new Error(el.error);
  if (document.body.dataset.ready === 'pending') document.body.dataset.ready = 'true';
})().catch((e: Error) => {
  document.body.dataset.ready = `error: ${e.message}`;
  hood.textContent = `error: ${e.message}`;
});

// Check yourself: the rate of SGD, momentum and Nesterov against lr on the quadratic.
const rateKappa = document.getElementById('rate-kappa') as HTMLSelectElement;
const rateBeta = document.getElementById('rate-beta') as HTMLSelectElement;
const rateLr = document.getElementById('rate-lr') as HTMLInputElement;
function showRates(): void {
  const lr = Number(rateLr.value);
  const state = { kappa: Number(rateKappa.value), beta: Number(rateBeta.value), lr: lr > 0 && lr <= 1 ? lr : 0.02 };
  renderRatePlot(document.getElementById('rate-plot')!, state);
  renderRateTable(document.querySelector('#rate-table tbody')!, state);
}
for (const c of [rateKappa, rateBeta, rateLr]) c.addEventListener('change', showRates);
showRates();

// Check yourself: uncorrected ÷ corrected Adam step for a constant gradient.
const biasBeta2 = document.getElementById('bias-beta2') as HTMLSelectElement;
function showBias(): void {
  const b2 = Number(biasBeta2.value);
  document.querySelector('#bias-table tbody')!.replaceChildren(
    ...[1, 2, 5, 12, 50, 100, 1000, 10000].map((t) => {
      const tr = document.createElement('tr');
      for (const text of [String(t), uncorrectedAdamRatio(t, 0.9, b2).toFixed(2)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}
biasBeta2.addEventListener('change', showBias);
showBias();
