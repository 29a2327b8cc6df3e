/**
 * Parsing `<loss-landscape>`'s attributes into a validated configuration. Pure
 * (no DOM, no GPU), so it runs in Node tests; every failure is an `AttributeError`
 * whose message starts with the attribute's name, which the element shows inline
 * while it keeps its last good state. (The element reads each attribute through its
 * spec first, `loss-landscape-attributes.ts`; this adds the optimizer and start
 * texts, and the rules that depend on the mode or span attributes.)
 */
import {
  OPTIMIZER_KINDS,
  SURFACE_KINDS,
  SURFACE_VIEWS,
  resolveOptimizer,
  resolveSurface,
  type OptimizerConfig,
  type OptimizerKind,
  type SurfaceKind,
  type SurfaceSpec,
} from '../../problem/optim';
import { AttributeError } from '../attributes';

export type LandscapeMode = 'analytic' | 'mlp';

/** The raw attribute values (strings or numbers as Lit converted them). */
export interface LandscapeAttributes {
  mode?: string | null;
  surface?: string | null;
  optimizers?: string | null;
  lr?: number | null;
  beta1?: number | null;
  beta2?: number | null;
  steps?: number | null;
  start?: string | null;
  seed?: number | null;
  noise?: number | null;
  condition?: number | null;
  rotation?: number | null;
  resolution?: number | null;
  /** `"x0,x1,y0,y1"`, or the four numbers. */
  domain?: string | readonly number[] | null;
  /** Values from the element's own lr/β inputs: they override every optimizer's own value. */
  overrides?: { lr?: number | null; beta1?: number | null; beta2?: number | null } | null;
}

/** A validated configuration: what the compute controller runs. */
export interface LandscapeConfig {
  mode: LandscapeMode;
  surface: SurfaceSpec;
  optimizers: (OptimizerConfig & { label: string })[];
  starts: [number, number][];
  steps: number;
  resolution: number;
  domain: [number, number, number, number];
  seed: number;
  /** Draw contours of log(f − f_min + δ): for surfaces bounded below with a known minimum. */
  logScale: boolean;
}

/** Limits on what an attribute may ask for (huge sizes are refused, not attempted). */
export const LANDSCAPE_LIMITS = {
  analytic: { steps: 5000, resolution: 512 },
  mlp: { steps: 300, resolution: 64 },
  optimizers: 7,
  starts: 16,
} as const;

/** Short names accepted in the `optimizers` list besides the kinds themselves. */
const ALIASES: Record<string, OptimizerConfig & { label: string }> = {
  'adam-nobc': { kind: 'adam', biasCorrection: false, label: 'Adam (no bias correction)' },
};

/** The MLP slice's default view in (α, β) and its default start. */
export const MLP_VIEW = { domain: [-1, 1, -1, 1] as [number, number, number, number], start: [0.75, 0.6] as [number, number] };

/** The smallest width (and height) of the view window. */
const MIN_SPAN = 1e-6;

function fail(attr: string, message: string, value?: unknown): never {
  throw new AttributeError('loss-landscape', attr, value, message, `${attr}: ${message}`);
}

function numberIn(attr: string, v: number | null | undefined, fallback: number, lo: number, hi: number, integer = false): number {
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(attr, `must be a number, got ${String(v)}`, v);
  if (integer && !Number.isInteger(v)) fail(attr, `must be an integer, got ${v}`, v);
  if (v < lo || v > hi) fail(attr, `must be in [${lo}, ${hi}], got ${v}`, v);
  return v;
}

function parseJson(attr: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(attr, `bad JSON (${(e as Error).message})`, text);
  }
}

/** `"x,y"`, `"[x,y]"` or `"[[x,y],[x,y]]"` → a list of points. */
export function parseStarts(text: string): [number, number][] {
  const t = text.trim();
  const raw: unknown = t.startsWith('[')
    ? parseJson('start', t)
    : t
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
  const list: unknown[] = Array.isArray(raw) && raw.length > 0 && Array.isArray(raw[0]) ? (raw as unknown[]) : [raw];
  if (list.length === 0 || list.length > LANDSCAPE_LIMITS.starts) fail('start', `give 1 to ${LANDSCAPE_LIMITS.starts} points`, text);
  return list.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e6)) {
      fail('start', `point ${i} must be two finite numbers "x,y"`, text);
    }
    return [p[0], p[1]] as [number, number];
  });
}

