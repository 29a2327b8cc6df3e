/**
 * The fuzzers' case language: JSON-safe descriptions of kernel arguments, hostile ones
 * included. `page.evaluate` carries arguments as JSON, which has no NaN, −0, ±Infinity,
 * undefined, BigInt, Symbol, function or Tensor, so a case travels as a `Spec` and
 * `decode` builds the real value where it runs: in the page (tests/gpu/fuzz-page.ts) or
 * in Node (tests/unit/fuzz-validation.test.ts, which has no tensors).
 */

/** A number, or one that JSON cannot carry. */
export type Num = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** What a Tensor argument is: usable, or broken in one of the ways a caller can break it. */
export type TensorState = 'live' | 'destroyed' | 'foreign' | 'stale' | 'forged';

/** The description of one value. */
export type Spec =
  | { t: 'num'; n: Num }
  | { t: 'str'; s: string }
  | { t: 'bool'; b: boolean }
  | { t: 'null' }
  | { t: 'undefined' }
  | { t: 'bigint' }
  | { t: 'symbol' }
  | { t: 'function' }
  | { t: 'date' }
  /** A plain array; `holes` are indices left empty (a sparse array). */
  | { t: 'array'; items: Spec[]; holes?: number[] }
  /** A plain object; every field is an own data property, '__proto__' included. */
  | { t: 'object'; fields: [string, Spec][] }
  /** A Float64Array (a typed array of the wrong kind where f32 data is asked for). */
  | { t: 'f64'; length: number }
  /** Seeded numbers: uniform in [−scale, scale), with special values at some indices and, in a plain array, bad entries. */
  | Data
  /** Host data `{data, shape}`. */
  | { t: 'host'; data: Spec; shape: Spec }
  /** A Tensor of `shape` holding `data`, in `state`. */
  | { t: 'tensor'; shape: number[]; data: Data; state: TensorState }
  /** A DDPM schedule made by `linearSchedule` / `cosineSchedule` with T steps. */
  | { t: 'schedule'; kind: 'linear' | 'cosine'; T: number }
  /** A smooth CPU denoiser behind the GPU interface (`hostDenoiser`): pred = gain · x, of `target`. */
  | { t: 'denoiser'; dim: number; gain: number; target: 'eps' | 'x0' };

/** Seeded numbers: a Float32Array, or with `plain` a number[] (where bad entries may sit). */
export interface Data {
  t: 'data';
  length: number;
  seed: number;
  /** Values are uniform in [−scale, scale); default 2. */
  scale?: number;
  /** Integers in [0, scale) instead (timesteps, key lengths, labels). */
  integers?: boolean;
  plain?: boolean;
  specials?: [number, Num][];
  /** Plain arrays only: entries that are not numbers (a hole is `{t: 'undefined'}` with `hole`). */
  bad?: [number, Spec][];
  holes?: number[];
}

/** How `decode` builds what only its caller can: Tensors (the page), schedules and denoisers. */
export interface DecodeContext {
  tensor?: (shape: number[], data: Float32Array, state: TensorState) => unknown;
  schedule?: (kind: 'linear' | 'cosine', T: number) => unknown;
  denoiser?: (dim: number, gain: number, target: 'eps' | 'x0') => unknown;
}

export const num = (n: Num): Spec => ({ t: 'num', n });
export const str = (s: string): Spec => ({ t: 'str', s });
export const bool = (b: boolean): Spec => ({ t: 'bool', b });
export const nums = (xs: readonly Num[]): Spec => ({ t: 'array', items: xs.map(num) });
export const obj = (fields: Record<string, Spec | undefined>): Spec => ({
  t: 'object',
  fields: Object.entries(fields).filter((f): f is [string, Spec] => f[1] !== undefined),
});
export const data = (length: number, seed: number, extra: Partial<Data> = {}): Data => ({ t: 'data', length, seed, ...extra });
export const host = (shape: readonly number[], seed: number, extra: Partial<Data> = {}): Spec => ({
  t: 'host',
  shape: nums(shape),
  data: data(
    shape.reduce((a, b) => a * b, 1),
    seed,
    extra,
  ),
});

/** A JSON-safe number as the number it stands for. */
export function toNumber(n: Num): number {
  if (n === 'NaN') return NaN;
  if (n === 'Infinity') return Infinity;
  if (n === '-Infinity') return -Infinity;
  if (n === '-0') return -0;
  return n;
}

/** A small seeded generator (mulberry32), so data is rebuilt identically wherever it is decoded. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The numbers of a `Data` spec (specials in place), as float64. */
export function dataValues(d: Data): number[] {
  const next = rng(d.seed);
  const scale = d.scale ?? 2;
  const out = Array.from({ length: d.length }, () => (d.integers ? Math.floor(next() * scale) : (next() * 2 - 1) * scale));
  for (const [i, v] of d.specials ?? []) if (i < d.length) out[i] = toNumber(v);
  return out;
}

function decodeData(d: Data, ctx: DecodeContext): unknown {
  const values = dataValues(d);
  if (!d.plain) return Float32Array.from(values);
  const out: unknown[] = values.map((v) => Math.fround(v));
  for (const [i, s] of d.bad ?? []) if (i < out.length) out[i] = decode(s, ctx);
  for (const i of d.holes ?? []) if (i < out.length) delete out[i];
  return out;
}

/** Builds the value a spec describes; tensors, schedules and denoisers come from `ctx`. */
export function decode(spec: Spec, ctx: DecodeContext = {}): unknown {
  switch (spec.t) {
    case 'num':
      return toNumber(spec.n);
    case 'str':
      return spec.s;
    case 'bool':
      return spec.b;
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'bigint':
      return 7n;
    case 'symbol':
      return Symbol('fuzz');
    case 'function':
      return () => 1;
    case 'date':
      return new Date(0);
    case 'array': {
      const out = spec.items.map((s) => decode(s, ctx));
      for (const i of spec.holes ?? []) if (i < out.length) delete out[i];
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of spec.fields) {
        Object.defineProperty(out, k, { value: decode(s, ctx), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'f64':
      return new Float64Array(spec.length);
    case 'data':
      return decodeData(spec, ctx);
    case 'host':
      return { data: decode(spec.data, ctx), shape: decode(spec.shape, ctx) };
    case 'tensor': {
      if (!ctx.tensor) throw new Error('decode: a tensor spec needs a tensor factory (only the page has one)');
      return ctx.tensor(spec.shape, Float32Array.from(dataValues(spec.data)), spec.state);
    }
    case 'schedule':
      if (!ctx.schedule) throw new Error('decode: a schedule spec needs a schedule factory');
      return ctx.schedule(spec.kind, spec.T);
    case 'denoiser':
      if (!ctx.denoiser) throw new Error('decode: a denoiser spec needs a denoiser factory (only the page has one)');
      return ctx.denoiser(spec.dim, spec.gain, spec.target);
  }
}

/** The typed errors a case may end in, by class name, and whether success (checked against the reference) is allowed. */
export interface Expect {
  ok: boolean;
  errors: ErrorName[];
}

export type ErrorName = 'ShapeError' | 'InvalidArgumentError' | 'LimitExceededError' | 'DeviceLostError';

export const OK: Expect = { ok: true, errors: [] };
export const fails = (...errors: ErrorName[]): Expect => ({ ok: false, errors });

/** One fuzz case: a kernel, its arguments (after `gpu`) and what must happen. */
export interface FuzzCase {
  kernel: string;
  args: Spec[];
  expect: Expect;
  /** What the case exercises, for the counterexample. */
  label: string;
}
