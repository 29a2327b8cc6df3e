/**
 * The numerical-checking page: for the layer the reader picks, gradcheck of its GPU
 * backward kernel (or of a planted bug) against float64 central differences, the
 * step-size sweep in float64 and f32 on a log-log plot, and the forward kernel
 * against the float64 reference under the tolerance rule. State in the URL hash
 * (`#layer=linear&bug=transpose-dx&h=1e-6`); `body.dataset.ready` after the first check.
 */
import { acquireGpu } from '../src/viz/shared-gpu';
import type { Gpu } from '../src/gpu/device';
import { finiteDifferenceSweep, gradcheck, logSteps, type GradcheckReport } from '../src/reference/gradcheck';
import { checkTolerance } from '../src/reference/compare';
import { readHash, writeHash } from '../src/site/hash-state';
import { linePlot } from './train-plots';
import { layerCases, type LayerCase } from './gradcheck-cases';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const cases = layerCases();
const layerSelect = $<HTMLSelectElement>('layer');
const bugSelect = $<HTMLSelectElement>('bug');
const hSelect = $<HTMLSelectElement>('h');
const status = $('status');
const hood = $('under-the-hood');
let gpu: Gpu | null = null;
let running: Promise<void> = Promise.resolve();

for (const c of cases) {
  const o = document.createElement('option');
  o.value = c.id;
  o.textContent = c.label;
  layerSelect.append(o);
}

function current(): LayerCase {
  return cases.find((c) => c.id === layerSelect.value) ?? cases[0]!;
}

function fillBugs(): void {
  const opts = [{ id: 'none', label: 'correct (the kernel)' }, ...current().bugs];
  bugSelect.replaceChildren(
    ...opts.map((b) => {
      const o = document.createElement('option');
      o.value = b.id;
      o.textContent = b.id === 'none' ? b.label : `planted bug: ${b.label}`;
      return o;
    }),
  );
}

const hash = readHash();
if (cases.some((c) => c.id === hash.get('layer'))) layerSelect.value = hash.get('layer')!;
fillBugs();
if ([...bugSelect.options].some((o) => o.value === hash.get('bug'))) bugSelect.value = hash.get('bug')!;
if ([...hSelect.options].some((o) => o.value === hash.get('h'))) hSelect.value = hash.get('h')!;

const cell = (tr: HTMLTableRowElement, text: string, cls?: string) => {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
};

function showReport(r: GradcheckReport): void {
  $('report')
    .querySelector('tbody')!
    .replaceChildren(
      ...r.tensors.map((t) => {
        const tr = document.createElement('tr');
        tr.dataset.tensor = t.name;
        tr.dataset.rel = String(t.maxRelError);
        cell(tr, t.name);
        cell(tr, `[${t.shape.join(', ')}]`);
        cell(tr, String(t.checked));
        cell(tr, t.maxRelError.toExponential(2));
        cell(tr, `[${t.worst.coords.join(', ')}]`);
        cell(tr, t.worst.analytic.toPrecision(7));
        cell(tr, t.worst.numeric.toPrecision(7));
        cell(tr, t.ok ? 'pass' : 'FAIL', t.ok ? 'pass' : 'fail');
        return tr;
      }),
    );
}

