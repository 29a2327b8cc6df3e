/**
 * Case lists: which shapes each suite runs, in quick and full form, and how
 * `--sizes`, `--variants`, `--dims`, `--heads` and `--causal` narrow them. Cases of
 * one shape are adjacent in the plan, ours first and then the peers, so the ratios
 * between them are taken moments apart in one run.
 */
import { DEFAULT_SUITES, SUITES, type BenchCase, type SuiteName } from './types';
import { attentionCaseParams, isPlainAttention } from './attention-case';
import { DECODE_IMPLS, attentionImplRuns, attentionVariantShapes, decodeShapes } from './decode';

/**
 * The matmul ladder, cheapest first, then `auto`: what a caller gets by default (the
 * device's tuned configuration for the shape class, else the shipped default).
 */
export const MATMUL_LADDER = ['naive', 'tiled', 'register', 'direct', 'subgroup', 'auto'] as const;
/** The attention variants. */
export const ATTENTION_VARIANTS = ['naive', 'flash', 'linear'] as const;

export interface PlanOptions {
  suites?: readonly SuiteName[];
  quick?: boolean;
  /** Size tokens: `N` (every suite), `MxKxN` (matmul), `RxC` (softmax); `suite:token` for one suite only. */
  sizes?: readonly string[];
  /** Keep only these implementations (variant names or peer ids). */
  variants?: readonly string[];
  /** Peer ids to compare against (default ['tfjs']); [] for none. */
  peers?: readonly string[];
  /** Attention head dims (default quick [64], full [64, 128]). */
  dims?: readonly number[];
  /** Attention head counts (default quick [1], full [1, 8]). */
  heads?: readonly number[];
  /** Causal settings to run (default quick [false], full [false, true]). */
  causal?: readonly boolean[];
}

/** Which suites each peer can run. */
export const PEER_SUITES: Record<string, readonly SuiteName[]> = {
  tfjs: ['matmul', 'attention', 'softmax'],
  ort: ['matmul', 'attention', 'softmax'],
  jaxjs: ['matmul', 'attention', 'softmax'],
};

interface Shape {
  suite: SuiteName;
  shape: string;
  /** Series key without the implementation. */
  seriesTail: string;
  n: number;
  params: BenchCase['params'];
}

function matmulShape(M: number, K: number, N: number): Shape {
  const square = M === K && K === N;
  return {
    suite: 'matmul',
    shape: `M${M} K${K} N${N}`,
    seriesTail: square ? '' : ` ${M}×${K}×${N}`,
    n: square ? N : Math.round(Math.cbrt(M * K * N)),
    params: { M, K, N },
  };
}

function attentionShape(B: number, H: number, N: number, d: number, causal: boolean): Shape {
  return {
    suite: 'attention',
    shape: `B${B} H${H} N${N} d${d}${causal ? ' causal' : ''}`,
    seriesTail: ` d${d} H${H}${causal ? ' causal' : ''}`,
    n: N,
    params: { B, H, N, d, causal },
  };
}

function softmaxShape(rows: number, cols: number): Shape {
  return {
    suite: 'softmax',
    shape: `${rows}×${cols}`,
    seriesTail: rows === cols ? '' : ` ${rows}×${cols}`,
    n: cols,
    params: { rows, cols },
  };
}

/**
 * The probes' sizes: large enough that the fixed cost of a submission (about 2.4 ms
 * from submit to done on SwiftShader) stays small beside the work. FMA: 0.5 GFLOP
 * quick, 4.3 GFLOP full. Copy: 16 MiB (quick) or 32 MiB (full) copied `reps` times in
 * one submission: 128 MiB or 512 MiB of traffic per call.
 */
function rooflineShapes(quick: boolean): Shape[] {
  const fma = quick ? { invocations: 16384, iterations: 512 } : { invocations: 65536, iterations: 1024 };
  const copy = quick ? { elements: 1 << 22, reps: 4 } : { elements: 1 << 23, reps: 8 };
  return [
    {
      suite: 'roofline',
      shape: `fma ${fma.invocations}×${fma.iterations}`,
      seriesTail: '',
      n: fma.invocations,
      params: { probe: 'fma', ...fma },
    },
    {
      suite: 'roofline',
      shape: `copy ${copy.elements}×${copy.reps}`,
      seriesTail: '',
      n: copy.elements,
      params: { probe: 'copy', ...copy },
    },
  ];
}

/** Parses one positive integer, allowing k/m suffixes (1k = 1024). */
export function parseSize(token: string): number {
  const m = /^(\d+)([kKmM]?)$/.exec(token.trim());
  if (!m) throw new RangeError(`bad size '${token}': use N, MxKxN or RxC with positive integers`);
  const v = Number(m[1]) * (m[2] ? (m[2].toLowerCase() === 'k' ? 1024 : 1024 * 1024) : 1);
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`bad size '${token}': must be a positive integer`);
  return v;
}

interface SizeOverrides {
  square: number[];
  matmul: [number, number, number][];
  softmax: [number, number][];
}

