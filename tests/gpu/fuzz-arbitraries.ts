/**
 * fast-check arbitraries of kernel calls, for the kernel fuzzer (browser) and the
 * validation fuzzer (Node). Each case is a valid call (small shapes, values that may
 * hold NaN and ±Infinity, random options) or that call with ONE hostile change, with the
 * typed error that change must raise: NaN, ±Infinity, negative, fractional and huge
 * sizes, inherited names ('constructor', '__proto__'…), wrong types, sparse arrays,
 * destroyed / foreign / stale / forged tensors. One change at a time keeps the expected
 * error class unambiguous.
 */
import fc from 'fast-check';
import { MATMUL_VARIANTS } from '../../src/problem/matmul';
import { OPTIMIZER_KINDS, SURFACE_KINDS, SURFACE_VIEWS } from '../../src/problem/optim';
import {
  OK,
  bool,
  data,
  fails,
  host,
  num,
  nums,
  obj,
  str,
  type Data,
  type ErrorName,
  type Expect,
  type FuzzCase,
  type Num,
  type Spec,
  type TensorState,
} from './fuzz-spec';

/** What the cases may use. Node has no tensors and no device; the page has both. */
export interface FuzzOptions {
  /** Tensor arguments (live, destroyed, foreign, stale, forged). */
  tensors: boolean;
  /** Cases whose error comes from the launcher (tensor states, device limits, noise keys…), not the pure rules. */
  launcher: boolean;
  /** The device has the 'subgroups' feature (matmul's 'subgroup' variant). */
  subgroups: boolean;
}

export const BROWSER: FuzzOptions = { tensors: true, launcher: true, subgroups: true };
export const NODE: FuzzOptions = { tensors: false, launcher: false, subgroups: true };

/** A case before its kernel name is attached. */
type Made = { args: Spec[]; expect: Expect; label: string };

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A dimension: mostly small, sometimes 0, now and then up to 64. */
function dimArb(max = 20, zero = true): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: zero ? 1 : 0, arbitrary: fc.constant(0) },
    { weight: 8, arbitrary: fc.integer({ min: 1, max }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: Math.max(max, 64) }) },
  );
}

/**
 * Special values placed in data. NaN and ±Infinity are numbers: legal input that must
 * propagate as IEEE arithmetic does. Each kernel's cases use the ones whose result its
 * reference defines the way the kernel computes it (see each `…Cases`).
 */
export const IEEE_SPECIALS: readonly Num[] = ['NaN', 'Infinity', '-Infinity'];

function specialsArb(allowed: readonly Num[]): fc.Arbitrary<[number, Num][]> {
  if (allowed.length === 0) return fc.constant([]);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<[number, Num][]>([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(4096), fc.constantFrom(...allowed)), { minLength: 1, maxLength: 2 }) },
  );
}

/** How a valid tensor argument is handed over: host Float32Array, host number[], or (browser) a live Tensor. */
type Form = 'f32' | 'plain' | 'tensor';

function formArb(o: FuzzOptions): fc.Arbitrary<Form> {
  return o.tensors ? fc.constantFrom<Form>('f32', 'plain', 'tensor') : fc.constantFrom<Form>('f32', 'plain');
}

/** A valid tensor argument of `shape`. */
function tensorSpec(shape: readonly number[], seed: number, form: Form, extra: Partial<Data> = {}): Spec {
  const d = data(size(shape), seed, { ...extra, plain: form === 'plain' });
  if (form === 'tensor') return { t: 'tensor', shape: [...shape], data: { ...d, plain: false }, state: 'live' };
  return { t: 'host', shape: nums(shape), data: d };
}

/** A seeded valid tensor argument of `shape`, with random form and a few of the `specials` (NaN, ±Infinity) at random places. */
function validTensor(shape: readonly number[], o: FuzzOptions, specials: readonly Num[], extra: Partial<Data> = {}): fc.Arbitrary<Spec> {
  const n = Math.max(1, size(shape));
  return fc
    .tuple(seedArb, formArb(o), specialsArb(specials))
    .map(([seed, form, sp]) =>
      tensorSpec(shape, seed, form, { ...extra, specials: [...(extra.specials ?? []), ...sp.map(([i, v]): [number, Num] => [i % n, v])] }),
    );
}

/** Values that are not a tensor or `{data, shape}` (undefined only where the argument is required). */
function notATensor(required: boolean): fc.Arbitrary<Spec> {
  const values: Spec[] = [
    { t: 'null' },
    num(3),
    num('NaN'),
    str('tensor'),
    bool(true),
    { t: 'bigint' },
    { t: 'symbol' },
    { t: 'function' },
    { t: 'date' },
    nums([1, 2, 3]),
    obj({}),
    obj({ data: str('abc'), shape: nums([1, 3]) }),
    obj({ data: nums([1]), shape: str('1') }),
    obj({ data: { t: 'f64', length: 3 }, shape: nums([3]) }),
    obj({ shape: nums([1]) }),
    obj({ data: nums([1]) }),
    obj({ data: obj({ length: num(1) }), shape: nums([1]) }),
  ];
  if (required) values.push({ t: 'undefined' });
  return fc.constantFrom(...values);
}

/** A bad dimension and its error: not a non-negative integer (ShapeError), or past 2³¹ − 1 (LimitExceededError). */
const badDimArb: fc.Arbitrary<[Spec | 'hole', ErrorName, string]> = fc.oneof(
  fc.integer({ min: -1_000_000, max: -1 }).map((n) => [num(n), 'ShapeError', `dimension ${n}`] as [Spec, ErrorName, string]),
  fc.constantFrom(0.5, 1.5, 2.25, 1e-300).map((n) => [num(n), 'ShapeError', `dimension ${n}`] as [Spec, ErrorName, string]),
  fc.constantFrom<Num>('NaN', 'Infinity', '-Infinity').map((n) => [num(n), 'ShapeError', `dimension ${n}`] as [Spec, ErrorName, string]),
  fc
    .constantFrom<Spec>(str('3'), { t: 'null' }, { t: 'undefined' }, bool(true), obj({}), { t: 'bigint' }, nums([2]))
    .map((s) => [s, 'ShapeError', `dimension of type ${s.t}`] as [Spec, ErrorName, string]),
  fc.constant(['hole', 'ShapeError', 'a hole in the shape'] as [Spec | 'hole', ErrorName, string]),
  fc
    .oneof(fc.constant(2 ** 31), fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), fc.constant(1e300))
    .map((n) => [num(n), 'LimitExceededError', `dimension ${n}`] as [Spec, ErrorName, string]),
);

/** Entries that are not numbers, for plain data arrays and number lists. */
const notANumber: fc.Arbitrary<Spec> = fc.constantFrom<Spec>(
  str('1'),
  { t: 'null' },
  { t: 'undefined' },
  obj({}),
  bool(false),
  { t: 'bigint' },
  nums([1]),
  { t: 'date' },
  { t: 'symbol' },
);

/**
 * Names a lookup table must not find: inherited ones first, then near misses and
 * non-strings. No null: where a name has a default, null means "absent" (`??`); see `badRequiredNameArb`.
 */
export const badNameArb: fc.Arbitrary<Spec> = fc.oneof(
  fc
    .constantFrom(
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      'propertyIsEnumerable',
      'toLocaleString',
      '__defineGetter__',
      '__lookupSetter__',
    )
    .map(str),
  fc.constantFrom('', ' ', 'NAIVE', 'flash ', 'Adam', 'sgd\u0000', 'undefined', 'null', '0').map(str),
  fc.constantFrom<Spec>(num(0), obj({}), bool(true), nums([]), { t: 'symbol' }),
);

/** Bad names where the name is required (no default): null too. */
export const badRequiredNameArb: fc.Arbitrary<Spec> = fc.oneof(badNameArb, fc.constant<Spec>({ t: 'null' }));

/** Values that are not booleans. */
const notABool: fc.Arbitrary<Spec> = fc.constantFrom<Spec>(num(1), num(0), str('true'), { t: 'null' }, obj({}), num('NaN'));

/** Options records that are not objects (undefined excluded: it means "no options"). */
const notAnObject: fc.Arbitrary<Spec> = fc.constantFrom<Spec>(str('tiled'), num(1), nums([1]), { t: 'null' }, bool(true));

/** Values that are not finite numbers (no null: where a number has a default, null means "absent"). */
const notFinite: fc.Arbitrary<Spec> = fc.constantFrom<Spec>(num('NaN'), num('Infinity'), num('-Infinity'), str('1'), bool(true), obj({}), {
  t: 'bigint',
});

/** Not finite numbers, null included, for numbers without a default. */
const notFiniteOrNull: fc.Arbitrary<Spec> = fc.oneof(notFinite, fc.constant<Spec>({ t: 'null' }));

/**
 * One way to break a tensor argument of `shape`, with its error: not a tensor, a bad
 * shape, a bad data length, bad entries, or (browser) a Tensor that cannot be used.
 */
