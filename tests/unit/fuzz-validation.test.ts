/**
 * Property-based fuzzing of the pure validation layer in Node (fast-check): the rules in
 * src/problem and the CPU references, which validate exactly as the kernels do. The cases
 * are the kernel fuzzer's (tests/gpu/fuzz-arbitraries.ts) without tensors or device
 * limits: valid calls (NaN and ±Infinity included) must pass, and each hostile change
 * must raise the typed error it calls for, never a TypeError or RangeError, and never
 * take long (host limits bound every list built from a size). Names are looked up among
 * a table's own keys only.
 *
 * Seed: KS_FUZZ_SEED; replay: KS_FUZZ_SEED=<seed> KS_FUZZ_PATH=<property>:<path> (see tests/gpu/fuzz-run.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KernelscopeError } from '../../src/problem/errors';
import { assertHostTensor, assertNumberArray } from '../../src/problem/shape';
import { MATMUL_VARIANTS, resolveMatmulOptions } from '../../src/problem/matmul';
import { ATTENTION_VARIANTS, resolveAttention } from '../../src/problem/attention';
import {
  OPTIMIZER_IDS,
  SURFACE_IDS,
  resolveOptimizer,
  resolveSurface,
  type OptimizerConfig,
  type SurfaceSpec,
} from '../../src/problem/optim';
import { assertSchedule, cosineSchedule, linearSchedule, makeSchedule, type ScheduleKind } from '../../src/problem/ddpm-schedule';
import { planSampling, type SamplerKind } from '../../src/problem/ddpm-plan';
import { matmulReference } from '../../src/reference/matmul';
import { softmaxReference } from '../../src/reference/softmax';
import { attentionReference } from '../../src/reference/attention';
import { raceReference, surfaceGridReference } from '../../src/reference/optim';
import {
  NODE,
  attentionCases,
  badNameArb,
  matmulCases,
  numberListCases,
  raceCases,
  softmaxCases,
  surfaceGridCases,
  tensorArgumentCases,
} from '../gpu/fuzz-arbitraries';
import { decode, type FuzzCase } from '../gpu/fuzz-spec';
import { runFuzz, type Verdict } from '../gpu/fuzz-run';

let total = 0;
afterAll(() => console.log(`validation fuzzing: ${total} runs`));

/** Each case's pure half: the validation (and, for a valid call, the CPU computation) a kernel runs first. */
const PURE: Record<string, (args: any[]) => unknown> = {
  tensor: ([x]) => assertHostTensor('fuzz', 'x', x),
  numbers: ([x]) => assertNumberArray('fuzz', 'x', x, 'a number'),
  // The reference ignores `variant` (it has one algorithm): check it as the kernel does first.
  matmul: ([a, b, o]) => (resolveMatmulOptions('matmul', o), matmulReference(a, b, o)),
  softmax: ([x, o]) => softmaxReference(x, o),
  attention: ([q, k, v, o]) => attentionReference(q, k, v, o),
  race: ([input]) => raceReference(input),
  surfaceGrid: ([input]) => surfaceGridReference(input),
};

/** The invariant: a valid call passes; a broken one throws the typed error it calls for. */
function judge(c: FuzzCase): Verdict {
  const wanted = c.expect.errors.length ? c.expect.errors.join(' or ') : 'success';
  try {
    PURE[c.kernel]!(c.args.map((s) => decode(s)));
  } catch (e) {
    const err = e as Error;
    if (!(e instanceof KernelscopeError)) return `threw ${err?.name}, not a KernelscopeError: ${err?.message}`;
    if (!c.expect.errors.includes(err.name as never)) return `expected ${wanted} but threw ${err.name}: ${err.message}`;
    return null;
  }
  return c.expect.ok ? null : `expected ${wanted} but it passed`;
}

async function property(name: string, cases: fc.Arbitrary<FuzzCase>, numRuns: number) {
  total += numRuns;
  await runFuzz(name, cases, numRuns, judge);
}

/** Whether a name lookup accepts `name`, or throws a KernelscopeError; anything else is a bug. */
function accepts(lookup: () => unknown): boolean {
  try {
    lookup();
    return true;
  } catch (e) {
    if (e instanceof KernelscopeError) return false;
    throw e;
  }
}

/** Names to look up: every valid one, inherited ones, and arbitrary strings and values. */
const names = fc.oneof(
  fc.constantFrom(...Object.keys(SURFACE_IDS), ...Object.keys(OPTIMIZER_IDS), ...MATMUL_VARIANTS, ...ATTENTION_VARIANTS),
  fc.constantFrom('auto', 'linear', 'cosine', 'ddpm', 'ddim'),
  badNameArb.map((s) => decode(s)),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(null, undefined),
);

