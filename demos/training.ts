/**
 * The training page: trains the DDPM ε-predictor on the reader's GPU with a live loss
 * curve, then samples with the learned and the exact denoiser side by side, with
 * histograms of each sample's distance to its nearest training point; and trains the
 * loss-landscape page's classifier. Controls live in the URL hash (`#steps=…&batch=…`;
 * `autostart=1` trains on load). Without WebGPU it runs the CPU references, smaller.
 * `body.dataset.ready` is set once the page can train; `trained` / `ctrained` after runs.
 */
import { acquireGpu } from '../src/viz/shared-gpu';
import type { Gpu } from '../src/gpu/device';
import { DATASETS, DATASET_NAMES, type DatasetName } from '../src/data/index';
import { CLASSIFIER_NETWORK, DENOISER_NETWORK, networkLayout, toPackedMlp, type NetworkSpec } from '../src/problem/train-model';
import type { TrainConfig } from '../src/problem/train-config';
import { mlpProbabilities, twoSpirals } from '../src/reference/mlp';
import { medianSpacing } from '../src/reference/ddpm';
import { readHash, writeHash } from '../src/site/hash-state';
import { linePlot, logHistogram, scatterPlot } from './train-plots';
import { median, nearestDistances, sampleBoth, SCHEDULE, trainOnCpu, trainOnGpu, type Progress, type TrainedModel } from './training-run';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const FIELDS = ['steps', 'batch', 'lr', 'seed', 'samples', 'csteps'] as const;
const select = $<HTMLSelectElement>('dataset');
for (const name of DATASET_NAMES) {
  if (DATASETS[name].kind !== 'points') continue;
  const o = document.createElement('option');
  o.value = name;
  o.textContent = DATASETS[name].title;
  select.append(o);
}

// State from the hash; inputs clamp what they show, the run validates what it takes.
const hash = readHash();
if (hash.get('dataset') && DATASET_NAMES.includes(hash.get('dataset') as DatasetName)) select.value = hash.get('dataset')!;
for (const f of FIELDS) {
  const v = hash.get(f);
  if (v !== null && v !== '' && Number.isFinite(Number(v))) $<HTMLInputElement>(f).value = v;
}
const save = () => writeHash({ dataset: select.value, ...Object.fromEntries(FIELDS.map((f) => [f, $<HTMLInputElement>(f).value])) });
for (const el of [select, ...FIELDS.map((f) => $<HTMLInputElement>(f))]) el.addEventListener('change', save);

const num = (id: string, lo: number, hi: number, fallback: number) => {
  const v = Number($<HTMLInputElement>(id).value);
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
};
const data = () => DATASETS[select.value as DatasetName].make(512, 1);
const hood = $('under-the-hood');
let gpu: Gpu | null = null;
let controller: AbortController | null = null;

/** Losses as (step, value) points, thinned to at most ~600 by averaging consecutive steps. */
function curve(losses: number[]): [number, number][] {
  const every = Math.max(1, Math.ceil(losses.length / 600));
  const out: [number, number][] = [];
  for (let i = 0; i < losses.length; i += every) {
    const chunk = losses.slice(i, i + every);
    out.push([i + chunk.length, chunk.reduce((a, b) => a + b, 0) / chunk.length]);
  }
  return out;
}

function drawSamples(train: Float32Array, learned: Float32Array | null, exact: Float32Array | null): void {
  scatterPlot($('learned-plot'), learned ?? [], train, { ariaLabel: 'samples of the learned denoiser over the training set', color: 0 });
  scatterPlot($('exact-plot'), exact ?? [], train, { ariaLabel: 'samples of the exact denoiser over the training set', color: 1 });
}

function denoiserConfig(train: Float32Array, network: NetworkSpec, steps: number, batch: number): TrainConfig {
  const lr = num('lr', 1e-6, 1, 2e-3);
  return {
    network,
    task: { kind: 'ddpm', data: train, schedule: SCHEDULE },
    optimizer: { kind: 'adam', lr },
    schedule: { warmup: Math.min(50, steps), total: steps, minLr: lr / 20 },
    clipNorm: 1,
    batch,
    seed: num('seed', 0, 0xffffffff, 1),
    lossEvery: 25,
  };
}