/** Splits `--sizes` tokens by kind; `suite:token` tokens count only when `suite` is given and matches. */
export function parseSizes(tokens: readonly string[], suite?: SuiteName): SizeOverrides {
  const out: SizeOverrides = { square: [], matmul: [], softmax: [] };
  for (const raw of tokens) {
    const colon = raw.indexOf(':');
    if (colon >= 0) {
      const only = raw.slice(0, colon);
      if (!SUITES.includes(only as SuiteName)) throw new RangeError(`bad size '${raw}': '${only}' is not a suite`);
      if (suite !== undefined && only !== suite) continue;
    }
    const token = colon >= 0 ? raw.slice(colon + 1) : raw;
    const parts = token.split(/[x×]/).map(parseSize);
    if (parts.length === 1) out.square.push(parts[0]!);
    else if (parts.length === 3) out.matmul.push(parts as [number, number, number]);
    else if (parts.length === 2) out.softmax.push(parts as [number, number]);
    else throw new RangeError(`bad size '${raw}': use N, MxKxN or RxC`);
  }
  return out;
}

function shapesFor(suite: SuiteName, o: PlanOptions): Shape[] {
  const quick = o.quick ?? false;
  const sizes = o.sizes && o.sizes.length > 0 ? parseSizes(o.sizes, suite) : null;
  switch (suite) {
    case 'matmul': {
      const dims: [number, number, number][] = sizes
        ? [...sizes.square.map((n): [number, number, number] => [n, n, n]), ...sizes.matmul]
        : quick
          ? [
              [64, 64, 64],
              [128, 128, 128],
              [127, 200, 96],
            ]
          : [
              [128, 128, 128],
              [256, 256, 256],
              [512, 512, 512],
              [1024, 1024, 1024],
              [2048, 2048, 2048],
              [1024, 256, 512],
              [2048, 64, 2048],
              [127, 1000, 239],
            ];
      return dims.map(([M, K, N]) => matmulShape(M, K, N));
    }
    case 'attention': {
      const ns = sizes ? sizes.square : quick ? [64, 128] : [128, 256, 512, 1024, 2048, 4096, 8192];
      const dims = o.dims ?? (quick ? [64] : [64, 128]);
      const heads = o.heads ?? (quick ? [1] : [1, 8]);
      const causal = o.causal ?? (quick ? [false] : [false, true]);
      const out: Shape[] = [];
      for (const H of heads)
        for (const d of dims)
          for (const c of causal)
            for (const N of ns) {
              // Several heads multiply the work; past 2048 they are for real GPUs only.
              if (!sizes && H > 1 && N > 2048) continue;
              out.push(attentionShape(1, H, N, d, c));
            }
      if (quick && !sizes && !o.causal && !o.heads && !o.dims)
        out.push(attentionShape(1, 1, 128, 64, true), attentionShape(1, 4, 64, 64, false));
      if (!sizes && !o.causal && !o.heads && !o.dims) out.push(...attentionVariantShapes(quick).map((s) => ({ ...s, suite })));
      return out;
    }
    case 'softmax': {
      const dims: [number, number][] = sizes
        ? [...sizes.square.map((n): [number, number] => [n, n]), ...sizes.softmax]
        : quick
          ? [
              [256, 256],
              [1000, 130],
            ]
          : [
              [1024, 1024],
              [4096, 4096],
              [16384, 128],
              [256, 16384],
            ];
      return dims.map(([r, c]) => softmaxShape(r, c));
    }
    case 'roofline':
      return rooflineShapes(quick);
    case 'decode':
      return decodeShapes(quick, sizes?.square).map((s) => ({ ...s, suite }));
  }
}

function implsFor(suite: SuiteName): readonly string[] {
  if (suite === 'matmul') return MATMUL_LADDER;
  if (suite === 'attention') return ATTENTION_VARIANTS;
  if (suite === 'softmax') return ['softmax'];
  if (suite === 'decode') return DECODE_IMPLS;
  return ['probe'];
}

/** The ordered list of cases for these options. */
export function planCases(o: PlanOptions = {}): BenchCase[] {
  const suites = o.suites && o.suites.length > 0 ? o.suites : DEFAULT_SUITES;
  for (const s of suites) if (!SUITES.includes(s)) throw new RangeError(`unknown suite '${s}': use ${SUITES.join(', ')}`);
  const peers = o.peers ?? ['tfjs'];
  const keep = (impl: string) => !o.variants || o.variants.length === 0 || o.variants.includes(impl);
  const out: BenchCase[] = [];
  for (const suite of suites) {
    for (const s of shapesFor(suite, o)) {
      const add = (impl: string, provider: string) => {
        const name = suite === 'roofline' ? String(s.params.probe) : impl;
        out.push({
          id: `${suite}/${name}/${s.shape}`,
          suite,
          impl: name,
          provider,
          shape: s.shape,
          series: `${name}${s.seriesTail}`,
          n: s.n,
          params: s.params,
        });
      };
      for (const impl of implsFor(suite))
        if (suite === 'roofline' || (keep(impl) && attentionImplRuns(impl, s.params))) add(impl, 'kernelscope');
      // Peers run plain multi-head attention only (no GQA, window, ALiBi or softcap yet).
      const peerRuns = suite !== 'attention' || isPlainAttention(attentionCaseParams(s));
      for (const peer of peers) if (PEER_SUITES[peer]?.includes(suite) && keep(peer) && peerRuns) add(peer, peer);
    }
  }
  return out;
}