function brokenTensor(shape: readonly number[], o: FuzzOptions, required: boolean): fc.Arbitrary<[Spec, ErrorName, string]> {
  const n = size(shape);
  const choices: fc.Arbitrary<[Spec, ErrorName, string]>[] = [
    notATensor(required).map((s) => [s, 'InvalidArgumentError', `not a tensor (${s.t})`]),
    fc
      .constantFrom<Spec>(str('abc'), num(5), { t: 'null' }, { t: 'f64', length: n }, obj({ length: num(n) }), { t: 'undefined' })
      .map((d) => [{ t: 'host', shape: nums(shape), data: d }, 'InvalidArgumentError', `data of type ${d.t}`]),
    fc
      .constantFrom<Spec>(str(shape.join(',')), num(n), { t: 'null' }, obj({ length: num(shape.length) }), { t: 'undefined' })
      .map((s) => [{ t: 'host', shape: s, data: data(n, 1) }, 'InvalidArgumentError', `shape of type ${s.t}`]),
    fc.constant([host(new Array(17).fill(1), 1), 'ShapeError', 'rank 17'] as [Spec, ErrorName, string]),
  ];
  if (shape.length > 0) {
    choices.push(
      fc.tuple(fc.nat(shape.length - 1), badDimArb).map(([i, [dim, error, what]]) => {
        const items = shape.map((x) => num(x));
        const spec: Spec = { t: 'array', items, holes: [] };
        if (dim === 'hole') spec.holes = [i];
        else items[i] = dim;
        return [{ t: 'host', shape: spec, data: data(n, 2) }, error, `${what} at index ${i}`];
      }),
    );
  }
  choices.push(
    fc
      .constantFrom(1, -1)
      .filter((delta) => n + delta >= 0)
      .map((delta) => [{ t: 'host', shape: nums(shape), data: data(n + delta, 3) }, 'ShapeError', `data length ${n + delta} for ${n}`]),
  );
  if (n > 0) {
    choices.push(
      fc
        .tuple(fc.nat(n - 1), notANumber)
        .map(([i, bad]) => [
          { t: 'host', shape: nums(shape), data: data(n, 4, { plain: true, bad: [[i, bad]] }) },
          'InvalidArgumentError',
          `data[${i}] of type ${bad.t}`,
        ]),
      fc
        .nat(n - 1)
        .map((i) => [
          { t: 'host', shape: nums(shape), data: data(n, 5, { plain: true, holes: [i] }) },
          'InvalidArgumentError',
          `a hole at data[${i}]`,
        ]),
    );
  }
  if (o.tensors && o.launcher) {
    choices.push(
      fc
        .constantFrom<TensorState>('destroyed', 'foreign', 'forged', 'stale')
        .map((state) => [
          { t: 'tensor', shape: [...shape], data: data(n, 6), state },
          state === 'stale' ? 'DeviceLostError' : 'InvalidArgumentError',
          `a ${state} Tensor`,
        ]),
    );
  }
  return fc.oneof(...choices);
}

/** Replaces argument `i` of a valid call by a broken tensor. */
function breakArg(base: Made, i: number, shape: readonly number[], o: FuzzOptions, name: string, required = true): fc.Arbitrary<Made> {
  return brokenTensor(shape, o, required).map(([spec, error, what]) => {
    const args = [...base.args];
    args[i] = spec;
    return { args, expect: fails(error), label: `${base.label}; ${name}: ${what}` };
  });
}

/** Sets (or with `undefined`, removes) option `key` of the options object at argument `i`. */
function withOption(base: Made, i: number, key: string, value: Spec | undefined, expect: Expect, what: string): Made {
  const args = [...base.args];
  const prev = args[i];
  const fields: [string, Spec][] = prev && prev.t === 'object' ? prev.fields.filter(([k]) => k !== key) : [];
  if (value) fields.push([key, value]);
  args[i] = { t: 'object', fields };
  return { args, expect, label: `${base.label}; ${what}` };
}

/** Replaces argument `i`. */
function withArg(base: Made, i: number, spec: Spec, expect: Expect, what: string): Made {
  const args = [...base.args];
  args[i] = spec;
  return { args, expect, label: `${base.label}; ${what}` };
}

/** A valid case half the time, else that case with one hostile change. */
function validOrBroken(valid: fc.Arbitrary<Made>, breaks: (base: Made) => fc.Arbitrary<Made>): fc.Arbitrary<Made> {
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: valid.chain(breaks) });
}

/** Names the kernel. */
const as =
  (kernel: string) =>
  (m: Made): FuzzCase => ({ kernel, ...m });

// ---------------------------------------------------------------- matmul

interface MatmulModel {
  batch: number;
  M: number;
  N: number;
  K: number;
  tA: boolean;
  tB: boolean;
  /** 0: both batched, 1: a rank 2, 2: b rank 2. */
  bcast: number;
}

function matmulShapes(m: MatmulModel): [number[], number[]] {
  const a = m.tA ? [m.K, m.M] : [m.M, m.K];
  const b = m.tB ? [m.N, m.K] : [m.K, m.N];
  return [m.batch > 0 && m.bcast !== 1 ? [m.batch, ...a] : a, m.batch > 0 && m.bcast !== 2 ? [m.batch, ...b] : b];
}

/** matmul(a, b, options) calls. */
export function matmulCases(o: FuzzOptions, specials: readonly Num[] = IEEE_SPECIALS): fc.Arbitrary<FuzzCase> {
  const variants = ['auto', ...MATMUL_VARIANTS.filter((v) => v !== 'subgroup' || o.subgroups)];
  const model = fc.record({
    batch: fc.constantFrom(0, 0, 1, 2, 3),
    M: dimArb(),
    N: dimArb(),
    K: dimArb(),
    tA: fc.boolean(),
    tB: fc.boolean(),
    bcast: fc.constantFrom(0, 1, 2),
  });
  const valid = fc
    .tuple(
      model,
      fc.option(fc.constantFrom(...variants), { nil: undefined }),
      fc.option(fc.integer({ min: -16, max: 16 }), { nil: undefined }),
    )
    .chain(([m, variant, alpha]) => {
      const [as_, bs] = matmulShapes(m);
      return fc.tuple(fc.constant(m), validTensor(as_, o, specials), validTensor(bs, o, specials)).map(([m, a, b]) => {
        const opts = obj({
          variant: variant === undefined ? undefined : str(variant),
          transposeA: m.tA ? bool(true) : undefined,
          transposeB: m.tB ? bool(true) : undefined,
          alpha: alpha === undefined ? undefined : num(alpha / 8),
        });
        return { args: [a, b, opts], expect: OK, label: `a=[${as_}] b=[${bs}]`, m };
      });
    });
  const breaks = (base: Made & { m?: MatmulModel }): fc.Arbitrary<Made> => {
    const m = base.m!;
    const [as_, bs] = matmulShapes(m);
    const choices: fc.Arbitrary<Made>[] = [
      breakArg(base, 0, as_, o, 'a'),
      breakArg(base, 1, bs, o, 'b'),
      badNameArb.map((v) => withOption(base, 2, 'variant', v, fails('InvalidArgumentError'), `variant ${JSON.stringify(v)}`)),
      fc
        .tuple(fc.constantFrom('transposeA', 'transposeB'), notABool)
        .map(([k, v]) => withOption(base, 2, k, v, fails('InvalidArgumentError'), `${k} ${JSON.stringify(v)}`)),
      notFinite.map((v) => withOption(base, 2, 'alpha', v, fails('InvalidArgumentError'), `alpha ${JSON.stringify(v)}`)),
      notAnObject.map((v) => withArg(base, 2, v, fails('InvalidArgumentError'), `options ${JSON.stringify(v)}`)),
      // Relational: inner dimensions, batches, ranks.
      seedArb.map((s) => {
        const b2 = matmulShapes({ ...m, K: m.K + 1 })[1];
        return withArg(base, 1, host(b2, s), fails('ShapeError'), `b=[${b2}]: inner dimensions differ`);
      }),
      seedArb.map((s) => {
        const a3 = [2, ...as_.slice(-2)];
        const b3 = [3, ...bs.slice(-2)];
        const args = [host(a3, s), host(b3, s + 1), base.args[2]!];
        return { args, expect: fails('ShapeError'), label: `a=[${a3}] b=[${b3}]: batches differ` };
      }),
      fc.tuple(fc.constantFrom(0, 1), seedArb, fc.boolean()).map(([i, s, flat]) => {
        const shape = i === 0 ? as_ : bs;
        const bad = flat ? [size(shape)] : [1, 1, ...shape.slice(-2)];
        return withArg(base, i, host(bad, s), fails('ShapeError'), `${i ? 'b' : 'a'}=[${bad}]: rank ${bad.length}`);
      }),
    ];
    if (o.launcher) {
      choices.push(
        // Device limits: an output past the storage buffer limit, from small or empty inputs.
        fc.constant({
          args: [host([100_000, 1], 7), host([1, 100_000], 8), obj({})],
          expect: fails('LimitExceededError'),
          label: 'output [100000, 100000]',
        }),
        fc.constant({
          args: [host([2 ** 31 - 1, 0], 7), host([0, 2 ** 31 - 1], 8), obj({})],
          expect: fails('LimitExceededError'),
          label: 'output [2³¹−1, 2³¹−1] from empty inputs',
        }),
      );
    }
    // Huge but empty: a legal call with an empty result.
    choices.push(
      fc.constant({ args: [host([0, 2 ** 31 - 1], 7), host([2 ** 31 - 1, 0], 8), obj({})], expect: OK, label: 'empty [0, 0] from huge K' }),
    );
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('matmul'));
}