async function trainDenoiser(): Promise<void> {
  const train = data();
  const onCpu = gpu === null;
  // The CPU reference is float64 JavaScript: a smaller network and batch keep it interactive.
  const network = onCpu ? { ...DENOISER_NETWORK, hidden: [32, 32] } : DENOISER_NETWORK;
  const steps = Math.round(num('steps', 1, onCpu ? 400 : 100_000, 1500));
  const batch = Math.round(num('batch', 1, onCpu ? 128 : 65_536, 1024));
  const n = Math.round(num('samples', 1, onCpu ? 256 : 4096, 1024));
  const losses: number[] = [];
  const progress = $('progress');
  controller = new AbortController();
  $<HTMLButtonElement>('train').disabled = true;
  $<HTMLButtonElement>('stop').disabled = false;
  const onProgress = (p: Progress) => {
    losses.push(...Array.from(p.losses));
    progress.textContent = `step ${p.step} of ${steps}: loss ${losses[losses.length - 1]!.toFixed(4)}, ${p.stepsPerSecond.toFixed(1)} steps/s (${onCpu ? 'CPU reference' : 'GPU'}, batch ${batch})`;
    linePlot($('loss-plot'), [{ label: 'loss', points: curve(losses) }], {
      logY: true,
      xLabel: 'step',
      yLabel: 'MSE',
      ariaLabel: 'training loss',
    });
  };
  try {
    const config = denoiserConfig(train, network, steps, batch);
    const model: TrainedModel = onCpu
      ? await trainOnCpu(config, steps, onProgress, controller.signal)
      : await trainOnGpu(gpu!, config, steps, onProgress, controller.signal);
    const trained = progress.textContent;
    progress.textContent = `${trained} Sampling…`;
    const seed = num('seed', 0, 0xffffffff, 1);
    const { learned, exact } = await sampleBoth(gpu, model, train, n, seed);
    drawSamples(train, learned, exact);
    progress.textContent = `${trained} Sampled ${n} points with each denoiser.`;
    const dl = nearestDistances(learned, train);
    const de = nearestDistances(exact, train);
    const spacing = medianSpacing(train, 2);
    logHistogram(
      $('hist-plot'),
      [
        { label: 'learned', values: dl, color: 0 },
        { label: 'exact', values: de, color: 1 },
      ],
      { xLabel: 'distance to the nearest training point (log scale)', ariaLabel: 'histograms of nearest-training-point distances' },
    );
    const medians = $('medians');
    medians.dataset.learned = String(median(dl));
    medians.dataset.exact = String(median(de));
    medians.textContent =
      `Median distance to the nearest training point: learned ${median(dl).toExponential(2)}, exact ${median(de).toExponential(2)} ` +
      `(${(median(dl) / median(de)).toFixed(0)}× farther); the data's own spacing is about ${spacing.toExponential(2)}.`;
    hood.textContent =
      `Last run: ${model.backend === 'gpu' ? 'GPU' : 'CPU reference'}, ${steps} steps at batch ${batch}, ${model.stepsPerSecond.toFixed(2)} steps/s ` +
      `(only the loss read back, every 25 steps), final loss ${losses[losses.length - 1]!.toFixed(4)}; ${n} samples each, DDIM 50 steps.`;
    document.body.dataset.trained = 'true';
  } catch (e) {
    const msg = e instanceof DOMException && e.name === 'AbortError' ? 'Stopped.' : `Error: ${(e as Error).message}`;
    progress.textContent = msg;
    if (msg !== 'Stopped.') document.body.dataset.trained = `error: ${(e as Error).message}`;
  } finally {
    $<HTMLButtonElement>('train').disabled = false;
    $<HTMLButtonElement>('stop').disabled = true;
    controller = null;
  }
}

async function trainClassifier(): Promise<void> {
  const steps = Math.round(num('csteps', 1, 20_000, 600));
  const set = twoSpirals(60, 1);
  const losses: number[] = [];
  const status = $('cstatus');
  const button = $<HTMLButtonElement>('ctrain');
  button.disabled = true;
  const config: TrainConfig = {
    network: CLASSIFIER_NETWORK,
    task: { kind: 'classify', x: set.x, labels: Array.from(set.labels) },
    optimizer: { kind: 'adam', lr: 0.03 },
    seed: 2,
    lossEvery: 50,
  };
  const onProgress = (p: Progress) => {
    losses.push(...Array.from(p.losses));
    linePlot($('closs-plot'), [{ label: 'cross-entropy', points: curve(losses), color: 2 }], {
      logY: true,
      xLabel: 'step',
      yLabel: 'loss',
      ariaLabel: 'classifier loss',
    });
    status.textContent = `step ${p.step}: loss ${losses[losses.length - 1]!.toFixed(4)}, ${p.stepsPerSecond.toFixed(0)} steps/s`;
  };
  try {
    const model = gpu ? await trainOnGpu(gpu, config, steps, onProgress) : await trainOnCpu(config, steps, onProgress);
    const packed = toPackedMlp(networkLayout('page', CLASSIFIER_NETWORK), model.params);
    const p = mlpProbabilities(packed, [2, 16, 16, 2], set.x);
    let correct = 0;
    for (let i = 0; i < set.n; i++) if ((p[i]! > 0.5 ? 1 : 0) === set.labels[i]) correct++;
    status.dataset.accuracy = String(correct / set.n);
    status.textContent += `; training accuracy ${((100 * correct) / set.n).toFixed(1)} % (${model.backend === 'gpu' ? 'GPU' : 'CPU reference'}).`;
    document.body.dataset.ctrained = 'true';
  } catch (e) {
    status.textContent = `Error: ${(e as Error).message}`;
    document.body.dataset.ctrained = `error: ${(e as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

$('train').addEventListener('click', () => void trainDenoiser());
$('stop').addEventListener('click', () => controller?.abort());
$('ctrain').addEventListener('click', () => void trainClassifier());
select.addEventListener('change', () => drawSamples(data(), null, null));
drawSamples(data(), null, null);

void acquireGpu().then((g) => {
  gpu = g;
  hood.textContent = g
    ? `Ready on ${g.info.description || g.info.vendor || 'this WebGPU adapter'}; the loss schedule is T = ${SCHEDULE.T} (cosine).`
    : 'No WebGPU here: the page trains and samples with the float64 CPU references, at smaller sizes.';
  document.body.dataset.ready = 'true';
  if (hash.get('autostart') === '1') void trainDenoiser().then(() => (hash.get('classifier') === '1' ? trainClassifier() : undefined));
});