/** The `optimizers` attribute: a comma list of kinds, or a JSON array of kinds and configurations. */
export function parseOptimizers(
  text: string,
  defaults: { lr?: number | null; beta1?: number | null; beta2?: number | null },
  forced: { lr?: number | null; beta1?: number | null; beta2?: number | null } = {},
): (OptimizerConfig & { label: string })[] {
  const t = text.trim();
  const raw: unknown[] = t.startsWith('[')
    ? (() => {
        const j = parseJson('optimizers', t);
        if (!Array.isArray(j)) fail('optimizers', 'JSON must be an array');
        return j;
      })()
    : t.split(/[\s,]+/).filter(Boolean);
  if (raw.length === 0) fail('optimizers', 'name at least one optimizer');
  if (raw.length > LANDSCAPE_LIMITS.optimizers) fail('optimizers', `at most ${LANDSCAPE_LIMITS.optimizers} (one colour each)`);
  return raw.map((item, i) => {
    let c: OptimizerConfig;
    if (typeof item === 'string') {
      const alias = ALIASES[item.toLowerCase()];
      if (alias) c = { ...alias };
      else if ((OPTIMIZER_KINDS as string[]).includes(item.toLowerCase())) c = { kind: item.toLowerCase() as OptimizerKind };
      else
        fail('optimizers', `unknown optimizer "${item.slice(0, 40)}" (known: ${[...OPTIMIZER_KINDS, ...Object.keys(ALIASES)].join(', ')})`);
    } else if (typeof item === 'object' && item !== null) {
      c = { ...(item as OptimizerConfig) };
      if (c.label !== undefined && typeof c.label !== 'string') fail('optimizers', `optimizers[${i}].label must be text`);
    } else {
      fail('optimizers', `entry ${i} must be a name or an object`);
    }
    const usesBeta1 = c.kind !== 'sgd' && c.kind !== 'adagrad' && c.kind !== 'rmsprop';
    const usesBeta2 = ['rmsprop', 'adam', 'adamw', 'amsgrad'].includes(c.kind);
    if (c.lr === undefined && defaults.lr != null) c.lr = defaults.lr;
    if (c.beta1 === undefined && defaults.beta1 != null && usesBeta1) c.beta1 = defaults.beta1;
    if (c.beta2 === undefined && defaults.beta2 != null && usesBeta2) c.beta2 = defaults.beta2;
    if (forced.lr != null) c.lr = forced.lr;
    if (forced.beta1 != null && usesBeta1) c.beta1 = forced.beta1;
    if (forced.beta2 != null && usesBeta2) c.beta2 = forced.beta2;
    try {
      const r = resolveOptimizer('optimizers', c, i);
      return { ...c, label: r.label };
    } catch (e) {
      fail('optimizers', (e as Error).message.replace(/^optimizers: /, ''));
    }
  });
}

/** Parses and validates every attribute. Throws an `Error` naming the first bad one. */
export function parseLandscapeAttributes(a: LandscapeAttributes): LandscapeConfig {
  const mode = (a.mode ?? 'analytic').trim().toLowerCase();
  if (mode !== 'analytic' && mode !== 'mlp') fail('mode', `must be "analytic" or "mlp", got "${mode.slice(0, 40)}"`, a.mode);
  const limits = LANDSCAPE_LIMITS[mode];
  const kind = (a.surface ?? 'rosenbrock').trim().toLowerCase();
  if (mode === 'analytic' && !(SURFACE_KINDS as string[]).includes(kind))
    fail('surface', `unknown surface "${kind.slice(0, 40)}" (known: ${SURFACE_KINDS.join(', ')})`, a.surface);
  const surfaceKind = ((SURFACE_KINDS as string[]).includes(kind) ? kind : 'rosenbrock') as SurfaceKind;
  const seed = numberIn('seed', a.seed, 1, 0, 0xffffffff, true);
  const surface: SurfaceSpec = {
    kind: surfaceKind,
    condition: numberIn('condition', a.condition, 10, 1, 1e4),
    rotation: numberIn('rotation', a.rotation, 0, -360, 360),
    noise: numberIn('noise', a.noise, 0, 0, 100),
    seed,
  };
  try {
    resolveSurface('surface', surface);
  } catch (e) {
    fail('surface', (e as Error).message);
  }
  const view = mode === 'mlp' ? MLP_VIEW : SURFACE_VIEWS[surfaceKind];
  const defaults = {
    lr: a.lr == null ? null : numberIn('lr', a.lr, 0, 0, 1e3),
    beta1: a.beta1 == null ? null : numberIn('beta1', a.beta1, 0, 0, 0.999999),
    beta2: a.beta2 == null ? null : numberIn('beta2', a.beta2, 0, 0, 0.999999),
  };
  const o = a.overrides ?? {};
  const forced = {
    lr: o.lr == null ? null : numberIn('lr', o.lr, 0, 0, 1e3),
    beta1: o.beta1 == null ? null : numberIn('β₁', o.beta1, 0, 0, 0.999999),
    beta2: o.beta2 == null ? null : numberIn('β₂', o.beta2, 0, 0, 0.999999),
  };
  const optimizers = parseOptimizers(a.optimizers ?? 'sgd,momentum,adam', defaults, forced);
  const starts = a.start != null && a.start.trim() !== '' ? parseStarts(a.start) : [[...view.start] as [number, number]];
  const steps = numberIn('steps', a.steps, mode === 'mlp' ? 60 : 150, 0, limits.steps, true);
  const resolution = numberIn('resolution', a.resolution, mode === 'mlp' ? 21 : 160, 8, limits.resolution, true);
  let domain = [...view.domain] as [number, number, number, number];
  const d =
    typeof a.domain === 'string'
      ? a.domain
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number)
      : a.domain;
  if (d != null && d.length > 0) {
    const ok = d.length === 4 && d.every((v) => Number.isFinite(v) && Math.abs(v) <= 1e6);
    if (!ok || !(d[1]! - d[0]! >= MIN_SPAN) || !(d[3]! - d[2]! >= MIN_SPAN)) {
      fail('domain', `must be "x0,x1,y0,y1" with x1 ≥ x0 + ${MIN_SPAN} and y1 ≥ y0 + ${MIN_SPAN}`, a.domain);
    }
    domain = [...d] as [number, number, number, number];
  }
  const logScale = mode === 'mlp' || SURFACE_VIEWS[surfaceKind].minimum !== null;
  return { mode, surface, optimizers, starts, steps, resolution, domain, seed, logScale };
}