// ---------------------------------------------------------------- softmax

/** Valid softmax kernel configurations (src/kernels/softmax.ts `checkSoftmaxConfig`). */
const softmaxConfigArb: fc.Arbitrary<Spec> = fc.oneof(
  fc
    .tuple(fc.constantFrom(8, 32, 64), fc.integer({ min: 1, max: 4 }))
    .map(([wg, rpi]) => obj({ variant: str('rows'), workgroupSize: num(wg), rowsPerInvocation: num(rpi) })),
  fc
    .tuple(fc.constantFrom(32, 64), fc.constantFrom(4, 8, 32))
    .map(([wg, lpr]) => obj({ variant: str('workgroup'), workgroupSize: num(wg), lanesPerRow: num(lpr) })),
);

/** Broken softmax configurations and their errors (past the device's limits: LimitExceededError). */
const badSoftmaxConfigArb: fc.Arbitrary<[Spec, ErrorName]> = fc.oneof(
  fc
    .constantFrom<Spec>(
      { t: 'null' },
      str('rows'),
      nums([1]),
      obj({}),
      obj({ variant: str('constructor'), workgroupSize: num(8) }),
      obj({ variant: str('rows'), workgroupSize: num(8), rowsPerInvocation: num(1), lanesPerRow: num(4) }),
      obj({ variant: str('rows'), workgroupSize: num(0), rowsPerInvocation: num(1) }),
      obj({ variant: str('rows'), workgroupSize: num(8), rowsPerInvocation: num(17) }),
      obj({ variant: str('rows'), workgroupSize: num(8), rowsPerInvocation: num('NaN') }),
      obj({ variant: str('workgroup'), workgroupSize: num(64), lanesPerRow: num(3) }),
      obj({ variant: str('workgroup'), workgroupSize: num(64), lanesPerRow: num(128) }),
      obj({ variant: str('workgroup'), workgroupSize: num(1.5), lanesPerRow: num(1) }),
    )
    .map((v): [Spec, ErrorName] => [v, 'InvalidArgumentError']),
  fc.constant<[Spec, ErrorName]>([
    obj({ variant: str('rows'), workgroupSize: num(1 << 20), rowsPerInvocation: num(1) }),
    'LimitExceededError',
  ]),
);

/**
 * softmax(x, {bias, log}) calls. Specials: −∞ (a masked entry). Not NaN or +∞ by default:
 * the reference makes a row with a NaN logit all NaN (IEEE), while the kernels do so only
 * for short rows (a row of 22 with one NaN comes back as NaN there and 0 elsewhere; log-softmax
 * gives finite values beside the NaN), and softmax([+∞, 1]) comes back [NaN, 0]: kernel
 * issues reported with issue 10. Pass `specials` to fuzz them.
 */
export function softmaxCases(o: FuzzOptions, specials: readonly Num[] = ['-Infinity']): fc.Arbitrary<FuzzCase> {
  const model = fc.record({
    lead: fc.array(dimArb(6), { maxLength: 2 }),
    L: dimArb(40),
    biasRank: fc.nat(3),
    log: fc.option(fc.boolean(), { nil: undefined }),
    masked: fc.boolean(),
    config: o.launcher ? fc.option(softmaxConfigArb, { nil: undefined, freq: 3 }) : fc.constant(undefined),
  });
  const valid = model.chain((m) => {
    const shape = [...m.lead, m.L];
    const biasShape = m.biasRank === 0 ? null : shape.slice(Math.max(0, shape.length - m.biasRank));
    // −∞ in the logits or the bias masks an entry.
    const mask: Partial<Data> = m.masked ? { specials: [[1, '-Infinity']] } : {};
    return fc
      .tuple(validTensor(shape, o, specials, { scale: 4 }), biasShape ? validTensor(biasShape, o, specials, mask) : fc.constant(undefined))
      .map(([x, bias]) => ({
        args: [x, obj({ bias, log: m.log === undefined ? undefined : bool(m.log), config: m.config })],
        expect: OK,
        label: `x=[${shape}] bias=${biasShape ? `[${biasShape}]` : 'none'}`,
        shape,
        biasShape,
      }));
  });
  const breaks = (base: Made & { shape?: number[]; biasShape?: number[] | null }): fc.Arbitrary<Made> => {
    const shape = base.shape!;
    const biasShape = base.biasShape ?? shape.slice(-1);
    const choices: fc.Arbitrary<Made>[] = [
      breakArg(base, 0, shape, o, 'x'),
      brokenTensor(biasShape, o, false).map(([spec, error, what]) =>
        withOption(base, 1, 'bias', spec, fails(error), `bias [${biasShape}]: ${what}`),
      ),
      notABool.map((v) => withOption(base, 1, 'log', v, fails('InvalidArgumentError'), `log ${JSON.stringify(v)}`)),
      notAnObject.map((v) => withArg(base, 1, v, fails('InvalidArgumentError'), `options ${JSON.stringify(v)}`)),
      seedArb.map((s) => withArg(base, 0, host([], s), fails('ShapeError'), 'x of rank 0')),
      seedArb.map((s) => {
        const b = [...shape.slice(0, -1), shape[shape.length - 1]! + 1];
        return withOption(base, 1, 'bias', host(b, s), fails('ShapeError'), `bias [${b}] not trailing dims of x`);
      }),
      seedArb.map((s) => {
        const b = [1, ...shape];
        return withOption(base, 1, 'bias', host(b, s), fails('ShapeError'), `bias [${b}] longer than x`);
      }),
    ];
    if (o.launcher) {
      choices.push(badSoftmaxConfigArb.map(([v, error]) => withOption(base, 1, 'config', v, fails(error), `config ${JSON.stringify(v)}`)));
    }
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('softmax'));
}

// ---------------------------------------------------------------- attention

interface AttentionModel {
  rank: number;
  B: number;
  /** Query heads, a multiple of the key/value heads (grouped-query attention). */
  H: number;
  Hkv: number;
  Nq: number;
  Nk: number;
  d: number;
  dv: number;
}

/** Valid flash configurations (src/kernels/attention/flash-config.ts `validateFlashConfig`). */
const flashConfigArb: fc.Arbitrary<Spec> = fc.oneof(
  fc.constant(obj({ layout: str('workgroup') })),
  fc.constantFrom(8, 16, 64).map((wg) => obj({ layout: str('rows'), WG: num(wg) })),
  fc
    .tuple(fc.constantFrom(1, 4, 8), fc.constantFrom(4, 8, 12, 16), fc.constantFrom(4, 8, 16), fc.constantFrom('registers', 'buffer'))
    .map(([wg, R, KB, acc]) => obj({ layout: str('rows'), WG: num(wg), R: num(R), KB: num(KB), acc: str(acc) })),
  fc
    .tuple(fc.constantFrom(16, 64), fc.constantFrom(4, 16, 128))
    .map(([wg, k]) => obj({ layout: str('splitk'), WG: num(wg), keysPerSplit: num(k) })),
);

/** Broken flash configurations. */
const badFlashConfigArb: fc.Arbitrary<Spec> = fc.constantFrom<Spec>(
  { t: 'null' },
  str('rows'),
  obj({}),
  obj({ layout: str('__proto__') }),
  obj({ layout: str('rows') }),
  obj({ layout: str('rows'), WG: num(0) }),
  obj({ layout: str('rows'), WG: num(1e9) }),
  obj({ layout: str('rows'), WG: num(1.5) }),
  obj({ layout: str('rows'), WG: num(8), R: num(5) }),
  obj({ layout: str('rows'), WG: num(8), KB: num(32) }),
  obj({ layout: str('rows'), WG: num(8), acc: str('stack') }),
  obj({ layout: str('splitk'), WG: num(16) }),
  obj({ layout: str('splitk'), WG: num(16), keysPerSplit: num(0) }),
  obj({ layout: str('splitk'), WG: num(16), keysPerSplit: num(2 ** 21) }),
);

/** The exact variants' extra options: sliding window, ALiBi, soft-capping, and (flash) split-K. */
function exactOptionsArb(variant: 'naive' | 'flash', m: AttentionModel): fc.Arbitrary<Record<string, Spec>> {
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
  return fc
    .record({
      window: maybe(fc.integer({ min: 0, max: m.Nk + 2 })),
      windowRight: maybe(fc.integer({ min: 0, max: 3 })),
      alibi: maybe(
        fc.oneof(
          fc.constant<Spec>(bool(true)),
          fc.array(fc.integer({ min: 0, max: 8 }), { minLength: m.H, maxLength: m.H }).map((xs) => nums(xs.map((x) => x / 8))),
        ),
      ),
      softcap: maybe(fc.integer({ min: 1, max: 30 })),
      splitK: variant === 'flash' ? maybe(fc.boolean()) : fc.constant(undefined),
      config: variant === 'flash' ? maybe(flashConfigArb) : fc.constant(undefined),
    })
    .map((x) => {
      const out: Record<string, Spec> = {};
      if (x.window !== undefined) out.window = num(x.window);
      if (x.windowRight !== undefined) out.windowRight = num(x.windowRight);
      if (x.alibi !== undefined) out.alibi = x.alibi;
      if (x.softcap !== undefined) out.softcap = num(x.softcap);
      if (x.splitK !== undefined) out.splitK = bool(x.splitK);
      // A given configuration must agree with splitK: give one only without it.
      else if (x.config !== undefined) out.config = x.config;
      return out;
    });
}

