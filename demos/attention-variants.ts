/**
 * The attention page's variants section: a selector for grouped-query attention, the
 * sliding window, ALiBi, soft-capping and decode with split-K. Each variant draws its
 * picture (the head grouping and the window's mask in `<attention-map>`, the skipped
 * tiles and split-K's partials in `<flash-tiles>`) and, on "Run", measures it on the
 * reader's GPU against its baseline (time, K/V bytes, measured peak bytes, error against
 * the float64 reference on sampled rows). The elements start once the page's own first
 * measurements are done (`body[data-ready]`), so they never share its memory window.
 * The chosen variant lives in the URL hash (`variant=`).
 */
import { profileAttention, visibleKeyCount, type AttentionOptions } from '../src/kernels/attention';
import { attentionReference } from '../src/reference/attention';
import { Tensor } from '../src/gpu/tensor';
import type { Gpu } from '../src/gpu/device';
import { mulberry32, normalArray } from '../src/reference/random';
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { readHash, writeHash } from '../src/site/hash-state';
import { formatBinaryBytes } from './attention-io';

const VARIANTS = ['gqa', 'window', 'alibi', 'softcap', 'decode'] as const;
type Variant = (typeof VARIANTS)[number];

/** One measured configuration of a variant. */
interface Measured {
  label: string;
  ms: number;
  peak: number;
  kvBytes: number;
  /** Max |error| against the float64 reference on sampled rows, or null when not checked. */
  err: number | null;
  note: string;
}

/** A problem to run: shapes and options. */
interface Problem {
  label: string;
  B: number;
  Hq: number;
  Hkv: number;
  Nq: number;
  Nk: number;
  d: number;
  opts: AttentionOptions;
  note: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const select = $<HTMLSelectElement>('variant');
const runButton = $<HTMLButtonElement>('run-variant');
const status = $<HTMLParagraphElement>('variant-status');
const pictures = $<HTMLDivElement>('variant-pictures');
const explain = $<HTMLParagraphElement>('variant-explain');

const EXPLAIN: Record<Variant, string> = {
  gqa:
    'Grouped-query attention: 8 query heads share 2 key/value heads (4 per group), multi-query shares 1. The maps draw all 8 ' +
    'heads; each caption names its key head. Run compares Hkv = 8 (multi-head: K and V for every head, as a library without ' +
    'GQA would repeat them), 2 and 1 at N = 512, and a decode step (one query against 4096 cached keys).',
  window:
    'Sliding window: each query sees the W keys left of its diagonal and the diagonal (with causal on, nothing to the right). ' +
    'The map hatches the keys outside the window; the tiles show which K/V tiles the kernel never loads. Run times full ' +
    'causal attention against W = 256 and W = 64 at N = 2048.',
  alibi:
    'ALiBi: no position embeddings; each head h adds −slope_h·|i − j| to its logits, with the standard slopes 2^(−8(h+1)/H). ' +
    'Run checks flash and naive against the float64 reference, with and without ALiBi, at N = 256, 8 heads, causal.',
  softcap:
    'Logit soft-capping (Gemma 2): s → c·tanh(s/c) bounds every logit to (−c, c) before the softmax. Run checks flash and ' +
    'naive against the float64 reference at c = 30 and, with logits scaled up, at c = 5, where the cap bites.',
  decode:
    'Decode: one new query against a long KV cache. Plain flash gives each head one workgroup, which walks every key alone; ' +
    'split-K cuts the keys into ranges, each with its own partial (m, l, O), and a second pass merges them. The tiles below ' +
    'show 16 queries against 512 keys in splits of 64. Run times split-K, plain flash and naive for Nk = 1024 … 16384.',
};

function readVariant(): Variant {
  const v = readHash().get('variant');
  return (VARIANTS as readonly string[]).includes(v ?? '') ? (v as Variant) : 'gqa';
}

/** Creates an element with attributes (values as text; `true` sets an empty attribute). */
function element(tag: string, attrs: Record<string, string | number | true>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v === true ? '' : String(v));
  return el;
}

/** The pictures of a variant: the elements drawing its masks, grouping, tiles or split. */
function drawPictures(v: Variant): void {
  const els: HTMLElement[] = [];
  if (v === 'gqa') {
    els.push(
      element('attention-map', {
        pattern: 'mixed',
        n: 24,
        heads: 8,
        'kv-heads': 2,
        head: 'all',
        causal: true,
        size: 360,
        'no-controls': true,
      }),
    );
  } else if (v === 'window') {
    els.push(
      element('attention-map', { pattern: 'local', n: 32, heads: 1, 'sliding-window': 6, causal: true, size: 320, 'no-controls': true }),
      element('flash-tiles', { n: 512, dim: 32, causal: true, window: 96, 'query-block': 7, 'block-q': 16, 'block-k': 16 }),
    );
  } else if (v === 'decode') {
    els.push(element('flash-tiles', { n: 16, nk: 512, dim: 32, causal: true, 'keys-per-split': 64, 'query-block': 0 }));
  } else {
    els.push(element('attention-map', { pattern: 'mixed', n: 24, heads: 4, head: 'all', causal: true, size: 300, 'no-controls': true }));
  }
  pictures.replaceChildren(...els);
  explain.textContent = EXPLAIN[v];
}

