/**
 * Property-based fuzzing of the public kernel API in the browser (fast-check; cases in
 * tests/gpu/fuzz-arbitraries.ts, run in the page by tests/gpu/fuzz-page.ts). For every
 * call, valid or with one hostile change, exactly one of:
 *
 * - a typed error (a KernelscopeError of the class the change calls for) thrown before
 *   any GPU work: `gpu.memory.created` unchanged, on the page's Gpu and on the foreign one;
 * - a result of the reference's shape that agrees with the CPU reference under the
 *   tolerance rule (`checkTolerance`; NaN only matches NaN, ±Infinity only itself).
 *
 * Runs are fixed per property; the seed is KS_FUZZ_SEED (default below). A failure
 * prints the seed, the counterexample and a command that replays it:
 * `KS_FUZZ_SEED=<seed> KS_FUZZ_PATH=<property>:<path> npx vitest run tests/gpu/fuzz-kernels.test.ts`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arbitrary } from 'fast-check';
import { useHarness } from '../support/browser';
import {
  BROWSER,
  attentionCases,
  forwardNoiseCases,
  matmulCases,
  randomNormalCases,
  raceCases,
  reverseStepCases,
  sampleCases,
  softmaxCases,
  surfaceGridCases,
  type FuzzOptions,
} from './fuzz-arbitraries';
import { runFuzz, type Verdict } from './fuzz-run';
import type { FuzzCase } from './fuzz-spec';
import type { FuzzVerdict } from './fuzz-page';

const harness = useHarness();
let options: FuzzOptions = BROWSER;
/** Runs per property, summed over the file and logged at the end. */
let total = 0;

beforeAll(async () => {
  const subgroups = await harness().page.evaluate(() => window.gpu.features.subgroups);
  options = { ...BROWSER, subgroups };
});

/** Runs one case in the page. */
async function inPage(c: FuzzCase): Promise<FuzzVerdict> {
  return harness().page.evaluate(async (c) => {
    const m = await window.ksImport('/tests/gpu/fuzz-page.ts');
    return (await m.runCase(window.gpu, c)) as FuzzVerdict;
  }, c);
}

/** The invariant: the expected typed error before any GPU work, or a result that agrees with the reference. */
export function judge(c: FuzzCase, v: FuzzVerdict): Verdict {
  const wanted = c.expect.errors.length ? c.expect.errors.join(' or ') : 'success';
  if (v.outcome === 'error') {
    if (!v.typed) return `threw ${v.name}, not a KernelscopeError: ${v.message}`;
    if (!c.expect.errors.includes(v.name as never)) return `expected ${wanted} but threw ${v.name}: ${v.message}`;
    if (v.created !== 0 || v.foreignCreated !== 0) {
      return `threw ${v.name} after creating ${v.created} GPU buffer(s) (${v.foreignCreated} on the foreign Gpu): ${v.message}`;
    }
    return null;
  }
  if (!c.expect.ok) return `expected ${wanted} but the call succeeded`;
  if (v.shape?.join() !== v.referenceShape?.join()) return `result shape [${v.shape}] but the reference's is [${v.referenceShape}]`;
  const bad = v.checks!.filter((k) => !k.ok);
  if (bad.length) {
    return bad
      .map(
        (k) =>
          `${k.what}: err ${k.err} vs f32 baseline ${k.baselineErr} (ratio ${k.ratio.toFixed(3)}), ${k.nonFinite} non-finite mismatches`,
      )
      .join('; ');
  }
  return null;
}

async function property(name: string, cases: () => Arbitrary<FuzzCase>, numRuns: number) {
  total += numRuns;
  const seen = { ok: 0, error: 0 };
  await runFuzz(name, cases(), numRuns, async (c) => {
    const v = await inPage(c);
    seen[v.outcome] += 1;
    return judge(c, v);
  });
  console.log(`${name}: ${seen.ok} results checked against the reference, ${seen.error} typed errors before GPU work`);
}

describe('fuzzing the kernel API (typed error before GPU work, or agreement with the reference)', () => {
  it('matmul', async () => {
    await property('matmul', () => matmulCases(options), 120);
  });

  it('softmax', async () => {
    await property('softmax', () => softmaxCases(options), 100);
  });

  it.each(['naive', 'flash', 'linear'] as const)('attention %s', async (variant) => {
    await property(`attention-${variant}`, () => attentionCases(variant, options), 80);
  });

  it('ddpm.forwardNoise', async () => {
    await property('forwardNoise', () => forwardNoiseCases(options), 80);
  });

  it('ddpm.reverseStep', async () => {
    await property('reverseStep', () => reverseStepCases(options), 80);
  });

  it('ddpm.randomNormal', async () => {
    await property('randomNormal', () => randomNormalCases(options), 60);
  });

  it('ddpm.sample', async () => {
    await property('sample', () => sampleCases(options), 50);
  });

  it('race', async () => {
    await property('race', () => raceCases(options), 80);
  });

  it('surfaceGrid', async () => {
    await property('surfaceGrid', () => surfaceGridCases(), 80);
    console.log(`kernel fuzzing: ${total} runs`);
    expect(total).toBeGreaterThan(0);
  });
});