function attentionShapes(m: AttentionModel): [number[], number[], number[]] {
  const lead = (h: number) => (m.rank === 4 ? [m.B, h] : m.rank === 3 ? [h] : []);
  return [
    [...lead(m.H), m.Nq, m.d],
    [...lead(m.Hkv), m.Nk, m.d],
    [...lead(m.Hkv), m.Nk, m.dv],
  ];
}

/**
 * attention(q, k, v, options) calls for one variant. Specials: −∞ in the bias (a mask);
 * none in q, k, v by default: a masked key's NaN value reaches the output through 0·NaN in
 * the naive and linear kernels (v = [5, NaN] with keyLengths [1] gives NaN, the reference 5),
 * and a fully masked row with a NaN query gives NaN in linear, 0 in the reference: kernel
 * issues reported with issue 10. Pass `specials` to fuzz them.
 */
export function attentionCases(
  variant: 'naive' | 'flash' | 'linear',
  o: FuzzOptions,
  specials: readonly Num[] = [],
): fc.Arbitrary<FuzzCase> {
  const model = fc
    .record({
      rank: fc.constantFrom(4, 4, 3, 2),
      B: fc.integer({ min: 1, max: 2 }),
      Hkv: fc.integer({ min: 1, max: 2 }),
      group: fc.constantFrom(1, 1, 2),
      Nq: dimArb(16),
      Nk: dimArb(16),
      d: dimArb(16, false),
      dv: fc.option(dimArb(16, false), { nil: undefined }),
    })
    .map((m) => ({
      rank: m.rank,
      B: m.rank === 4 ? m.B : 1,
      H: m.rank >= 3 ? m.Hkv * m.group : 1,
      Hkv: m.rank >= 3 ? m.Hkv : 1,
      Nq: m.Nq,
      Nk: m.Nk,
      d: m.d,
      dv: m.dv ?? m.d,
    }));
  const valid = model.chain((m) => {
    const [qs, ks, vs] = attentionShapes(m);
    const masking = fc.oneof(
      fc.constant({} as Record<string, Spec>),
      fc.array(fc.integer({ min: 0, max: m.Nk }), { minLength: m.B, maxLength: m.B }).map((kl) => ({ keyLengths: nums(kl) })),
      fc.tuple(seedArb, fc.boolean()).map(([s, flat]) => ({
        keyPaddingMask: host(flat && m.B === 1 ? [m.Nk] : [m.B, m.Nk], s, { integers: true, scale: 2 }),
      })),
    );
    const fullBias = [[m.Nk], [m.Nq, m.Nk], [m.H, m.Nq, m.Nk], [m.B, m.H, m.Nq, m.Nk]];
    const bias = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(...(variant === 'linear' ? fullBias.slice(0, 1) : fullBias)).chain((shape) =>
        // −∞ in the bias masks a key (or a logit).
        validTensor(shape, o, [], { specials: [[2, '-Infinity']] }).map((spec) => ({ spec, shape })),
      ),
    );
    return fc
      .tuple(
        // Values in [−1, 1), the scale of the attention tests' N(0, 1) data: logits up to 2·d·scale. (At
        // [−2, 2), softcap's f32 tanh on SwiftShader passed the tolerance bound by 0.4 % once: reported.)
        validTensor(qs, o, specials, { scale: 1 }),
        validTensor(ks, o, specials, { scale: 1 }),
        validTensor(vs, o, specials),
        masking,
        bias,
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        fc.boolean(),
        variant === 'linear' ? fc.constant({}) : exactOptionsArb(variant, m),
      )
      .map(([q, k, v, mask, b, causal, scale, named, exact]) => ({
        args: [
          q,
          k,
          v,
          obj({
            variant: named || variant !== 'flash' ? str(variant) : undefined,
            causal: causal === undefined ? undefined : bool(causal),
            scale: scale === undefined ? undefined : num(scale / 20),
            bias: b?.spec,
            ...mask,
            ...exact,
          }),
        ],
        expect: OK,
        label: `${variant} q=[${qs}] k=[${ks}] v=[${vs}] ${[...Object.keys(mask), ...Object.keys(exact)].join(' ')}${b ? ` bias [${b.shape}]` : ''}`,
        m,
        hasMask: 'keyPaddingMask' in mask,
      }));
  });
  const breaks = (base: Made & { m?: AttentionModel; hasMask?: boolean }): fc.Arbitrary<Made> => {
    const m = base.m!;
    const [qs, ks, vs] = attentionShapes(m);
    const opt = (key: string, value: Spec | undefined, error: ErrorName, what: string) =>
      withOption(base, 3, key, value, fails(error), what);
    const reshaped = (i: number, shape: number[], what: string) =>
      seedArb.map((s) => withArg(base, i, host(shape, s), fails('ShapeError'), what));
    const lead = qs.slice(0, -2);
    const choices: fc.Arbitrary<Made>[] = [
      breakArg(base, 0, qs, o, 'q'),
      breakArg(base, 1, ks, o, 'k'),
      breakArg(base, 2, vs, o, 'v'),
      brokenTensor([m.Nk], o, false).map(([spec, error, what]) => {
        const b = withOption(base, 3, 'bias', spec, fails(error), `bias [${m.Nk}]: ${what}`);
        return b;
      }),
      brokenTensor([m.B, m.Nk], o, false).map(([spec, error, what]) => {
        const without = withOption(base, 3, 'keyLengths', undefined, OK, '');
        return withOption(without, 3, 'keyPaddingMask', spec, fails(error), `keyPaddingMask [${m.B}, ${m.Nk}]: ${what}`);
      }),
      badNameArb.map((v) => opt('variant', v, 'InvalidArgumentError', `variant ${JSON.stringify(v)}`)),
      notABool.map((v) => opt('causal', v, 'InvalidArgumentError', `causal ${JSON.stringify(v)}`)),
      fc
        .oneof(notFiniteOrNull, fc.constantFrom(num(0), num(-1), num('-0')))
        .map((v) => opt('scale', v, 'InvalidArgumentError', `scale ${JSON.stringify(v)}`)),
      notAnObject.map((v) => withArg(base, 3, v, fails('InvalidArgumentError'), `options ${JSON.stringify(v)}`)),
      // The exact variants' options: window sizes, ALiBi slopes, soft-cap, split-K.
      fc
        .tuple(
          fc.constantFrom('window', 'windowRight'),
          fc.constantFrom<Spec>(num(-1), num(1.5), num('NaN'), num('Infinity'), str('3'), { t: 'null' }, num(2 ** 31), num(2 ** 53)),
        )
        .map(([k, v]) => opt(k, v, 'InvalidArgumentError', `${k} ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(
          nums(new Array(m.H + 1).fill(0.5)),
          nums(new Array(m.H).fill('NaN')),
          { t: 'array', items: new Array(m.H).fill(num(0.5)), holes: [0] },
          { t: 'array', items: [str('0.5'), ...new Array(m.H - 1).fill(num(0.5))] },
          str('true'),
          num(1),
          obj({}),
          { t: 'null' },
        )
        .map((v) => opt('alibi', v, 'InvalidArgumentError', `alibi ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(num(0), num(-1), num('NaN'), num('Infinity'), str('5'), { t: 'null' }, bool(true))
        .map((v) => opt('softcap', v, 'InvalidArgumentError', `softcap ${JSON.stringify(v)}`)),
      notABool.map((v) => opt('splitK', v, 'InvalidArgumentError', `splitK ${JSON.stringify(v)}`)),
      // Key lengths: wrong count, out of range, not integers, not numbers, sparse, not an array.
      fc
        .oneof(
          fc.constant(nums(new Array(m.B + 1).fill(0))),
          fc.constant(nums(new Array(m.B).fill(m.Nk + 1))),
          fc.constant(nums(new Array(m.B).fill(-1))),
          fc.constant(nums(new Array(m.B).fill(0.5))),
          fc.constant(nums(new Array(m.B).fill('NaN'))),
          notANumber.map((bad): Spec => ({ t: 'array', items: [bad, ...new Array(m.B - 1).fill(num(0))] })),
          fc.constant<Spec>({ t: 'array', items: new Array(m.B).fill(num(0)), holes: [0] }),
          fc.constantFrom<Spec>(str('1'), num(1), { t: 'null' }, obj({ length: num(m.B) })),
        )
        .map((kl) => {
          const without = withOption(base, 3, 'keyPaddingMask', undefined, OK, '');
          return withOption(without, 3, 'keyLengths', kl, fails('InvalidArgumentError'), `keyLengths ${JSON.stringify(kl)}`);
        }),
      seedArb.map((s) => {
        const both = withOption(base, 3, 'keyLengths', nums(new Array(m.B).fill(m.Nk)), OK, '');
        return withOption(both, 3, 'keyPaddingMask', host([m.B, m.Nk], s), fails('InvalidArgumentError'), 'keyLengths and keyPaddingMask');
      }),
      seedArb.map((s) => {
        const without = withOption(base, 3, 'keyLengths', undefined, OK, '');
        return withOption(
          without,
          3,
          'keyPaddingMask',
          host([m.B, m.Nk + 1], s),
          fails('ShapeError'),
          `keyPaddingMask [${m.B}, ${m.Nk + 1}]`,
        );
      }),
      seedArb.map((s) => opt('bias', host([m.Nk + 1], s), 'ShapeError', `bias [${m.Nk + 1}]`)),
      seedArb.map((s) => opt('bias', host([m.Nq + 1, m.Nk], s), 'ShapeError', `bias [${m.Nq + 1}, ${m.Nk}]`)),
      // Relational shapes.
      reshaped(1, [...lead, m.Nk, m.d + 1], 'k head dim differs'),
      reshaped(2, [...lead, m.Nk + 1, m.dv], 'v key count differs'),
      reshaped(1, [...ks.slice(1)], 'k rank differs'),
      reshaped(0, [1, ...qs], 'q rank differs'),
      seedArb.map((s) => {
        const r5 = (shape: number[]) => [1, 1, 1, ...shape.slice(-2)];
        return {
          args: [host(r5(qs), s), host(r5(ks), s + 1), host(r5(vs), s + 2), base.args[3]!],
          expect: fails('ShapeError'),
          label: 'rank 5',
        };
      }),
      seedArb.map((s) => ({
        args: [host([1, 2, m.Nq, m.d], s), host([1, 3, m.Nk, m.d], s + 1), host([1, 3, m.Nk, m.dv], s + 2), obj({ variant: str(variant) })],
        expect: fails('ShapeError'),
        label: 'head counts differ',
      })),
      fc.constant({
        args: [host([1, 1, m.Nq, 0], 1), host([1, 1, m.Nk, 0], 2), host([1, 1, m.Nk, m.dv], 3), obj({ variant: str(variant) })],
        expect: fails('ShapeError'),
        label: 'head dim 0',
      }),
      // A batch no data backs (H = 0): bounded before any list is built from it.
      fc.constant({
        args: [host([2 ** 25, 0, 4, 8], 1), host([2 ** 25, 0, 4, 8], 2), host([2 ** 25, 0, 4, 8], 3), obj({ variant: str(variant) })],
        expect: fails('LimitExceededError'),
        label: 'B = 2²⁵ with H = 0',
      }),
    ];
    if (variant !== 'flash') choices.push(fc.constant(opt('splitK', bool(true), 'InvalidArgumentError', `splitK with ${variant}`)));
    if (variant === 'flash' && o.launcher) {
      choices.push(
        badFlashConfigArb.map((v) => {
          const alone = withOption(base, 3, 'splitK', undefined, OK, '');
          return withOption(alone, 3, 'config', v, fails('InvalidArgumentError'), `config ${JSON.stringify(v)}`);
        }),
        fc.constant(
          withOption(
            withOption(base, 3, 'splitK', bool(true), OK, ''),
            3,
            'config',
            obj({ layout: str('workgroup') }),
            fails('InvalidArgumentError'),
            'splitK with a workgroup config',
          ),
        ),
      );
    }
    if (variant === 'linear') {
      choices.push(
        fc
          .constantFrom<[string, Spec]>(['window', num(2)], ['windowRight', num(0)], ['softcap', num(5)], ['alibi', bool(true)])
          .map(([k, v]) => opt(k, v, 'InvalidArgumentError', `linear with ${k}`)),
      );
    }
    if (variant === 'linear' && m.Nq > 0) {
      choices.push(seedArb.map((s) => opt('bias', host([m.Nq, m.Nk], s), 'InvalidArgumentError', `linear with bias [${m.Nq}, ${m.Nk}]`)));
    }
    if (variant === 'naive' && o.launcher) {
      choices.push(
        fc.constant({
          args: [host([1, 1, 70_000, 1], 1), host([1, 1, 70_000, 1], 2), host([1, 1, 70_000, 1], 3), obj({ variant: str('naive') })],
          expect: fails('LimitExceededError'),
          label: "naive's 70000×70000 scores",
        }),
      );
    }
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('attention'));
}

// ---------------------------------------------------------------- ddpm

const scheduleArb = (maxT: number): fc.Arbitrary<Spec & { t: 'schedule' }> =>
  fc.record({ kind: fc.constantFrom<'linear' | 'cosine'>('linear', 'cosine'), T: fc.integer({ min: 1, max: maxT }) }).map((s) => ({
    t: 'schedule' as const,
    ...s,
  }));

/** Schedules that are not schedules. */
const notASchedule: fc.Arbitrary<Spec> = fc.constantFrom<Spec>(
  { t: 'null' },
  { t: 'undefined' },
  num(10),
  str('linear'),
  obj({}),
  obj({ T: num(1e9) }),
  obj({ T: num(10), alphaBar: nums([0.5]) }),
);

/** Noise keys, and keys that are broken. */
const keyArb = (stream: boolean): fc.Arbitrary<Spec> =>
  fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      stream: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
      step: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
    })
    .map((k) =>
      obj({
        seed: num(k.seed),
        stream: stream && k.stream !== undefined ? num(k.stream) : undefined,
        step: k.step === undefined ? undefined : num(k.step),
      }),
    );