/** The problems a variant's Run measures. */
function problems(v: Variant): Problem[] {
  const base = { B: 1, d: 64 };
  switch (v) {
    case 'gqa':
      return [8, 2, 1].flatMap((Hkv) => [
        {
          ...base,
          label: `N 512, Hq 8, Hkv ${Hkv}`,
          Hq: 8,
          Hkv,
          Nq: 512,
          Nk: 512,
          opts: { causal: true },
          note: Hkv === 8 ? 'multi-head (K, V per head)' : `${8 / Hkv} query heads per K/V head`,
        },
        { ...base, label: `decode Nk 4096, Hq 8, Hkv ${Hkv}`, Hq: 8, Hkv, Nq: 1, Nk: 4096, opts: {}, note: 'one new query (split-K)' },
      ]);
    case 'window':
      return [null, 256, 64].map((W) => ({
        ...base,
        label: W === null ? 'full causal, N 2048' : `window ${W}, N 2048`,
        Hq: 1,
        Hkv: 1,
        Nq: 2048,
        Nk: 2048,
        opts: W === null ? { causal: true } : { causal: true, window: W },
        note: '',
      }));
    case 'alibi':
      return ['naive', 'flash'].flatMap((variant) =>
        [false, true].map((alibi) => ({
          ...base,
          label: `${variant}${alibi ? ', ALiBi' : ''}`,
          Hq: 8,
          Hkv: 8,
          Nq: 256,
          Nk: 256,
          opts: { variant: variant as 'naive' | 'flash', causal: true, alibi },
          note: '',
        })),
      );
    case 'softcap':
      return ['naive', 'flash'].flatMap((variant) =>
        [30, 5].map((softcap) => ({
          ...base,
          label: `${variant}, c = ${softcap}${softcap === 5 ? ', logits ×4' : ''}`,
          Hq: 4,
          Hkv: 4,
          Nq: 256,
          Nk: 256,
          opts: { variant: variant as 'naive' | 'flash', causal: true, softcap, ...(softcap === 5 ? { scale: 4 / 8 } : {}) },
          note: '',
        })),
      );
    case 'decode':
      return [1024, 4096, 16384].flatMap((Nk) =>
        (['splitk', 'flash', 'naive'] as const).map((impl) => ({
          ...base,
          label: `${impl === 'splitk' ? 'flash split-K' : impl === 'flash' ? 'flash (plain)' : 'naive'}, Nk ${Nk}`,
          Hq: 8,
          Hkv: 8,
          Nq: 1,
          Nk,
          opts: impl === 'naive' ? { variant: 'naive' } : { variant: 'flash', splitK: impl === 'splitk' },
          note: `${(0.5).toFixed(1)} FLOP per byte of K/V`,
        })),
      );
  }
}

/** Max |output − float64 reference| on a few sampled rows of head 0 (the reference over those rows only). */
function sampledError(p: Problem, host: Record<'q' | 'k' | 'v', Float32Array>, out: Float32Array): number {
  const rows = [0, Math.floor(p.Nq / 2), p.Nq - 1].filter((x, i, a) => a.indexOf(x) === i);
  let worst = 0;
  const q = new Float32Array(p.Nq * p.d);
  q.set(host.q.subarray(0, p.Nq * p.d));
  const ref = attentionReference(
    { data: q, shape: [1, 1, p.Nq, p.d] },
    { data: host.k.subarray(0, p.Nk * p.d), shape: [1, 1, p.Nk, p.d] },
    { data: host.v.subarray(0, p.Nk * p.d), shape: [1, 1, p.Nk, p.d] },
    // Head 0 alone: its ALiBi slope, not a list for one head of Hq.
    {
      causal: p.opts.causal,
      window: p.opts.window,
      softcap: p.opts.softcap,
      scale: p.opts.scale,
      alibi: p.opts.alibi ? [slope0(p.Hq)] : undefined,
    },
  ).data;
  for (const i of rows) for (let c = 0; c < p.d; c++) worst = Math.max(worst, Math.abs(out[i * p.d + c]! - ref[i * p.d + c]!));
  return worst;
}

/** Head 0's standard ALiBi slope for Hq heads: 2^(−8/Hq) (a power-of-two Hq). */
const slope0 = (Hq: number) => 2 ** (-8 / Hq);

