/**
 * Fuzzing every element's attributes with fast-check. Each element is mounted once in
 * the harness page with a small good configuration; each run sets a random set of its
 * attributes (in-range values, and hostile ones: NaN, Infinity, -1, 1e9, 1e308,
 * fractions, empty text, 'abc', '__proto__', 'constructor', bad JSON, huge arrays,
 * markup in labels), waits for the element to settle, and checks the invariant:
 *
 * - no NaN / Infinity in any geometry attribute of the shadow root, and no plot larger
 *   than 50,000 px; the last good picture is still there;
 * - an inline error is shown exactly when a `ks-error` {attribute, value, message}
 *   was fired;
 * - no markup from a value became an element, and no script ran;
 * - no console error, no unhandled rejection;
 * - putting the good configuration back clears the error and draws again.
 *
 * The run is seeded: KS_FUZZ_SEED (default below) and, to replay one failure, the
 * KS_FUZZ_PATH printed with it. KS_FUZZ_RUNS overrides the runs per element, and
 * KS_FUZZ_DEBUG=1 prints each run's attributes, time and outcome.
 *
 * Per `npm test`: 25 random runs per element, plus a sweep of 12 hostile values on each
 * attribute alone (attributes × 12 cases per element).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { useHarness } from '../support/browser';
import type { AttributeSpec, AttributeSpecs } from '../../src/viz/attributes';
import { ATTENTION_MAP_ATTRIBUTES } from '../../src/viz/attention-map/attributes';
import { FLASH_TILES_ATTRIBUTES } from '../../src/viz/flash-tiles/attributes';
import { DIFFUSION_STEPS_ATTRIBUTES } from '../../src/viz/diffusion-steps/attributes';
import { LOSS_LANDSCAPE_ATTRIBUTES } from '../../src/viz/loss-landscape/attributes';
import { OPTIMIZER_KINDS } from '../../src/problem/optim';

const harness = useHarness();

const SEED = Number(process.env.KS_FUZZ_SEED ?? 20261201);
const PATH = process.env.KS_FUZZ_PATH || undefined;
/** Runs per element: 4 elements × 25 = 100 runs per `npm test`. */
const RUNS = Number(process.env.KS_FUZZ_RUNS ?? 25);

/** Markup that must stay text wherever it lands. */
const MARKUP = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '"><svg onload="window.__pwned=3">',
  '&amp;<b onmouseover="window.__pwned=4">b</b>',
];

/** Values no attribute should accept as they are (some are fine for text attributes). */
const HOSTILE = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '1e9',
  '1e308',
  '-1e308',
  '1e-320',
  '0.5',
  '2.5',
  '',
  '   ',
  'abc',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '0x10',
  'null',
  'undefined',
  '[]',
  '{}',
  '[1,2',
  '{"a":',
  '9'.repeat(400),
  Array.from({ length: 5000 }, (_, i) => i).join(','),
  ...MARKUP,
];

/** The sweep: each of these, on each attribute alone (a bad value on a view attribute such as `size` is drawn at once). */
const SWEEP = ['NaN', 'Infinity', '-1', '1e9', '1e308', '0.5', '', 'abc', '__proto__', 'constructor', '[1,2', MARKUP[1]!];

type Attrs = Record<string, string | null>;

/** One element under test: its specs, a small good configuration, and lighter ranges for in-range draws. */
interface Target {
  tag: string;
  specs: AttributeSpecs;
  /** The good configuration (attribute → text), mounted first and restored after each run. */
  base: Record<string, string>;
  /** Upper (and lower) bounds of in-range draws, to keep each run light on SwiftShader. */
  caps: Record<string, [number, number]>;
  /** Good values of text and JSON attributes (and of lists with rules of their own). */
  text: Record<string, fc.Arbitrary<string>>;
  /** Hostile values of this element's own, beyond the common ones. */
  hostile: string[];
  /** What must be drawn, as a selector in the shadow root. */
  picture: string;
}

const num = (v: number) => String(v);