const badKeyArb: fc.Arbitrary<[Spec, string]> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('seed', 'stream', 'step'),
      // (null is "absent" for stream and step, which default to the kernel's stream and 0)
      fc.constantFrom<Spec>(num(-1), num(1.5), num(2 ** 32), num('NaN'), num('Infinity'), str('1'), bool(true)),
    )
    .map(([field, v]): [Spec, string] => [obj({ seed: num(1), [field]: v }), `key.${field} ${JSON.stringify(v)}`]),
  fc.constant<[Spec, string]>([obj({}), 'key without a seed']),
);

/** ddpm.forwardNoise(schedule, x0, t, noise) calls. */
export function forwardNoiseCases(o: FuzzOptions, specials: readonly Num[] = IEEE_SPECIALS): fc.Arbitrary<FuzzCase> {
  const model = fc.record({ schedule: scheduleArb(50), lead: fc.array(dimArb(8), { maxLength: 2 }), dim: dimArb(12), keyed: fc.boolean() });
  const valid = model.chain((m) => {
    const shape = [...m.lead, m.dim];
    const rows = m.dim === 0 ? 0 : size(m.lead);
    const t = data(rows, 0, { integers: true, scale: m.schedule.T, plain: true });
    return fc
      .tuple(validTensor(shape, o, specials), seedArb, m.keyed ? keyArb(true) : validTensor(shape, o, specials))
      .map(([x0, s, noise]) => ({
        args: [m.schedule, x0, { ...t, seed: s }, noise],
        expect: OK,
        label: `T=${m.schedule.T} x0=[${shape}] ${m.keyed ? 'Philox' : 'eps'}`,
        shape,
        rows,
        T: m.schedule.T,
        keyed: m.keyed,
      }));
  });
  type Base = Made & { shape?: number[]; rows?: number; T?: number; keyed?: boolean };
  const breaks = (base: Base): fc.Arbitrary<Made> => {
    const { shape, rows, T } = base as Required<Base>;
    const choices: fc.Arbitrary<Made>[] = [
      notASchedule.map((s) => withArg(base, 0, s, fails('InvalidArgumentError'), `schedule ${JSON.stringify(s)}`)),
      breakArg(base, 1, shape, o, 'x0'),
      seedArb.map((s) => withArg(base, 1, host([], s), fails('ShapeError'), 'x0 of rank 0')),
      fc
        .constantFrom(1, -1)
        .filter((d) => rows + d >= 0)
        .map((d) =>
          withArg(base, 2, data(rows + d, 1, { integers: true, scale: T, plain: true }), fails('ShapeError'), `t of length ${rows + d}`),
        ),
      fc
        .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, num(rows), str('0'), obj({ length: num(rows) }))
        .map((v) => withArg(base, 2, v, fails('InvalidArgumentError'), `t ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, num(1), str('noise'), bool(true), { t: 'bigint' }, { t: 'symbol' })
        .map((v) => withArg(base, 3, v, fails('InvalidArgumentError'), `noise ${JSON.stringify(v)}`)),
      badKeyArb.map(([k, what]) => withArg(base, 3, k, fails('InvalidArgumentError'), what)),
      breakArg(base, 3, shape, o, 'eps').filter((c) => c.args[3]!.t !== 'undefined' && c.args[3]!.t !== 'null'),
      seedArb.map((s) => withArg(base, 3, host([...shape, 1], s), fails('ShapeError'), 'eps of another shape')),
    ];
    if (rows > 0) {
      choices.push(
        fc
          .tuple(
            fc.nat(rows - 1),
            fc.oneof(
              fc.constantFrom<Spec>(num(T), num(-1), num(0.5), num('NaN'), num('Infinity')),
              notANumber.filter((s) => s.t !== 'undefined'),
            ),
          )
          .map(([i, v]) =>
            withArg(
              base,
              2,
              data(rows, 2, { integers: true, scale: T, plain: true, bad: [[i, v]] }),
              fails('InvalidArgumentError'),
              `t[${i}] ${JSON.stringify(v)}`,
            ),
          ),
        fc
          .nat(rows - 1)
          .map((i) =>
            withArg(
              base,
              2,
              data(rows, 2, { integers: true, scale: T, plain: true, holes: [i] }),
              fails('InvalidArgumentError'),
              `a hole at t[${i}]`,
            ),
          ),
      );
    }
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('ddpm.forwardNoise'));
}

/** ddpm.reverseStep(c, x, pred, noise) calls. */
export function reverseStepCases(o: FuzzOptions, specials: readonly Num[] = IEEE_SPECIALS): fc.Arbitrary<FuzzCase> {
  const coef = fc
    .tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 }), fc.integer({ min: 0, max: 20 }))
    .map(([a, b, s]) => ({ ca: a / 16, cb: b / 16, sigma: s / 16 }));
  const model = fc.record({
    shape: fc.array(dimArb(12), { minLength: 1, maxLength: 3 }),
    c: coef,
    noise: fc.constantFrom('null', 'key', 'z'),
  });
  const valid = model.chain((m) =>
    fc
      .tuple(
        validTensor(m.shape, o, specials),
        validTensor(m.shape, o, specials),
        m.noise === 'null' ? fc.constant<Spec>({ t: 'null' }) : m.noise === 'key' ? keyArb(true) : validTensor(m.shape, o, specials),
      )
      .map(([x, pred, noise]) => ({
        args: [obj({ ca: num(m.c.ca), cb: num(m.c.cb), sigma: num(m.c.sigma) }), x, pred, noise],
        expect: OK,
        label: `x=[${m.shape}] noise ${m.noise}`,
        shape: m.shape,
        c: m.c,
      })),
  );
  type Base = Made & { shape?: number[]; c?: { ca: number; cb: number; sigma: number } };
  const breaks = (base: Base): fc.Arbitrary<Made> => {
    const shape = base.shape!;
    const c = base.c!;
    return fc.oneof(
      fc
        .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, num(1), str('ddpm'))
        .map((v) => withArg(base, 0, v, fails('InvalidArgumentError'), `coefficients ${JSON.stringify(v)}`)),
      fc
        .tuple(fc.constantFrom('ca', 'cb', 'sigma'), fc.oneof(notFiniteOrNull, fc.constant<Spec>({ t: 'undefined' })))
        .map(([k, v]) =>
          withArg(
            base,
            0,
            obj({ ...{ ca: num(c.ca), cb: num(c.cb), sigma: num(c.sigma) }, [k]: v }),
            fails('InvalidArgumentError'),
            `${k} ${JSON.stringify(v)}`,
          ),
        ),
      breakArg(base, 1, shape, o, 'x'),
      breakArg(base, 2, shape, o, 'pred'),
      seedArb.map((s) => withArg(base, 2, host([...shape, 1], s), fails('ShapeError'), 'pred of another shape')),
      breakArg(base, 3, shape, o, 'z').filter((x) => x.args[3]!.t !== 'null' && x.args[3]!.t !== 'undefined'),
      seedArb.map((s) => withArg(base, 3, host([...shape, 2], s), fails('ShapeError'), 'z of another shape')),
      fc
        .constantFrom<Spec>({ t: 'undefined' }, num(1), str('noise'), bool(false), { t: 'symbol' })
        .map((v) => withArg(base, 3, v, fails('InvalidArgumentError'), `noise ${JSON.stringify(v)}`)),
      badKeyArb.map(([k, what]) => withArg(base, 3, k, fails('InvalidArgumentError'), what)),
    );
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('ddpm.reverseStep'));
}

/** ddpm.randomNormal(shape, key) calls. */
export function randomNormalCases(o: FuzzOptions): fc.Arbitrary<FuzzCase> {
  const valid = fc.tuple(fc.array(dimArb(24), { maxLength: 3 }), keyArb(true)).map(([shape, key]) => ({
    args: [nums(shape), key],
    expect: OK,
    label: `shape [${shape}]`,
    shape,
  }));
  const breaks = (base: Made & { shape?: number[] }): fc.Arbitrary<Made> => {
    const shape = base.shape!;
    const choices: fc.Arbitrary<Made>[] = [
      fc
        .constantFrom<Spec>(str('3'), num(3), { t: 'null' }, { t: 'undefined' }, obj({ length: num(1) }))
        .map((v) => withArg(base, 0, v, fails('InvalidArgumentError'), `shape ${JSON.stringify(v)}`)),
      fc.constant(withArg(base, 0, nums(new Array(17).fill(1)), fails('ShapeError'), 'rank 17')),
      fc
        .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, num(1), str('seed'))
        .map((v) => withArg(base, 1, v, fails('InvalidArgumentError'), `key ${JSON.stringify(v)}`)),
      badKeyArb.map(([k, what]) => withArg(base, 1, k, fails('InvalidArgumentError'), what)),
      // Huge but empty: legal, an empty tensor.
      fc.constant(withArg(base, 0, nums([0, 2 ** 31 - 1]), OK, 'shape [0, 2³¹−1]')),
    ];
    if (shape.length > 0) {
      choices.push(
        fc.tuple(fc.nat(shape.length - 1), badDimArb).map(([i, [dim, error, what]]) => {
          const items = shape.map((x) => num(x));
          const spec: Spec = { t: 'array', items, holes: [] };
          if (dim === 'hole') spec.holes = [i];
          else items[i] = dim;
          return withArg(base, 0, spec, fails(error), `${what} at index ${i}`);
        }),
      );
    }
    if (o.launcher) choices.push(fc.constant(withArg(base, 0, nums([2 ** 31 - 1]), fails('LimitExceededError'), 'shape [2³¹−1]')));
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('ddpm.randomNormal'));
}

/** ddpm.sample(schedule, denoiser, options) calls, with a smooth CPU denoiser behind the GPU interface. */
export function sampleCases(o: FuzzOptions): fc.Arbitrary<FuzzCase> {
  const model = fc
    .record({
      schedule: scheduleArb(12),
      sampler: fc.constantFrom('ddpm', 'ddim'),
      steps: fc.integer({ min: 1, max: 12 }),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      n: fc.integer({ min: 1, max: 4 }),
      dim: fc.integer({ min: 1, max: 3 }),
      gain: fc.integer({ min: 0, max: 8 }),
      target: fc.constantFrom<'eps' | 'x0'>('eps', 'x0'),
      eta: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      variance: fc.option(fc.constantFrom('beta', 'posterior'), { nil: undefined }),
      xT: fc.boolean(),
    })
    .map((m) => ({ ...m, steps: Math.min(m.steps, m.schedule.T) }));
  const valid = model.chain((m) =>
    (m.xT ? validTensor([m.n, m.dim], o, []).map((x) => x as Spec | undefined) : fc.constant(undefined)).map((xT) => ({
      args: [
        m.schedule,
        { t: 'denoiser', dim: m.dim, gain: m.gain / 8, target: m.target } as Spec,
        obj({
          sampler: str(m.sampler),
          steps: num(m.steps),
          seed: num(m.seed),
          n: num(m.n),
          eta: m.eta === undefined ? undefined : num(m.eta / 4),
          variance: m.variance === undefined ? undefined : str(m.variance),
          xT,
        }),
      ],
      expect: OK,
      label: `${m.sampler} T=${m.schedule.T} steps=${m.steps} n=${m.n} dim=${m.dim}`,
      m,
    })),
  );
  type M = typeof model extends fc.Arbitrary<infer T> ? T : never;
  const breaks = (base: Made & { m?: M }): fc.Arbitrary<Made> => {
    const m = base.m!;
    const opt = (key: string, v: Spec | undefined, e: ErrorName, what: string) => withOption(base, 2, key, v, fails(e), what);
    const choices: fc.Arbitrary<Made>[] = [
      notASchedule.map((s) => withArg(base, 0, s, fails('InvalidArgumentError'), `schedule ${JSON.stringify(s)}`)),
      fc
        .constantFrom<Spec>(
          { t: 'null' },
          { t: 'undefined' },
          num(2),
          obj({}),
          obj({ dim: num(0), target: str('eps'), predict: { t: 'function' } }),
          obj({ dim: num(2.5), target: str('eps'), predict: { t: 'function' } }),
          obj({ dim: num(2), target: str('constructor'), predict: { t: 'function' } }),
          obj({ dim: num(2), target: str('x0'), predict: num(1) }),
        )
        .map((d) => withArg(base, 1, d, fails('InvalidArgumentError'), `denoiser ${JSON.stringify(d)}`)),
      fc
        .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, str('ddim'), num(1))
        .map((v) => withArg(base, 2, v, fails('InvalidArgumentError'), `options ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(num(0), num(-1), num(1.5), num(2 ** 23), num('NaN'), str('4'), { t: 'undefined' })
        .map((v) => opt('n', v, 'InvalidArgumentError', `n ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(num(-1), num(0.5), num(2 ** 32), num('Infinity'), str('1'), { t: 'undefined' })
        .map((v) => opt('seed', v, 'InvalidArgumentError', `seed ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(num(0), num(m.schedule.T + 1), num(1.5), str('2'), { t: 'undefined' })
        .map((v) => opt('steps', v, 'InvalidArgumentError', `steps ${JSON.stringify(v)}`)),
      badRequiredNameArb.map((v) => opt('sampler', v, 'InvalidArgumentError', `sampler ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(num(0), num(-2), num(0.5), str('5'))
        .map((v) => opt('syncEvery', v, 'InvalidArgumentError', `syncEvery ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(num(1), str('log'), obj({}))
        .map((v) => opt('onStep', v, 'InvalidArgumentError', `onStep ${JSON.stringify(v)}`)),
      fc.constant(opt('signal', obj({ aborted: bool(false) }), 'InvalidArgumentError', 'signal not an AbortSignal')),
      seedArb.map((s) => opt('xT', host([m.n + 1, m.dim], s), 'ShapeError', `xT [${m.n + 1}, ${m.dim}]`)),
      brokenTensor([m.n, m.dim], o, false).map(([spec, error, what]) => opt('xT', spec, error, `xT: ${what}`)),
    ];
    if (m.sampler === 'ddim') {
      choices.push(
        fc
          .constantFrom<Spec>(num(-0.1), num(1.5), num('NaN'), str('0'))
          .map((v) => opt('eta', v, 'InvalidArgumentError', `eta ${JSON.stringify(v)}`)),
      );
    } else {
      choices.push(badNameArb.map((v) => opt('variance', v, 'InvalidArgumentError', `variance ${JSON.stringify(v)}`)));
    }
    if (o.launcher) {
      choices.push(
        fc.constant(
          withArg(
            base,
            1,
            obj({ dim: num(2 ** 31 - 1), target: str('eps'), predict: { t: 'function' } }),
            fails('LimitExceededError'),
            'samples [n, 2³¹−1]',
          ),
        ),
      );
    }
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('ddpm.sample'));
}

// ---------------------------------------------------------------- optimizer race and surface grid

const surfaceArb = fc
  .record({
    kind: fc.constantFrom(...SURFACE_KINDS),
    condition: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    rotation: fc.option(fc.integer({ min: -90, max: 90 }), { nil: undefined }),
    noise: fc.option(fc.constantFrom(0, 0.01, 0.1), { nil: undefined }),
    seed: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
  })
  .map((s) => ({
    kind: s.kind,
    spec: obj({
      kind: str(s.kind),
      condition: s.condition === undefined ? undefined : num(s.condition),
      rotation: s.rotation === undefined ? undefined : num(s.rotation),
      noise: s.noise === undefined ? undefined : num(s.noise),
      seed: s.seed === undefined ? undefined : num(s.seed),
    }),
  }));

/** Out-of-range values of each surface parameter (besides values that are not finite numbers). */
const SURFACE_OUT_OF_RANGE: Record<string, Num[]> = {
  condition: [0.5, 0, -1, 1e7],
  rotation: [],
  noise: [-1, 1e4],
  seed: [-1, 0.5, 2 ** 32],
};

/** Broken surfaces: bad kinds (inherited names first), bad parameters, not an object. */
const badSurfaceArb: fc.Arbitrary<[Spec, string]> = fc.oneof(
  badRequiredNameArb.map((k): [Spec, string] => [obj({ kind: k }), `surface.kind ${JSON.stringify(k)}`]),
  fc
    .constantFrom(...Object.keys(SURFACE_OUT_OF_RANGE))
    .chain((k) => fc.tuple(fc.constant(k), fc.oneof(notFinite, fc.constantFrom(num(0), ...SURFACE_OUT_OF_RANGE[k]!.map(num)))))
    .filter(([k, v]) => !(v.t === 'num' && v.n === 0 && k !== 'condition'))
    .map(([k, v]): [Spec, string] => [obj({ kind: str('quadratic'), [k]: v }), `surface.${k} ${JSON.stringify(v)}`]),
  fc
    .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, str('quadratic'), num(0), nums([]))
    .map((s): [Spec, string] => [s, `surface ${JSON.stringify(s)}`]),
);

const SGD_FAMILY = new Set(['sgd', 'momentum', 'nesterov']);

const optimizerArb = fc
  .record({
    kind: fc.constantFrom(...OPTIMIZER_KINDS),
    lr: fc.integer({ min: 1, max: 10 }),
    beta1: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
    weightDecay: fc.option(fc.constantFrom(0, 0.01, 0.1), { nil: undefined }),
    biasCorrection: fc.option(fc.boolean(), { nil: undefined }),
    schedule: fc.oneof(
      fc.constant(undefined),
      fc.constant(obj({ kind: str('constant') })),
      fc
        .tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }))
        .map(([e, g]) => obj({ kind: str('step'), every: num(e), gamma: num(g / 10) })),
      fc.integer({ min: 1, max: 20 }).map((t) => obj({ kind: str('cosine'), total: num(t), minLr: num(1e-6) })),
      fc.integer({ min: 1, max: 10 }).map((w) => obj({ kind: str('warmup'), warmup: num(w) })),
    ),
  })
  .map((c) =>
    obj({
      kind: str(c.kind),
      // Small steps keep every trajectory bounded, so f32 and f64 runs stay comparable.
      lr: num(c.lr * (SGD_FAMILY.has(c.kind) ? 1e-6 : 1e-3)),
      beta1: c.beta1 === undefined ? undefined : num(c.beta1 / 10),
      weightDecay: c.weightDecay === undefined ? undefined : num(c.weightDecay),
      biasCorrection: c.biasCorrection === undefined ? undefined : bool(c.biasCorrection),
      schedule: c.schedule,
    }),
  );

/** Broken optimizer configurations. */
const badOptimizerArb: fc.Arbitrary<[Spec, string]> = fc.oneof(
  badRequiredNameArb.map((k): [Spec, string] => [obj({ kind: k }), `optimizer kind ${JSON.stringify(k)}`]),
  fc
    .tuple(fc.constantFrom('lr', 'beta1', 'beta2', 'eps', 'weightDecay'), fc.oneof(notFinite, fc.constantFrom<Spec>(num(-1), num(1e4))))
    .map(([k, v]): [Spec, string] => [obj({ kind: str('adam'), [k]: v }), `optimizer ${k} ${JSON.stringify(v)}`]),
  notABool.map((v): [Spec, string] => [obj({ kind: str('adam'), biasCorrection: v }), `biasCorrection ${JSON.stringify(v)}`]),
  fc
    .constantFrom<Spec>(num(1), obj({}), bool(true))
    .map((v): [Spec, string] => [obj({ kind: str('sgd'), label: v }), `label ${JSON.stringify(v)}`]),
  badRequiredNameArb.map((k): [Spec, string] => [
    obj({ kind: str('sgd'), schedule: obj({ kind: k }) }),
    `schedule kind ${JSON.stringify(k)}`,
  ]),
  fc
    .constantFrom<Spec>(
      obj({ kind: str('step'), every: num(0), gamma: num(0.5) }),
      obj({ kind: str('step'), every: num(2), gamma: num(2) }),
      obj({ kind: str('cosine'), total: num(1.5) }),
      obj({ kind: str('cosine'), total: num(5), minLr: num(-1) }),
      obj({ kind: str('warmup') }),
      str('cosine'),
      num(3),
    )
    .map((s): [Spec, string] => [obj({ kind: str('sgd'), schedule: s }), `schedule ${JSON.stringify(s)}`]),
  fc
    .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, str('adam'), num(5), nums([]))
    .map((s): [Spec, string] => [s, `optimizer ${JSON.stringify(s)}`]),
);