async function showSweep(c: LayerCase, r: GradcheckReport): Promise<void> {
  const worst = r.tensors.reduce((a, b) => (b.maxRelError > a.maxRelError ? b : a));
  const values = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, Float64Array.from(t.data)]));
  const exact = c.exact(values)[worst.name]![worst.worst.index]!;
  const hs = logSteps(1e-1, 1e-10, 3);
  const f64 = await finiteDifferenceSweep(c.f64, c.inputs, worst.name, worst.worst.index, exact, hs);
  const f32 = await finiteDifferenceSweep(c.f32, c.inputs, worst.name, worst.worst.index, exact, hs);
  const floor = (v: number) => Math.max(v, 1e-17);
  linePlot(
    $('sweep-plot'),
    [
      { label: 'f in float64', points: f64.map((p) => [p.h, floor(p.relError)]), color: 0 },
      { label: 'f in f32', points: f32.map((p) => [p.h, floor(p.relError)]), color: 1 },
    ],
    {
      logX: true,
      logY: true,
      xLabel: 'step h',
      yLabel: 'relative error',
      ariaLabel: 'relative error of the central difference against the step size',
      legend: 'bottom-right',
      marks: [
        { x: Math.cbrt(2 ** -53), label: '∛u₆₄' },
        { x: Math.cbrt(2 ** -24), label: '∛u₃₂' },
      ],
    },
  );
  const best = (pts: typeof f64) => pts.reduce((a, b) => (b.relError < a.relError ? b : a));
  const b64 = best(f64);
  const b32 = best(f32);
  const out = $('sweep-status');
  out.dataset.best64 = String(b64.h);
  out.dataset.best32 = String(b32.h);
  out.textContent =
    `Entry ${worst.name}[${worst.worst.coords.join(', ')}], exact derivative ${exact.toPrecision(8)}: smallest error ` +
    `${b64.relError.toExponential(1)} at h = ${b64.h.toExponential(0)} in float64, ${b32.relError.toExponential(1)} at h = ${b32.h.toExponential(0)} in f32.`;
}

async function showForward(c: LayerCase): Promise<void> {
  const body = $('forward').querySelector('tbody')!;
  if (!gpu) {
    const tr = document.createElement('tr');
    cell(tr, 'no WebGPU: the forward kernel cannot run here');
    body.replaceChildren(tr);
    return;
  }
  const f = await c.forward(gpu);
  const v = checkTolerance(f.gpu, f.f64, f.f32, 1e-6);
  const tr = document.createElement('tr');
  tr.dataset.ok = String(v.ok);
  cell(tr, `${c.label} (${f.gpu.length} values)`);
  cell(tr, v.err.toExponential(2));
  cell(tr, v.baselineErr.toExponential(2));
  cell(tr, v.bound.toExponential(2));
  cell(tr, v.ok ? 'pass' : 'FAIL', v.ok ? 'pass' : 'fail');
  body.replaceChildren(tr);
}

async function check(): Promise<void> {
  const c = current();
  const bug = c.bugs.find((b) => b.id === bugSelect.value) ?? null;
  const h = Number(hSelect.value);
  writeHash({ layer: c.id, bug: bug?.id ?? 'none', h: hSelect.value });
  status.textContent = 'checking…';
  const grad = (v: Record<string, Float64Array>) => (bug ? bug.grad(gpu, v) : gpu ? c.gpu(gpu, v) : Promise.resolve(c.exact(v)));
  const r = await gradcheck({ f: c.f64, grad }, c.inputs, { h });
  showReport(r);
  status.dataset.ok = String(r.ok);
  const analytic = bug ? `the planted bug (${bug.label})` : gpu ? 'the GPU backward kernel' : 'the float64 reference backward (no WebGPU)';
  status.textContent = `${r.ok ? 'Pass' : 'FAIL'}: ${analytic} against central differences of the float64 reference, h = ${h}, ${r.evaluations} evaluations of f.`;
  await showSweep(c, r);
  await showForward(c);
  hood.textContent = `Last check: ${c.label}, ${analytic}; worst relative error ${Math.max(...r.tensors.map((t) => t.maxRelError)).toExponential(2)}.`;
}

function run(): Promise<void> {
  running = running.then(check).catch((e: unknown) => {
    status.textContent = `Error: ${(e as Error).message}`;
    document.body.dataset.ready = `error: ${(e as Error).message}`;
  });
  return running;
}

layerSelect.addEventListener('change', () => {
  fillBugs();
  void run();
});
bugSelect.addEventListener('change', () => void run());
hSelect.addEventListener('change', () => void run());
$('run').addEventListener('click', () => void run());

void acquireGpu().then(async (g) => {
  gpu = g;
  await run();
  if (document.body.dataset.ready === 'pending') document.body.dataset.ready = 'true';
});