function inRange(name: string, spec: AttributeSpec, caps: Target['caps']): fc.Arbitrary<string> {
  const [lo, hi] = caps[name] ?? [undefined, undefined];
  switch (spec.kind) {
    case 'integer': {
      const ints = fc.integer({ min: Math.max(spec.min, lo ?? spec.min), max: Math.min(spec.max, hi ?? spec.max) }).map(num);
      return spec.keywords ? fc.oneof(ints, fc.constantFrom(...Object.keys(spec.keywords))) : ints;
    }
    case 'number':
      return fc
        .double({ min: Math.max(spec.min, lo ?? spec.min), max: Math.min(spec.max, hi ?? spec.max), noNaN: true, noDefaultInfinity: true })
        .map(num);
    case 'boolean':
      return fc.constantFrom('', 'true', 'false', name);
    case 'enum': {
      const keys = Object.keys(spec.values);
      return fc.oneof(
        fc.constantFrom(...keys),
        fc.constantFrom(...keys).map((k) => ` ${k.toUpperCase()} `),
      );
    }
    case 'list': {
      const item =
        spec.item === 'integer'
          ? fc.integer({ min: spec.min, max: Math.min(spec.max, hi ?? spec.max) })
          : fc.double({ min: Math.max(spec.min, lo ?? spec.min), max: Math.min(spec.max, hi ?? spec.max), noNaN: true });
      return fc.array(item, { minLength: spec.minItems, maxLength: spec.maxItems }).map((xs) => xs.join(','));
    }
    case 'json':
    case 'string':
      return fc.constant('');
  }
}

/**
 * A run's attributes: either only in-range values (and removals), so new pictures are
 * drawn, or a mix with one to three hostile values.
 */
function attributeArb(t: Target): fc.Arbitrary<Attrs> {
  const names: string[] = [];
  const good: Record<string, fc.Arbitrary<string | null>> = {};
  for (const [prop, spec] of Object.entries(t.specs)) {
    const name = spec.attribute ?? prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    names.push(name);
    good[name] = fc.oneof(
      { weight: 5, arbitrary: t.text[name] ?? inRange(name, spec, t.caps) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  }
  const valid = fc.record(good, { requiredKeys: [] });
  const hostile = fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...HOSTILE, ...t.hostile), { minKeys: 1, maxKeys: 3 });
  const mixed = fc.tuple(valid, hostile).map(([v, h]) => ({ ...v, ...h }));
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: mixed }) as fc.Arbitrary<Attrs>;
}

const label = fc.oneof(fc.constantFrom(...MARKUP), fc.string({ maxLength: 12 }));

/** `<attention-map>`'s data: ready weights with hostile labels, and Q/K. */
const attentionData = fc.oneof(
  fc
    .integer({ min: 1, max: 6 })
    .chain((n) =>
      fc
        .record({ tokens: fc.array(label, { minLength: n, maxLength: n }), head: label })
        .map(({ tokens, head }) =>
          JSON.stringify({ weights: { data: Array.from({ length: n * n }, () => 1 / n), shape: [n, n] }, tokens, headNames: [head] }),
        ),
    ),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }))
    .chain(([h, n, d]) =>
      fc
        .array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: h * n * d, maxLength: h * n * d })
        .map((xs) => JSON.stringify({ q: { data: xs, shape: [h, n, d] }, k: { data: xs, shape: [h, n, d] } })),
    ),
);
/** Broken and huge data. */
const ATTENTION_HOSTILE = [
  '{"weights": [1, 2',
  '"just text"',
  '[1, 2, 3]',
  '{"__proto__": {"polluted": 1}, "weights": {"data": [1], "shape": [1, 1]}}',
  '{"constructor": 1}',
  '{"weights": {"data": [0.5], "shape": ["__proto__"]}}',
  '{"weights": {"data": [], "shape": [100000, 100000]}}',
  JSON.stringify({ weights: { data: new Array(20000).fill(0.25), shape: [2, 2] } }),
  JSON.stringify({ weights: { data: ['NaN', 1, 0, 1], shape: [2, 2] } }),
  JSON.stringify({ q: { data: new Array(64).fill(1), shape: [1, 8, 8] }, k: { data: new Array(64).fill(1e308), shape: [1, 8, 8] } }),
  JSON.stringify({ weights: { data: [1], shape: [1, 1] }, tokens: [MARKUP[0]], headNames: [{ toString: 1 }] }),
];