/** One warm-up and three timed calls of problem `p`; its K/V bytes and measured peak. */
async function measure(gpu: Gpu, p: Problem, check: boolean): Promise<Measured> {
  const rng = mulberry32(p.Nk * 7 + p.Hkv);
  const host = {
    q: normalArray(rng, p.B * p.Hq * p.Nq * p.d),
    k: normalArray(rng, p.B * p.Hkv * p.Nk * p.d),
    v: normalArray(rng, p.B * p.Hkv * p.Nk * p.d),
  };
  const q = Tensor.fromData(gpu, host.q, [p.B, p.Hq, p.Nq, p.d], 'variant:q');
  const k = Tensor.fromData(gpu, host.k, [p.B, p.Hkv, p.Nk, p.d], 'variant:k');
  const v = Tensor.fromData(gpu, host.v, [p.B, p.Hkv, p.Nk, p.d], 'variant:v');
  try {
    const warm = await profileAttention(gpu, q, k, v, p.opts);
    const err = check ? sampledError(p, host, await warm.output.read()) : null;
    warm.output.destroy();
    const times: number[] = [];
    let peak = warm.memory.peakDeltaBytes;
    for (let r = 0; r < 3; r++) {
      const run = await profileAttention(gpu, q, k, v, p.opts);
      run.output.destroy();
      times.push(run.timing.gpuMs);
      peak = Math.max(peak, run.memory.peakDeltaBytes);
    }
    const kvBytes = 2 * 4 * p.B * p.Hkv * p.Nk * p.d;
    return {
      label: p.label,
      ms: [...times].sort((a, b) => a - b)[1]!,
      peak: peak + 4 * (host.q.length + 2 * host.k.length),
      kvBytes,
      err,
      note: p.note,
    };
  } finally {
    for (const t of [q, k, v]) t.destroy();
  }
}

function renderRows(rows: Measured[], v: Variant): void {
  const full = v === 'window' ? rows[0] : undefined;
  const body = document.querySelector('#variant-results tbody')!;
  body.replaceChildren(
    ...rows.map((r, i) => {
      const tr = document.createElement('tr');
      let extra = r.note;
      if (v === 'window') {
        const W = [null, 256, 64][i] ?? null;
        const visited = visibleKeyCount({ Nq: 2048, Nk: 2048, causal: true, windowLeft: W, windowRight: null });
        extra = `${((100 * visited) / visibleKeyCount({ Nq: 2048, Nk: 2048, causal: true, windowLeft: null, windowRight: null })).toFixed(1)}% of the causal scores${full && i > 0 ? `; full ÷ this: ${(full.ms / r.ms).toFixed(1)}×` : ''}`;
      }
      const cells = [
        r.label,
        r.ms.toFixed(2),
        formatBinaryBytes(r.kvBytes),
        formatBinaryBytes(r.peak),
        r.err === null ? '–' : r.err.toExponential(1),
        extra,
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

let gpuPromise: Promise<Gpu | null> | null = null;

async function run(): Promise<void> {
  const v = readVariant();
  runButton.disabled = true;
  status.classList.remove('error');
  try {
    const gpu = await (gpuPromise ??= acquireGpu());
    if (!gpu) {
      status.textContent = `No WebGPU (${gpuUnavailableReason() ?? 'unknown reason'}): the variant timings need a GPU.`;
      return;
    }
    const list = problems(v);
    const rows: Measured[] = [];
    for (const [i, p] of list.entries()) {
      status.textContent = `${p.label} (${i + 1} of ${list.length})…`;
      rows.push(await measure(gpu, p, v === 'alibi' || v === 'softcap' || v === 'decode'));
      renderRows(rows, v);
    }
    status.textContent = `Done: ${v}, medians of 3 (peak bytes include the inputs; K/V bytes are the cache the keys and values take).`;
  } catch (e) {
    status.textContent = `Error: ${(e as Error).message}`;
    status.classList.add('error');
  } finally {
    runButton.disabled = false;
  }
}

/** Resolves when the page's own first measurements are done (or failed). */
function pageReady(): Promise<void> {
  const done = () => document.body.dataset.ready !== 'pending';
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (!done()) return;
      obs.disconnect();
      resolve();
    });
    obs.observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
  });
}

function init(): void {
  select.value = readVariant();
  explain.textContent = EXPLAIN[readVariant()];
  select.addEventListener('change', () => {
    writeHash({ variant: select.value });
    drawPictures(readVariant());
    document.querySelector('#variant-results tbody')!.replaceChildren();
    status.textContent = '';
  });
  runButton.addEventListener('click', () => void run());
  void pageReady().then(() => drawPictures(readVariant()));
}

init();
