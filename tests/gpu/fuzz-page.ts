/**
 * The in-page half of the kernel fuzzer (tests/gpu/fuzz-kernels.test.ts), loaded with
 * `window.ksImport('/tests/gpu/fuzz-page.ts')`. It decodes one case's arguments (real
 * Tensors included: live, destroyed, of another Gpu, of a lost device generation,
 * forged), calls the kernel, and reports either the typed error with the number of GPU
 * buffers the call created, or the tolerance verdict against the CPU reference.
 */
import * as ks from '../../src/index';
import type { Gpu } from '../../src/gpu/device';
import type { Tensor } from '../../src/gpu/tensor';
import type { CpuDenoiser } from '../../src/problem/ddpm-plan';
import { philoxNormals, RNG_STREAM } from '../../src/reference/philox';
import { forwardNoiseRef, sampleRef, stepRef } from '../../src/reference/ddpm';
import { planSampling } from '../../src/problem/ddpm-plan';
import { decode, type DecodeContext, type FuzzCase, type TensorState } from './fuzz-spec';

/** What one case did. */
export interface FuzzVerdict {
  outcome: 'ok' | 'error';
  /** The error's class name and message (outcome 'error'). */
  name?: string;
  message?: string;
  /** Whether the error is a KernelscopeError. */
  typed?: boolean;
  /** GPU buffers the call created on the page's Gpu, and on the foreign one. */
  created: number;
  foreignCreated: number;
  /** Outcome 'ok': the result's shape, the reference's, and the tolerance verdicts. */
  shape?: number[];
  referenceShape?: number[];
  checks?: { what: string; ok: boolean; ratio: number; err: number; baselineErr: number; nonFinite: number }[];
}

type Host = { data: Float32Array | number[]; shape: number[] };

let foreign: Promise<Gpu> | null = null;

/** A second Gpu (its own device): the source of "foreign" tensors. */
function foreignGpu(): Promise<Gpu> {
  foreign ??= ks.requestGpu();
  return foreign;
}

/** Decodes a case's arguments; remembers each Tensor's host data and each denoiser's CPU half for the reference. */
function decodeArgs(gpu: Gpu, other: Gpu, c: FuzzCase) {
  const made: Tensor[] = [];
  const hostOf = new Map<unknown, Host>();
  const cpuOf = new Map<unknown, CpuDenoiser>();
  const ctx: DecodeContext = {
    tensor(shape: number[], data: Float32Array, state: TensorState) {
      const home = state === 'foreign' ? other : gpu;
      const t = ks.Tensor.fromData(home, data, shape, 'fuzz:input');
      made.push(t);
      if (state === 'destroyed') t.destroy();
      // A tensor of an earlier device generation, as after a device loss and re-acquisition:
      // the generation check is what a kernel must run before using it.
      if (state === 'stale') Object.defineProperty(t, 'generation', { value: gpu.generation - 1 });
      if (state === 'forged') {
        const forged = Object.assign(Object.create(ks.Tensor.prototype) as object, {
          gpu,
          shape: Object.freeze([...shape]),
          size: data.length,
          generation: gpu.generation,
        });
        hostOf.set(forged, { data, shape });
        return forged;
      }
      hostOf.set(t, { data, shape });
      return t;
    },
    schedule: (kind, T) => (kind === 'linear' ? ks.ddpm.linearSchedule({ T }) : ks.ddpm.cosineSchedule({ T })),
    denoiser(dim, gain, target) {
      const cpu = linearDenoiser(gain, target);
      const d = ks.ddpm.hostDenoiser(gpu, cpu, dim, 'fuzz');
      cpuOf.set(d, cpu);
      return d;
    },
  };
  const args = c.args.map((s) => decode(s, ctx));
  const known: Known = { host: (x) => hostOf.get(x) ?? (x as Host), cpu: (d) => cpuOf.get(d)! };
  return { args, made, known };
}

/** What the references need to know about decoded arguments. */
interface Known {
  /** A Tensor argument's host data (host data is itself). */
  host(x: unknown): Host;
  /** The CPU half of a decoded denoiser. */
  cpu(d: unknown): CpuDenoiser;
}

/** pred = gain · x: smooth, so f32 and f64 sampling runs stay close. */
function linearDenoiser(gain: number, target: 'eps' | 'x0'): CpuDenoiser {
  return { target, predict: (x) => x.map((v) => gain * v) };
}

type Call = (gpu: Gpu, args: unknown[]) => Promise<Tensor>;