const optimizerName = fc.constantFrom(...OPTIMIZER_KINDS, 'adam-nobc');
/** `<loss-landscape>`'s optimizer lists: names, and JSON configurations with hostile labels. */
const optimizers = fc.oneof(
  fc.array(optimizerName, { minLength: 1, maxLength: 7 }).map((xs) => xs.join(',')),
  fc
    .array(fc.record({ kind: fc.constantFrom(...OPTIMIZER_KINDS), lr: fc.double({ min: 1e-4, max: 0.5, noNaN: true }), label }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((xs) => JSON.stringify(xs)),
);
const coordinate = fc.double({ min: -3, max: 3, noNaN: true });
/** `<loss-landscape>`'s starts: "x,y", or JSON lists of points. */
const starts = fc.oneof(
  fc.tuple(coordinate, coordinate).map(([x, y]) => `${x},${y}`),
  fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 16 }).map((xs) => JSON.stringify(xs)),
);
/** A view window with x0 < x1 and y0 < y1 (narrow ones included; too narrow ones are among the hostile values). */
const side = fc
  .tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 1e-5, max: 1e3, noNaN: true }))
  .map(([a, w]) => [a, a + w]);
const domain = fc.tuple(side, side).map(([x, y]) => [...x, ...y].join(','));
const LANDSCAPE_HOSTILE = [
  'sgd,lion',
  'sgd,sgd,sgd,sgd,sgd,sgd,sgd,sgd',
  '[{"kind":"__proto__"}]',
  '[{"kind":"constructor"}]',
  '[{"kind":"adam","lr":"NaN"}]',
  '[{"kind":"adam","lr":1e308}]',
  '[{"kind":"adam","beta1":2}]',
  '[{"kind":"adam","label":{"toString":1}}]',
  '[null]',
  'sgd,'.repeat(200),
  '1',
  '[[0,0]',
  'NaN,NaN',
  '1e308,1e308',
  '[[1e7,0]]',
  '[[1,"x"]]',
  JSON.stringify(new Array(100).fill([0, 0])),
  '1,0,0,1',
  '0,5e-324,0,1',
  '0,1,0,1e-300',
  '-1e6,1e6,-1e6,1e6',
];

const TARGETS: Target[] = [
  {
    tag: 'attention-map',
    specs: ATTENTION_MAP_ATTRIBUTES,
    base: { pattern: 'local', n: '12', heads: '2', dim: '16' },
    caps: {
      n: [1, 40],
      heads: [1, 4],
      dim: [8, 64],
      window: [0.25, 40],
      head: [0, 4],
      'key-length': [0, 48],
      size: [64, 640],
      'selected-query': [-1, 48],
    },
    text: { data: attentionData },
    hostile: ATTENTION_HOSTILE,
    picture: 'svg.map',
  },
  {
    tag: 'flash-tiles',
    specs: FLASH_TILES_ATTRIBUTES,
    base: { n: '48', dim: '16', causal: '' },
    caps: {
      n: [1, 96],
      nk: [1, 96],
      dim: [8, 64],
      'key-length': [0, 96],
      'query-block': [0, 12],
      step: [0, 40],
      interval: [50, 200],
      'block-q': [4, 64],
      'block-k': [4, 64],
    },
    // Two head dims only: each one is a new flash pipeline to compile on SwiftShader.
    text: { dim: fc.constantFrom('16', '32') },
    hostile: ['0,1,2,3,4,5,6,7', '0,,1', '1 2 3', '-0'],
    picture: 'svg.grid',
  },
  {
    tag: 'diffusion-steps',
    specs: DIFFUSION_STEPS_ATTRIBUTES,
    base: { dataset: 'two-moons', samples: '32', steps: '4', seed: '3' },
    caps: { steps: [1, 8], samples: [1, 48], timesteps: [2, 1000], frame: [0, 20] },
    text: {},
    hostile: ['glyphs', '4294967296', '1001', '4001'],
    picture: '#plot circle.particle, #plot image',
  },
  {
    tag: 'loss-landscape',
    specs: LOSS_LANDSCAPE_ATTRIBUTES,
    base: { surface: 'quadratic', optimizers: 'sgd,adam', steps: '10', resolution: '16' },
    caps: { steps: [0, 30], resolution: [8, 24], seed: [0, 1] },
    // The MLP slice trains a network per seed and runs it over the grid: one run in four.
    text: { mode: fc.constantFrom('analytic', ' Analytic', 'analytic', 'mlp'), optimizers, start: starts, domain },
    hostile: LANDSCAPE_HOSTILE,
    picture: 'svg.main g.contours path',
  },
];

/** What the page reports after a run: the events, the state after the random attributes, and after restoring. */
interface RunReport {
  events: { attribute: unknown; value: unknown; message: unknown }[];
  after: PageState;
  restored: PageState;
  restoreEvents: number;
  pwned: unknown;
}
interface PageState {
  error: string | null;
  picture: boolean;
  badGeometry: string[];
  injected: number;
  timedOut: boolean;
}

