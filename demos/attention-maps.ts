/**
 * The attention-maps page: seeded patterns for the small multiples (state in the URL
 * hash), the pattern notes, the causal-alignment drill of "Check yourself", and the
 * "under the hood" line: time and error of one run of the attention-map kernel
 * against the float64 reference.
 */
import '../src/viz/attention-map/index';
import type { AttentionMap } from '../src/viz/attention-map/index';
import { ATTENTION_PATTERNS, PATTERN_NOTES, generatePattern, type AttentionPattern } from '../src/viz/attention-map/patterns';
import { attentionMapWeights } from '../src/kernels/attention-weights';
import { attentionWeightsReference } from '../src/reference/flash-trace';
import { maxAbsError } from '../src/reference/compare';
import { acquireGpu, releaseGpu } from '../src/viz/shared-gpu';
import { readHash, writeHash } from '../src/site/hash-state';
import { renderCausalDrill } from './causal-drill';

const heads = document.getElementById('heads') as AttentionMap;
const buttons = document.getElementById('pattern-buttons')!;
const notes = document.getElementById('pattern-notes')!;
const hood = document.getElementById('under-the-hood')!;

// State from the hash: #pattern=sink&seed=3&causal=false&temperature=0.5&head=all
const hash = readHash();
const fromHash = hash.get('pattern');
if (fromHash && (ATTENTION_PATTERNS as readonly string[]).includes(fromHash)) heads.pattern = fromHash as AttentionPattern;
if (hash.has('seed') && Number.isInteger(Number(hash.get('seed')))) heads.seed = Number(hash.get('seed'));
if (hash.has('causal')) heads.causal = hash.get('causal') !== 'false';
if (hash.has('temperature') && Number(hash.get('temperature')) > 0) heads.temperature = Number(hash.get('temperature'));
if (hash.has('head')) heads.head = hash.get('head') === 'all' ? -1 : Number(hash.get('head')) || 0;

function saveHash(): void {
  writeHash({
    pattern: heads.pattern,
    seed: heads.seed,
    causal: heads.causal,
    temperature: Number(heads.temperature.toPrecision(3)),
    head: heads.head < 0 ? 'all' : heads.head,
  });
}

function drawButtons(): void {
  buttons.replaceChildren(
    ...ATTENTION_PATTERNS.map((p) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'secondary';
      b.textContent = p;
      b.setAttribute('aria-pressed', String(p === heads.pattern));
      b.addEventListener('click', () => {
        heads.pattern = p;
        heads.head = -1;
        drawButtons();
        saveHash();
      });
      return b;
    }),
  );
}

for (const p of ATTENTION_PATTERNS) {
  const dt = document.createElement('dt');
  dt.textContent = p;
  const dd = document.createElement('dd');
  dd.textContent = PATTERN_NOTES[p];
  notes.append(dt, dd);
}
drawButtons();
heads.addEventListener('ks-change', () => {
  drawButtons();
  saveHash();
});

const drillNq = document.getElementById('drill-nq') as HTMLSelectElement;
const drillNk = document.getElementById('drill-nk') as HTMLSelectElement;
const drawDrill = () =>
  renderCausalDrill(
    document.getElementById('drill-grids')!,
    document.getElementById('drill-verdict')!,
    Number(drillNq.value),
    Number(drillNk.value),
  );
drillNq.addEventListener('change', drawDrill);
drillNk.addEventListener('change', drawDrill);
drawDrill();

/** One timed run of the kernel on the small multiples' inputs, against the float64 reference. */
async function underTheHood(): Promise<string> {
  const gpu = await acquireGpu();
  try {
    const n = heads.n;
    const H = heads.heads;
    const d = heads.dim;
    const p = generatePattern({ pattern: heads.pattern || 'mixed', seed: heads.seed, n, heads: H, dim: d });
    const scale = 1 / (Math.sqrt(d) * heads.temperature);
    const oracle = attentionWeightsReference(p.q, p.k, { scale, causal: heads.causal }).data;
    if (!gpu) return `No WebGPU: the maps use the float64 CPU reference (${H}×${n}×${n} weights).`;
    const run = () =>
      attentionMapWeights(gpu, { data: p.q.data, shape: [H, n, d] }, { data: p.k.data, shape: [H, n, d] }, { scale, causal: heads.causal });
    // One warm-up run, then the timed one.
    const warm = await run();
    warm.weights.destroy();
    warm.logits.destroy();
    const { result, timing } = await gpu.time(run);
    try {
      const w = await result.weights.read();
      const err = maxAbsError(w, oracle).maxAbsErr;
      return `Last run: ${H} heads × ${n}×${n} weights in ${timing.gpuMs.toFixed(2)} ms (${timing.timer}); max |GPU − float64 reference| = ${err.toExponential(2)}.`;
    } finally {
      result.weights.destroy();
      result.logits.destroy();
    }
  } finally {
    releaseGpu();
  }
}

async function init(): Promise<void> {
  const maps = [...document.querySelectorAll<AttentionMap>('attention-map')];
  await Promise.all(maps.map((m) => m.settled()));
  const failed = maps.find((m) => !m.model);
  if (failed) throw new Error(`attention map #${failed.id} did not draw`);
  hood.textContent = await underTheHood();
}

init().then(
  () => {
    document.body.dataset.ready = 'true';
  },
  (e: unknown) => {
    hood.textContent = `error: ${(e as Error).message}`;
    document.body.dataset.ready = `error: ${(e as Error).message}`;
  },
);
