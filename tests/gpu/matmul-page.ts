/**
 * The in-page half of the matmul GPU tests, loaded with
 * `window.ksImport('/tests/gpu/matmul-page.ts')`. Data is generated from seeds in
 * the page, run on the GPU, and checked there against the float64 oracle, so only
 * small summaries cross back to Node.
 */
import { adapterIdentity } from '../../src/gpu/adapter-class';
import { MATMUL_FAMILY } from '../../src/kernels/tuned';
import { matmul, type MatmulVariant, type MatmulOptions } from '../../src/kernels/matmul';
import { matmulReference, matmulErrorBound } from '../../src/reference/matmul';
import { checkTolerance } from '../../src/reference/compare';
import { mulberry32, uniformArray } from '../../src/reference/random';
import type { Gpu } from '../../src/gpu/device';

/** One case: operand shapes, options and the seed of its data. */
export interface MatmulCase {
  a: number[];
  b: number[];
  opts?: Omit<MatmulOptions, 'variant'>;
  seed: number;
}

/** What a case gave: the tolerance rule's ratio and the elementwise bound's worst ratio. */
export interface MatmulCaseResult {
  label: string;
  ok: boolean;
  shape: number[];
  /** err / (2·baselineErr + atol); ≤ 1 passes. */
  ratio: number;
  /** max over elements of |C − C*| / (2·K·u·|A||B|) (0/0 counted as 0); ≤ 1 passes. */
  boundRatio: number;
  err: number;
  baselineErr: number;
  problem: string;
}

export function caseLabel(c: MatmulCase, variant: string): string {
  const o = c.opts ?? {};
  const flags = [o.transposeA ? 'Aᵀ' : '', o.transposeB ? 'Bᵀ' : '', o.alpha !== undefined ? `alpha=${o.alpha}` : '']
    .filter(Boolean)
    .join(' ');
  return `${variant} a=[${c.a}] b=[${c.b}]${flags ? ` ${flags}` : ''} seed=${c.seed}`;
}

/** Host operands of a case: uniform values in [-1, 1) from its seed. */
export function caseData(c: MatmulCase) {
  const rng = mulberry32(c.seed);
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return {
    a: { data: uniformArray(rng, size(c.a)), shape: c.a },
    b: { data: uniformArray(rng, size(c.b)), shape: c.b },
  };
}

/**
 * Installs `config` as this device's tuned matmul choice for every shape class, so
 * `variant: 'auto'` runs it (how the tuner's candidates are tested); returns a restore.
 */
export function installTunedMatmul(gpu: Gpu, config: unknown): () => void {
  const adapter = adapterIdentity(gpu.info);
  for (const shapeClass of ['gemv', 'small', 'large']) {
    gpu.tuning.set({
      adapter,
      kernel: MATMUL_FAMILY.kernel,
      shapeClass,
      source: MATMUL_FAMILY.source,
      config,
      ms: 0,
      defaultMs: 0,
      measuredOn: 'test',
    });
  }
  return () => gpu.tuning.clear();
}

/** Runs every case on `variant` and checks it. */
export async function runCases(gpu: Gpu, variant: MatmulVariant | 'auto', cases: MatmulCase[]): Promise<MatmulCaseResult[]> {
  const out: MatmulCaseResult[] = [];
  for (const c of cases) {
    const { a, b } = caseData(c);
    const t = await matmul(gpu, a, b, { ...c.opts, variant });
    const got = await t.read();
    t.destroy();
    const oracle = matmulReference(a, b, c.opts, 'f64');
    const baseline = matmulReference(a, b, c.opts, 'f32');
    const verdict = checkTolerance(got, oracle.data, baseline.data, 1e-6);
    const bound = matmulErrorBound(a, b, c.opts);
    let boundRatio = 0;
    for (let i = 0; i < got.length; i++) {
      const e = Math.abs(got[i]! - oracle.data[i]!);
      const r = e === 0 ? 0 : e / bound[i]!;
      if (!(r <= boundRatio)) boundRatio = r; // NaN propagates as a failure
    }
    const sameShape = t.shape.join() === oracle.shape.join();
    out.push({
      label: caseLabel(c, variant),
      ok: verdict.ok && boundRatio <= 1 && sameShape && got.length === oracle.data.length,
      shape: [...t.shape],
      ratio: verdict.ratio,
      boundRatio,
      err: verdict.err,
      baselineErr: verdict.baselineErr,
      problem: sameShape ? '' : `shape [${t.shape}] vs reference [${oracle.shape}]`,
    });
  }
  return out;
}

/** The raw output bits of one case, for determinism checks. */
export async function runBits(gpu: Gpu, variant: MatmulVariant, c: MatmulCase): Promise<number[]> {
  const { a, b } = caseData(c);
  const t = await matmul(gpu, a, b, { ...c.opts, variant });
  const got = await t.read();
  t.destroy();
  return Array.from(new Uint32Array(got.buffer));
}