/** Defines the page-side helpers: mount an element, apply a run's attributes, restore, inspect. */
async function installHelpers(): Promise<void> {
  await harness().page.evaluate(async () => {
    await window.ksImport('/src/viz/index.ts');
    const GEOMETRY = ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'd', 'transform', 'points', 'cx', 'cy', 'r', 'viewBox', 'style'];
    const settle = async (el: any) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 60_000)));
      const done = el.settled().then(() => false);
      const timedOut = await Promise.race([done, late]);
      clearTimeout(timer);
      return timedOut;
    };
    const inspect = (el: any, picture: string, timedOut: boolean) => {
      const root = el.shadowRoot as ShadowRoot;
      const badGeometry: string[] = [];
      for (const node of root.querySelectorAll('*')) {
        for (const a of GEOMETRY) {
          const v = node.getAttribute(a);
          if (v !== null && /NaN|Infinity|undefined/.test(v)) badGeometry.push(`<${node.localName} ${a}="${v.slice(0, 120)}">`);
        }
        if (node.localName === 'svg') {
          for (const a of ['width', 'height']) {
            const v = Number(node.getAttribute(a) ?? 0);
            if (v > 50_000) badGeometry.push(`<svg ${a}="${v}"> is larger than 50,000 px`);
          }
        }
      }
      const alert = root.querySelector('[role=alert], .error');
      return {
        error: alert ? (alert.textContent ?? '') : null,
        picture: root.querySelector(picture) !== null,
        badGeometry,
        injected: root.querySelectorAll('script, img, iframe, foreignObject, [onerror], [onload], [onmouseover]').length,
        timedOut,
      };
    };
    const w = window as any;
    w.fuzzMount = async (tag: string, base: Record<string, string>) => {
      document.getElementById(`fuzz-${tag}`)?.remove();
      const el = document.createElement(tag) as any;
      el.id = `fuzz-${tag}`;
      if (tag !== 'loss-landscape') el.gpu = window.gpu;
      for (const [k, v] of Object.entries(base)) el.setAttribute(k, v);
      document.body.append(el);
      await settle(el);
      return el.shadowRoot.querySelector('[role=alert], .error')?.textContent ?? null;
    };
    w.fuzzRun = async (tag: string, attrs: Record<string, string | null>, base: Record<string, string>, picture: string) => {
      const el = document.getElementById(`fuzz-${tag}`) as any;
      const events: { attribute: unknown; value: unknown; message: unknown }[] = [];
      const listen = (e: Event) => {
        const d = (e as CustomEvent).detail ?? {};
        events.push({
          attribute: d.attribute,
          value: typeof d.value === 'string' ? d.value.slice(0, 80) : typeof d.value,
          message: d.message,
        });
      };
      w.__pwned = 0;
      el.addEventListener('ks-error', listen);
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null) el.removeAttribute(k);
        else el.setAttribute(k, v);
      }
      const after = inspect(el, picture, await settle(el));
      const seen = events.length;
      for (const k of Object.keys(attrs)) {
        if (base[k] === undefined) el.removeAttribute(k);
        else el.setAttribute(k, base[k]!);
      }
      const restored = inspect(el, picture, await settle(el));
      el.removeEventListener('ks-error', listen);
      return { events: events.slice(0, seen), after, restored, restoreEvents: events.length - seen, pwned: w.__pwned };
    };
  });
}

/** Throws with every broken part of the invariant. */
function check(r: RunReport, consoleErrors: string[]): void {
  const broken: string[] = [];
  const { after, restored } = r;
  if (after.timedOut) broken.push('the element did not settle within 60 s');
  if (after.badGeometry.length) broken.push(`non-finite geometry: ${after.badGeometry.slice(0, 5).join(' ')}`);
  if (!after.picture) broken.push('the last good picture is gone');
  if (after.error !== null && r.events.length === 0) broken.push(`an inline error without a ks-error event: ${after.error}`);
  if (after.error === null && r.events.length > 0) broken.push(`ks-error fired but no inline error: ${JSON.stringify(r.events[0])}`);
  for (const e of r.events) {
    if (typeof e.message !== 'string' || !(typeof e.attribute === 'string' || e.attribute === null))
      broken.push(`a ks-error detail without {attribute, value, message}: ${JSON.stringify(e)}`);
  }
  if (after.injected || restored.injected) broken.push('markup from a value became elements');
  if (r.pwned !== 0) broken.push(`a script ran (window.__pwned = ${String(r.pwned)})`);
  if (restored.timedOut) broken.push('after restoring, the element did not settle within 60 s');
  if (restored.error !== null) broken.push(`after restoring the good attributes, an error stays: ${restored.error}`);
  if (r.restoreEvents) broken.push(`restoring the good attributes fired ${r.restoreEvents} ks-error`);
  if (!restored.picture) broken.push('after restoring the good attributes, nothing is drawn');
  if (restored.badGeometry.length) broken.push(`non-finite geometry after restoring: ${restored.badGeometry.slice(0, 5).join(' ')}`);
  if (consoleErrors.length) broken.push(`console errors: ${consoleErrors.slice(0, 3).join(' | ')}`);
  if (broken.length) throw new Error(broken.join('\n'));
}