/** race(input, options) calls. */
export function raceCases(o: FuzzOptions): fc.Arbitrary<FuzzCase> {
  const model = fc.record({
    surface: surfaceArb,
    optimizers: fc.array(optimizerArb, { minLength: 1, maxLength: 3 }),
    offsets: fc.array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4, max: 4 })), { minLength: 1, maxLength: 4 }),
    form: fc.constantFrom('points', 'flat', 'f32'),
    steps: fc.integer({ min: 0, max: 20 }),
    inner: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  });
  const valid = model.map((m) => {
    const [sx, sy] = SURFACE_VIEWS[m.surface.kind].start;
    const pts = m.offsets.map(([dx, dy]) => [sx + dx / 20, sy + dy / 20] as [number, number]);
    const starts: Spec =
      m.form === 'points' ? { t: 'array', items: pts.map((p) => nums(p)) } : m.form === 'flat' ? nums(pts.flat()) : f32Of(pts.flat());
    const input = obj({ surface: m.surface.spec, optimizers: { t: 'array', items: m.optimizers }, starts, steps: num(m.steps) });
    const args: Spec[] = [input];
    if (m.inner !== undefined) args.push(obj({ stepsPerDispatch: num(m.inner) }));
    return {
      args,
      expect: OK,
      label: `${m.surface.kind} ${m.optimizers.length} optimizers × ${pts.length} starts × ${m.steps} steps`,
      nPts: pts.length,
    };
  });
  const field = (base: Made, key: string, v: Spec | undefined, e: ErrorName, what: string): Made => {
    const input = base.args[0] as Spec & { t: 'object' };
    const fields = input.fields.filter(([k]) => k !== key);
    if (v) fields.push([key, v]);
    return { args: [{ t: 'object', fields }, ...base.args.slice(1)], expect: fails(e), label: `${base.label}; ${what}` };
  };
  const breaks = (base: Made): fc.Arbitrary<Made> => {
    const choices: fc.Arbitrary<Made>[] = [
      fc
        .constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, num(1), str('race'), nums([]))
        .map((v) => withArg(base, 0, v, fails('InvalidArgumentError'), `input ${JSON.stringify(v)}`)),
      badSurfaceArb.map(([s, what]) => field(base, 'surface', s, 'InvalidArgumentError', what)),
      fc.tuple(badOptimizerArb, fc.nat(2)).map(([[c, what], at]) => {
        const items: Spec[] = [obj({ kind: str('adam') }), obj({ kind: str('sgd') })];
        items.splice(at, 0, c);
        return field(base, 'optimizers', { t: 'array', items }, 'InvalidArgumentError', `optimizers[${at}]: ${what}`);
      }),
      fc.constant(
        field(
          base,
          'optimizers',
          { t: 'array', items: [obj({ kind: str('sgd') }), obj({ kind: str('adam') })], holes: [0] },
          'InvalidArgumentError',
          'a hole in optimizers',
        ),
      ),
      fc
        .constantFrom<Spec>({ t: 'null' }, str('adam'), obj({ kind: str('adam') }))
        .map((v) => field(base, 'optimizers', v, 'InvalidArgumentError', `optimizers ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(num(-1), num(1.5), num(100_001), num('NaN'), num('Infinity'), str('5'), { t: 'undefined' })
        .map((v) => field(base, 'steps', v, 'InvalidArgumentError', `steps ${JSON.stringify(v)}`)),
      fc.constant(field(base, 'starts', nums([0, 0, 1]), 'ShapeError', 'starts of 3 values')),
      fc.constant(field(base, 'starts', { t: 'array', items: [nums([0, 0]), nums([1, 1, 1])] }, 'ShapeError', 'a start of 3 coordinates')),
      fc
        .tuple(fc.oneof(notFiniteOrNull, fc.constant<Spec>({ t: 'undefined' })), fc.boolean())
        .map(([v, nested]) =>
          field(
            base,
            'starts',
            nested ? { t: 'array', items: [nums([0, 0]), { t: 'array', items: [num(1), v] }] } : { t: 'array', items: [num(0), v] },
            'InvalidArgumentError',
            `a start coordinate ${JSON.stringify(v)}`,
          ),
        ),
      fc.constant(
        field(
          base,
          'starts',
          { t: 'array', items: [num(0), num(0), num(1), num(1)], holes: [2] },
          'InvalidArgumentError',
          'a hole in starts',
        ),
      ),
      fc.constant(
        field(
          base,
          'starts',
          { t: 'array', items: [nums([0, 0]), nums([1, 1]), nums([2, 2])], holes: [1] },
          'InvalidArgumentError',
          'a hole among start points',
        ),
      ),
      fc
        .constantFrom<Spec>({ t: 'null' }, num(2), str('0,0'), obj({ length: num(2) }))
        .map((v) => field(base, 'starts', v, 'InvalidArgumentError', `starts ${JSON.stringify(v)}`)),
      // Sizes: a path past every limit (host limit first).
      fc
        .constant(field(base, 'starts', { t: 'data', length: 1000, seed: 1, scale: 1 }, 'LimitExceededError', 'path [n, 500, 100001, 3]'))
        .map((c) => field(c, 'steps', num(100_000), 'LimitExceededError', 'steps 100000')),
    ];
    if (o.launcher) {
      choices.push(
        fc.constantFrom<Spec>({ t: 'null' }, num(1), str('fast')).map((v) => ({
          args: [base.args[0]!, v],
          expect: fails('InvalidArgumentError'),
          label: `${base.label}; options ${JSON.stringify(v)}`,
        })),
        fc.constantFrom<Spec>(num(0), num(-1), num(1.5), num('NaN'), str('2'), num(1e9)).map((v) => ({
          args: [base.args[0]!, obj({ stepsPerDispatch: v })],
          expect: fails('InvalidArgumentError'),
          label: `${base.label}; stepsPerDispatch ${JSON.stringify(v)}`,
        })),
      );
    }
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks).map(as('race'));
}

/** A Float32Array spec holding exactly `values` (finite). */
function f32Of(values: number[]): Spec {
  return { t: 'data', length: values.length, seed: 0, scale: 0, specials: values.map((v, i) => [i, v] as [number, Num]) };
}

/** surfaceGrid({surface, resolution, domain}) calls. */
export function surfaceGridCases(): fc.Arbitrary<FuzzCase> {
  const valid = fc
    .record({
      surface: surfaceArb,
      res: fc.integer({ min: 2, max: 32 }),
      x0: fc.integer({ min: -50, max: 40 }),
      y0: fc.integer({ min: -50, max: 40 }),
      w: fc.integer({ min: 1, max: 50 }),
      h: fc.integer({ min: 1, max: 50 }),
    })
    .map((m) => ({
      args: [
        obj({
          surface: m.surface.spec,
          resolution: num(m.res),
          domain: nums([m.x0 / 10, (m.x0 + m.w) / 10, m.y0 / 10, (m.y0 + m.h) / 10]),
        }),
      ],
      expect: OK,
      label: `${m.surface.kind} ${m.res}×${m.res}`,
    }));
  const field = (base: Made, key: string, v: Spec | undefined, what: string): Made => {
    const input = base.args[0] as Spec & { t: 'object' };
    const fields = input.fields.filter(([k]) => k !== key);
    if (v) fields.push([key, v]);
    return { args: [{ t: 'object', fields }], expect: fails('InvalidArgumentError'), label: `${base.label}; ${what}` };
  };
  const breaks = (base: Made): fc.Arbitrary<Made> =>
    fc.oneof(
      fc.constantFrom<Spec>({ t: 'null' }, { t: 'undefined' }, num(3), str('grid'), nums([])).map((v) => ({
        args: [v],
        expect: fails('InvalidArgumentError'),
        label: `input ${JSON.stringify(v)}`,
      })),
      badSurfaceArb.map(([s, what]) => field(base, 'surface', s, what)),
      fc
        .constantFrom<Spec>(
          num(1),
          num(0),
          num(-4),
          num(4097),
          num(2.5),
          num('NaN'),
          num('Infinity'),
          str('8'),
          { t: 'undefined' },
          num(1e9),
        )
        .map((v) => field(base, 'resolution', v, `resolution ${JSON.stringify(v)}`)),
      fc
        .constantFrom<Spec>(
          nums([1, 0, 0, 1]),
          nums([0, 1, 1, 1]),
          nums([0, 1, 0]),
          nums([0, 1, 0, 1, 2]),
          nums([0, 'NaN', 0, 1]),
          nums([0, 'Infinity', 0, 1]),
          { t: 'array', items: [num(0), str('1'), num(0), num(1)] },
          { t: 'array', items: [num(0), num(1), num(0), num(1)], holes: [1] },
          str('0,1,0,1'),
          { t: 'null' },
          { t: 'undefined' },
        )
        .map((v) => field(base, 'domain', v, `domain ${JSON.stringify(v)}`)),
    );
  return validOrBroken(valid, breaks).map(as('surfaceGrid'));
}

// ---------------------------------------------------------------- single arguments

/** One tensor argument, valid (NaN and ±Infinity included) or broken, for `shapeOf` / `assertHostTensor` alone. */
export function tensorArgumentCases(o: FuzzOptions): fc.Arbitrary<FuzzCase> {
  const valid = fc
    .array(dimArb(8), { maxLength: 4 })
    .chain((shape) => validTensor(shape, o, IEEE_SPECIALS).map((spec) => ({ args: [spec], expect: OK, label: `[${shape}]`, shape })));
  const breaks = (base: Made & { shape?: number[] }): fc.Arbitrary<Made> =>
    brokenTensor(base.shape!, o, true).map(([spec, error, what]) => ({
      args: [spec],
      expect: fails(error),
      label: `${base.label}: ${what}`,
    }));
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('tensor'));
}

/** A number list (plain or typed array, NaN included), or one with a bad entry, a hole, or not a list at all. */
export function numberListCases(): fc.Arbitrary<FuzzCase> {
  const valid = fc.tuple(fc.nat(12), seedArb, fc.boolean(), specialsArb(IEEE_SPECIALS)).map(([n, s, plain, sp]) => ({
    args: [data(n, s, { plain, specials: sp.map(([i, v]): [number, Num] => [i % Math.max(1, n), v]) })],
    expect: OK,
    label: `${n} numbers`,
    n,
  }));
  const breaks = (base: Made & { n?: number }): fc.Arbitrary<Made> => {
    const n = base.n!;
    const choices: fc.Arbitrary<Made>[] = [
      fc.constantFrom<Spec>(str('1,2'), num(1), { t: 'null' }, { t: 'undefined' }, obj({ length: num(n) }), { t: 'function' }).map((v) => ({
        args: [v],
        expect: fails('InvalidArgumentError'),
        label: `not a list: ${v.t}`,
      })),
    ];
    if (n > 0) {
      choices.push(
        fc.tuple(fc.nat(n - 1), notANumber).map(([i, bad]) => ({
          args: [data(n, 1, { plain: true, bad: [[i, bad]] })],
          expect: fails('InvalidArgumentError'),
          label: `entry ${i}: ${bad.t}`,
        })),
        fc.nat(n - 1).map((i) => ({
          args: [data(n, 1, { plain: true, holes: [i] })],
          expect: fails('InvalidArgumentError'),
          label: `a hole at ${i}`,
        })),
      );
    }
    return fc.oneof(...choices);
  };
  return validOrBroken(valid, breaks as (b: Made) => fc.Arbitrary<Made>).map(as('numbers'));
}