const KERNELS: Record<string, Call> = {
  matmul: (g, [a, b, o]) => ks.matmul(g, a as any, b as any, o as any),
  softmax: (g, [x, o]) => ks.softmax(g, x as any, o as any),
  attention: (g, [q, k, v, o]) => ks.attention(g, q as any, k as any, v as any, o as any),
  'ddpm.forwardNoise': (g, [s, x0, t, noise]) => ks.ddpm.forwardNoise(g, s as any, x0 as any, t as any, noise as any),
  'ddpm.reverseStep': (g, [c, x, pred, noise]) => ks.ddpm.reverseStep(g, c as any, x as any, pred as any, noise as any),
  'ddpm.randomNormal': (g, [shape, key]) => ks.ddpm.randomNormal(g, shape as any, key as any),
  'ddpm.sample': (g, [s, d, o]) => ks.ddpm.sample(g, s as any, d as any, o as any),
  race: (g, [input, o]) => ks.race(g, input as any, o as any),
  surfaceGrid: (g, [input]) => ks.surfaceGrid(g, input as any),
};

/**
 * The reference of a successful call: its shape and the parts compared under the tolerance
 * rule, each [what, f64 oracle, f32 baseline, atol, which outputs (default all)].
 */
type Part = [string, ArrayLike<number>, ArrayLike<number>, number, ((i: number) => boolean)?];
type Reference = { shape: number[]; parts: Part[] };

function keyOf(x: unknown, stream: number): { seed: number; stream: number; step: number } {
  const k = x as { seed: number; stream?: number; step?: number };
  return { seed: k.seed, stream: k.stream ?? stream, step: k.step ?? 0 };
}

const isKey = (x: unknown) => x !== null && !(x instanceof ks.Tensor) && !('data' in (x as object));
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const REFERENCES: Record<string, (args: unknown[], known: Known) => Reference> = {
  matmul([a, b, o], { host }) {
    const opts = o as ks.MatmulOptions | undefined;
    const f64 = ks.matmulReference(host(a), host(b), opts, 'f64');
    return { shape: f64.shape, parts: [['C', f64.data, ks.matmulReference(host(a), host(b), opts, 'f32').data, 1e-6]] };
  },
  softmax([x, o], { host }) {
    const opts = o as { bias?: unknown; log?: boolean } | undefined;
    const r = { log: opts?.log, bias: opts?.bias === undefined ? undefined : host(opts.bias) };
    const f64 = ks.softmaxReference(host(x), r, 'f64');
    return { shape: f64.shape, parts: [['y', f64.data, ks.softmaxReference(host(x), r, 'f32').data, 1e-6]] };
  },
  attention([q, k, v, o], { host }) {
    const opts = (o ?? {}) as ks.AttentionOptions;
    const r = {
      ...opts,
      bias: opts.bias === undefined ? undefined : host(opts.bias),
      keyPaddingMask: opts.keyPaddingMask === undefined ? undefined : host(opts.keyPaddingMask),
    };
    const f64 = ks.attentionReference(host(q), host(k), host(v), r, 'f64');
    return { shape: f64.shape, parts: [['O', f64.data, ks.attentionReference(host(q), host(k), host(v), r, 'f32').data, 1e-6]] };
  },
  'ddpm.forwardNoise'([s, x0, t, noise], { host }) {
    const schedule = s as ks.ddpm.Schedule;
    const x = host(x0);
    const dim = x.shape[x.shape.length - 1]!;
    const keyed = isKey(noise);
    const eps = keyed
      ? (() => {
          const k = keyOf(noise, RNG_STREAM.forward);
          return philoxNormals(k.seed, k.stream, k.step, x.data.length);
        })()
      : host(noise).data;
    const tt = t as number[];
    return {
      shape: x.shape,
      parts: [
        [
          'x_t',
          forwardNoiseRef(schedule, x.data, tt, eps, dim),
          forwardNoiseRef(schedule, x.data, tt, Float32Array.from(eps), dim, 'f32'),
          keyed ? 2e-5 : 1e-6,
        ],
      ],
    };
  },
  'ddpm.reverseStep'([c, x, pred, noise], { host }) {
    const coef = c as ks.ddpm.StepCoefficients;
    const xs = host(x);
    const keyed = noise !== null && isKey(noise);
    const z = noise === null ? null : keyed ? philoxFor(noise, RNG_STREAM.reverse, xs.data.length) : host(noise).data;
    return {
      shape: xs.shape,
      parts: [
        [
          'x_prev',
          stepRef(coef, xs.data, host(pred).data, z),
          stepRef(coef, xs.data, host(pred).data, z && Float32Array.from(z), 'f32'),
          keyed ? 2e-5 : 1e-6,
        ],
      ],
    };
  },
  'ddpm.randomNormal'([shape, key]) {
    const k = keyOf(key, 0);
    const z = philoxNormals(k.seed, k.stream, k.step, size(shape as number[]));
    // The normals go through f32 log/sqrt/sin/cos: a few f32 ulps of |z| ≤ 5.8 (tests/gpu/ddpm.test.ts).
    return { shape: shape as number[], parts: [['z', z, Float32Array.from(z), 5e-6]] };
  },
  'ddpm.sample'([s, d, o], { host, cpu }) {
    const schedule = s as ks.ddpm.Schedule;
    const den = d as ks.ddpm.Denoiser;
    const opts = o as ks.ddpm.GpuSampleOptions;
    const xT = opts.xT === undefined ? undefined : host(opts.xT).data;
    const ref = sampleRef(schedule, cpu(d), { ...opts, dim: den.dim, xT, onStep: undefined });
    // The GPU's noise goes through f32 transcendentals (a few ulps of each normal): atol covers them.
    return { shape: [1, 1, opts.n, den.dim], parts: [['x_0', ref, sampleF32(schedule, cpu(d), opts, den.dim, xT), 1e-4]] };
  },
  race([input]) {
    const r = input as ks.RaceInput;
    const f64 = ks.raceReference(r, 'f64');
    const f32 = ks.raceReference(r, 'f32').data;
    // Positions and losses live on different scales (tests/gpu/optim.test.ts): compared apart.
    const position = (i: number) => i % 3 !== 2;
    const loss = (i: number) => i % 3 === 2;
    return {
      shape: f64.shape,
      parts: [
        ['positions', pick(f64.data, position), pick(f32, position), 1e-5, position],
        ['losses', pick(f64.data, loss), pick(f32, loss), 1e-5, loss],
      ],
    };
  },
  surfaceGrid([input]) {
    const g = input as ks.GridInput;
    const f64 = ks.surfaceGridReference(g, 'f64');
    return { shape: f64.shape, parts: [['f', f64.data, ks.surfaceGridReference(g, 'f32').data, 1e-6]] };
  },
};