describe('fuzzing element attributes', () => {
  console.log(`fuzz-attributes: KS_FUZZ_SEED=${SEED}${PATH ? ` KS_FUZZ_PATH=${PATH}` : ''}, ${RUNS} runs per element`);

  for (const t of TARGETS) {
    const names = Object.entries(t.specs).map(([prop, spec]) => spec.attribute ?? prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    it(`<${t.tag}>: each attribute alone, set to each hostile value, keeps the invariant`, async () => {
      await installHelpers();
      const page = harness().page;
      const mounted = await page.evaluate((tag, base) => (window as any).fuzzMount(tag, base), t.tag, t.base);
      if (mounted !== null) throw new Error(`<${t.tag}> with its good configuration shows an error: ${mounted}`);
      const broken: string[] = [];
      for (const name of names) {
        for (const value of SWEEP) {
          const report = (await page.evaluate(
            (tag, a, base, picture) => (window as any).fuzzRun(tag, a, base, picture),
            t.tag,
            { [name]: value },
            t.base,
            t.picture,
          )) as RunReport;
          try {
            check(report, harness().errors.splice(0));
          } catch (e) {
            broken.push(`${name}=${JSON.stringify(value.slice(0, 40))}: ${(e as Error).message}`);
          }
        }
      }
      await page.evaluate((tag) => document.getElementById(`fuzz-${tag}`)?.remove(), t.tag);
      if (broken.length)
        throw new Error(`${broken.length} of ${names.length * SWEEP.length} cases broke the invariant:\n${broken.slice(0, 10).join('\n')}`);
    });

    it(`<${t.tag}>: any attribute set draws finite geometry or shows an error with ks-error, and recovers`, async () => {
      await installHelpers();
      const page = harness().page;
      const mounted = await page.evaluate((tag, base) => (window as any).fuzzMount(tag, base), t.tag, t.base);
      if (mounted !== null) throw new Error(`<${t.tag}> with its good configuration shows an error: ${mounted}`);
      const tally = { drew: 0, refused: 0 };
      const property = fc.asyncProperty(attributeArb(t), async (attrs) => {
        const t0 = Date.now();
        const report = (await page.evaluate(
          (tag, a, base, picture) => (window as any).fuzzRun(tag, a, base, picture),
          t.tag,
          attrs,
          t.base,
          t.picture,
        )) as RunReport;
        check(report, harness().errors.splice(0));
        tally[report.after.error === null ? 'drew' : 'refused'] += 1;
        if (process.env.KS_FUZZ_DEBUG)
          console.log(Date.now() - t0, 'ms', JSON.stringify(attrs).slice(0, 300), '→', report.after.error?.slice(0, 120));
      });
      const out = await fc.check(property, { seed: SEED, path: PATH, numRuns: RUNS, interruptAfterTimeLimit: 150_000 });
      await page.evaluate((tag) => document.getElementById(`fuzz-${tag}`)?.remove(), t.tag);
      if (out.failed) {
        const replay = `replay: KS_FUZZ_SEED=${out.seed} KS_FUZZ_PATH=${out.counterexamplePath} npx vitest run tests/viz/fuzz-attributes.test.ts -t "<${t.tag}>"`;
        throw new Error(`${replay}\ncounterexample: ${JSON.stringify(out.counterexample?.[0])}\n${fc.defaultReportMessage(out)}`);
      }
      console.log(`fuzz <${t.tag}>: ${out.numRuns} runs: ${tally.drew} drew, ${tally.refused} showed an error`);
      if (out.interrupted) console.warn(`fuzz <${t.tag}>: stopped after ${out.numRuns} of ${RUNS} runs (time limit)`);
    });
  }
});