// Generous: a loaded machine (or KS_FUZZ_SCALE) must not turn a slow pass into a failure.
describe('fuzzing the validation rules (typed error or success, never anything else)', { timeout: 120_000 }, () => {
  it('tensor arguments: {data, shape} with plain-array entries that must be numbers', async () => {
    await property('tensor', tensorArgumentCases(NODE), 1000);
  });

  it('number lists: arrays and typed arrays of numbers, NaN included', async () => {
    await property('numbers', numberListCases(), 500);
  });

  it('matmul (matmulReference validates as the kernel does)', async () => {
    await property('matmul', matmulCases(NODE), 400);
  });

  it('softmax', async () => {
    await property('softmax', softmaxCases(NODE, ['NaN', 'Infinity', '-Infinity']), 400);
  });

  it.each(['naive', 'flash', 'linear'] as const)('attention %s', async (variant) => {
    await property(`attention-${variant}`, attentionCases(variant, NODE, ['NaN', 'Infinity', '-Infinity']), 250);
  });

  it('race', async () => {
    await property('race', raceCases(NODE), 300);
  });

  it('surfaceGrid', async () => {
    await property('surfaceGrid', surfaceGridCases(), 300);
  });

  it('names are looked up among a table’s own keys only', async () => {
    total += 500;
    await runFuzz('names', names, 500, (name) => {
      const own = (table: object) => typeof name === 'string' && Object.hasOwn(table, name);
      const checks: [string, boolean, boolean][] = [
        ['surface kind', accepts(() => resolveSurface('fuzz', { kind: name } as SurfaceSpec)), own(SURFACE_IDS)],
        ['optimizer kind', accepts(() => resolveOptimizer('fuzz', { kind: name } as OptimizerConfig)), own(OPTIMIZER_IDS)],
        [
          'matmul variant',
          accepts(() => resolveMatmulOptions('fuzz', { variant: name })),
          name == null || name === 'auto' || (MATMUL_VARIANTS as readonly unknown[]).includes(name),
        ],
        [
          'attention variant',
          accepts(() => resolveAttention('fuzz', [1, 2], [1, 2], [1, 2], { variant: name }, null, null)),
          name == null || (ATTENTION_VARIANTS as readonly unknown[]).includes(name),
        ],
        ['schedule', accepts(() => makeSchedule(name as ScheduleKind, 4)), name === 'linear' || name === 'cosine'],
        [
          'sampler',
          accepts(() => planSampling(linearSchedule({ T: 4 }), name as SamplerKind, 2, 'eps')),
          name === 'ddpm' || name === 'ddim',
        ],
      ];
      const wrong = checks.filter(([, got, want]) => got !== want);
      return wrong.length ? wrong.map(([what, got]) => `${what} ${String(name)}: ${got ? 'accepted' : 'rejected'}`).join('; ') : null;
    });
  });

  it('schedules: T, β and forged schedules', async () => {
    // (null is "absent" for T and β, which have defaults)
    const hostile = fc.constantFrom<unknown>(0, -1, 1.5, NaN, Infinity, 1e9, '10', {}, [10], true);
    const cases = fc.oneof(
      fc.record({ T: fc.integer({ min: 1, max: 200 }), kind: fc.constantFrom('linear', 'cosine') }).map((c) => ({ ...c, ok: true })),
      fc.record({ T: hostile, kind: fc.constantFrom('linear', 'cosine') }).map((c) => ({ ...c, ok: false })),
      fc.record({ betaStart: hostile, kind: fc.constant('linear') }).map((c) => ({ ...c, T: 10, ok: false })),
      fc.constantFrom<unknown>(null, undefined, 3, 'linear', {}, { T: 10 }, { T: 1e9 }).map((s) => ({ forged: s, ok: false })),
    );
    total += 300;
    await runFuzz('schedules', cases, 300, (c) => {
      try {
        if ('forged' in c) assertSchedule('fuzz', c.forged);
        else {
          const opts = { T: c.T, ...('betaStart' in c ? { betaStart: c.betaStart } : {}) } as { T: number; betaStart?: number };
          assertSchedule('fuzz', c.kind === 'linear' ? linearSchedule(opts) : cosineSchedule(opts));
        }
      } catch (e) {
        if (!(e instanceof KernelscopeError)) return `threw ${(e as Error).name}: ${(e as Error).message}`;
        return c.ok ? `rejected a valid schedule: ${e.message}` : null;
      }
      return c.ok ? null : 'accepted a bad schedule';
    });
    expect(total).toBeGreaterThan(0);
  });
});