/**
 * The f32 baseline of a sampling run: the reference's path (`sampleRef`) with every value
 * the GPU holds in f32 rounded there: x_T, each prediction (uploaded as f32), each noise
 * draw and each step's arithmetic (`stepRef` in f32).
 */
function sampleF32(
  schedule: ks.ddpm.Schedule,
  cpu: CpuDenoiser,
  o: ks.ddpm.GpuSampleOptions,
  dim: number,
  xT?: ArrayLike<number>,
): Float64Array {
  const count = o.n * dim;
  const f32 = (a: ArrayLike<number>) => Float64Array.from(Float32Array.from(a));
  let x = f32(xT ?? philoxNormals(o.seed, RNG_STREAM.init, schedule.T, count));
  for (const s of planSampling(schedule, o.sampler, o.steps, cpu.target, o.eta ?? 0, o.variance ?? 'beta')) {
    const pred = f32(cpu.predict(x, s.t, schedule.alphaBar[s.t]!));
    const z = s.coefficients.sigma > 0 ? f32(philoxNormals(o.seed, RNG_STREAM.reverse, s.t, count)) : null;
    x = f32(stepRef(s.coefficients, x, pred, z, 'f32'));
  }
  return x;
}

function pick(a: ArrayLike<number>, which: (i: number) => boolean): number[] {
  return Array.from(a).filter((_, i) => which(i));
}

function philoxFor(key: unknown, stream: number, n: number): Float64Array {
  const k = keyOf(key, stream);
  return philoxNormals(k.seed, k.stream, k.step, n);
}

/** Runs one case on `gpu` and reports what happened. Every Tensor it made is destroyed before it returns. */
export async function runCase(gpu: Gpu, c: FuzzCase): Promise<FuzzVerdict> {
  const other = await foreignGpu();
  await gpu.ready('fuzz');
  const { args, made, known } = decodeArgs(gpu, other, c);
  const call = KERNELS[c.kernel];
  if (!call) throw new Error(`fuzz: no kernel '${c.kernel}'`);
  const before = gpu.memory.created;
  const foreignBefore = other.memory.created;
  let result: Tensor | null = null;
  try {
    try {
      result = await call(gpu, args);
    } catch (e) {
      const err = e as Error;
      return {
        outcome: 'error',
        name: err?.name ?? typeof e,
        message: String(err?.message ?? e),
        typed: e instanceof ks.KernelscopeError,
        created: gpu.memory.created - before,
        foreignCreated: other.memory.created - foreignBefore,
      };
    }
    const created = gpu.memory.created - before;
    const foreignCreated = other.memory.created - foreignBefore;
    const got = await result.read();
    const ref = REFERENCES[c.kernel]!(args, known);
    const checks = ref.parts.map(([what, oracle, baseline, atol, which]) => {
      const v = ks.checkTolerance(which ? pick(got, which) : got, oracle, baseline, atol);
      return { what, ok: v.ok, ratio: v.ratio, err: v.err, baselineErr: v.baselineErr, nonFinite: v.nonFiniteMismatches.length };
    });
    return { outcome: 'ok', created, foreignCreated, shape: [...result.shape], referenceShape: ref.shape, checks };
  } finally {
    result?.destroy();
    for (const t of made) t.destroy();
  }
}
