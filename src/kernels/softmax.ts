/**
 * `softmax(gpu, x, {bias, log})`: numerically stable softmax (or log-softmax) along
 * the last axis of `x`, any row length, with an optional additive bias/mask
 * broadcast over the leading dims. Two kernels, chosen per device by `softmaxConfig`:
 * shaders/softmax/rows.wgsl (one invocation per row) and shaders/softmax/softmax.wgsl
 * (a workgroup's lanes per row).
 *
 * Masking: a logit x + bias below −1e30 (−∞ included) is masked and gets exactly 0
 * (log-softmax: −∞); a row with every entry masked gives all 0 (log: all −∞), never NaN.
 */
import { tunedSoftmax } from './softmax-tuning';
import type { Gpu } from '../gpu/device';
import { assertArguments, shapeOf, type Tensor, type TensorLike } from '../gpu/tensor';
import { launch, type Dispatch, type KernelDescription, type LaunchScope, type UniformLayout } from '../gpu/launch';
import { isCpuStyle } from '../gpu/adapter-class';
import { InvalidArgumentError, LimitExceededError } from '../problem/errors';
import { SOFTMAX_KERNEL, SOFTMAX_ROWS_KERNEL } from './attention/specs';
import { resolveSoftmax } from '../problem/softmax';

export { SOFTMAX_KERNEL, SOFTMAX_ROWS_KERNEL, resolveSoftmax };

/** The fields both kernels' `Params` start with (−∞ is a constant of the block). */
const SOFTMAX_FIELDS: UniformLayout = [
  ['rows', 'u32'],
  ['len', 'u32'],
  ['biasRows', 'u32'],
  ['logOut', 'u32'],
  ['causal', 'u32'],
  ['causalOffset', 'i32'],
  ['nq', 'u32'],
  ['hasKeep', 'u32'],
  ['rowsPerBatch', 'u32'],
  ['negInf', 'f32', -Infinity],
];

/** The 'workgroup' kernel (softmax.wgsl) with its uniform block. */
export const SOFTMAX_LAUNCH: KernelDescription = {
  ...SOFTMAX_KERNEL,
  uniforms: { binding: 'params', layout: [...SOFTMAX_FIELDS, ['_p0', 'u32', 0], ['_p1', 'u32', 0]] },
};

/** The 'rows' kernel (rows.wgsl) with its uniform block: `full4` counts y's whole vec4 slots. */
export const SOFTMAX_ROWS_LAUNCH: KernelDescription = {
  ...SOFTMAX_ROWS_KERNEL,
  uniforms: { binding: 'params', layout: [...SOFTMAX_FIELDS, ['full4', 'u32'], ['_p0', 'u32', 0]] },
};

export interface SoftmaxOptions {
  /** Additive bias, shape = trailing dims of x ([L], [R, L], …), broadcast over the leading dims. −∞ masks. */
  bias?: TensorLike;
  /** Return log-softmax instead. */
  log?: boolean;
  /** The kernel configuration to run (tests, the tuner); default `softmaxConfig`. Checked by `checkSoftmaxConfig`. */
  config?: SoftmaxConfig;
}

/** Row-level masks used by naive attention (not part of the public softmax options). */
export interface SoftmaxRowMasks {
  /** Causal: entry j of row r is masked when j > (r mod nq) + causalOffset. */
  causal: boolean;
  causalOffset: number;
  nq: number;
  /** [batches, len] of 1 (keep) / 0 (mask); batch = row / rowsPerBatch. */
  keep: Tensor | null;
  rowsPerBatch: number;
}

/**
 * Softmax of `x` along its last axis: y_j = e^{s_j − max s} / Σ e^{s_k − max s}, s = x + bias.
 * Returns a new tensor of x's shape. Throws `ShapeError`/`InvalidArgumentError` before GPU work.
 */
export async function softmax(gpu: Gpu, x: TensorLike, opts?: SoftmaxOptions): Promise<Tensor> {
  const op = 'softmax';
  const shape = shapeOf(op, 'x', x);
  const biasShape = opts?.bias !== undefined ? shapeOf(op, 'bias', opts.bias) : null;
  const { len, rows, biasRows, log } = resolveSoftmax(op, shape, opts, biasShape);
  const config = resolveSoftmaxConfig(op, gpu, rows, len, opts?.config);
  await gpu.ready(op);
  // Every argument is checked (tensors included) before the first upload; a failed upload leaves nothing behind.
  assertArguments(gpu, op, [
    ['x', x],
    ['bias', opts?.bias],
  ]);
  return launch(gpu, op, async (scope) => {
    const [input, bias] = scope.inputs([
      ['x', x],
      ['bias', biasRows > 0 ? opts?.bias : null],
    ]);
    return softmaxRows(gpu, op, input!, shape, rows, len, bias ?? null, biasRows, log, null, config);
  });
}

/**
 * The 'workgroup' variant's default layout: lanes per row and rows per workgroup, from
 * the row length (a pipeline per size class, not per size): about 8 entries per lane,
 * 4…256 lanes, ≥ 64 invocations.
 */
export function softmaxLayout(len: number): { LPR: number; ROWS: number } {
  let LPR = 4;
  while (LPR < 256 && LPR * 8 < len) LPR *= 2;
  return { LPR, ROWS: Math.max(1, 64 / LPR) };
}

/**
 * Which softmax kernel runs, with its override constants:
 * - `rows` (shaders/softmax/rows.wgsl): one invocation per `rowsPerInvocation` rows,
 *   vec4 sweeps, no workgroup memory. Suits CPU-style adapters (SwiftShader, lavapipe).
 * - `workgroup` (shaders/softmax/softmax.wgsl): `lanesPerRow` lanes share a row and merge
 *   their statistics in workgroup memory; `workgroupSize / lanesPerRow` rows per
 *   workgroup. Suits GPUs.
 */
export type SoftmaxConfig =
  | { readonly variant: 'rows'; readonly workgroupSize: number; readonly rowsPerInvocation: number }
  | { readonly variant: 'workgroup'; readonly workgroupSize: number; readonly lanesPerRow: number };

/** The kernel variants, in the order the tuner should try them. */
export const SOFTMAX_VARIANTS = ['rows', 'workgroup'] as const;

/** Storage buffers the 'rows' kernel binds (x, bias and keep twice, y, tail). */
export const ROWS_STORAGE_BUFFERS = 8;

/** Largest `rowsPerInvocation` accepted. */
export const MAX_ROWS_PER_INVOCATION = 16;

/**
 * The shipped default configuration for `rows` rows of `len` entries on this device,
 * by adapter class (`adapterClass`): 'rows' on CPU-style adapters, whose invocations
 * are SIMD lanes of CPU cores and whose barriers are expensive; 'workgroup' elsewhere
 * (and where the device cannot bind the 'rows' kernel's 8 storage buffers). On CPU-style
 * adapters the workgroup shrinks (to no fewer than 4 invocations) until there are at
 * least 16 workgroups, so every worker thread gets rows.
 */
export function softmaxConfig(gpu: Gpu, rows: number, len: number): SoftmaxConfig {
  if (isCpuStyle(gpu.info) && gpu.limits.maxStorageBuffersPerShaderStage >= ROWS_STORAGE_BUFFERS) {
    let workgroupSize = 64;
    while (workgroupSize > 4 && rows < 16 * workgroupSize) workgroupSize /= 2;
    return { variant: 'rows', workgroupSize, rowsPerInvocation: 1 };
  }
  const { LPR, ROWS } = softmaxLayout(len);
  return { variant: 'workgroup', workgroupSize: LPR * ROWS, lanesPerRow: LPR };
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;

/**
 * Checks a configuration given by a caller (tests, the tuner) against its rules and
 * this device's limits. Returns a plain copy. Throws `InvalidArgumentError` for a
 * malformed one and `LimitExceededError` for one past the device's limits; no GPU work.
 */
export function checkSoftmaxConfig(op: string, gpu: Gpu, config: unknown): SoftmaxConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InvalidArgumentError(op, 'config', config, "an object {variant: 'rows' | 'workgroup', workgroupSize, …}");
  }
  const c = config as Record<string, unknown>;
  const variant = c.variant;
  if (variant !== 'rows' && variant !== 'workgroup') {
    throw new InvalidArgumentError(op, 'config.variant', variant, `one of ${SOFTMAX_VARIANTS.map((v) => `'${v}'`).join(', ')}`);
  }
  const extra = variant === 'rows' ? 'rowsPerInvocation' : 'lanesPerRow';
  const unknown = Object.keys(c).find((k) => k !== 'variant' && k !== 'workgroupSize' && k !== extra);
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      op,
      `config.${unknown}`,
      c[unknown],
      `absent (a '${variant}' config has variant, workgroupSize, ${extra})`,
    );
  }
  const wg = c.workgroupSize;
  if (typeof wg !== 'number' || !Number.isInteger(wg) || wg < 1) {
    throw new InvalidArgumentError(op, 'config.workgroupSize', wg, 'a positive integer');
  }
  const limits = gpu.limits;
  const maxWg = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  if (wg > maxWg) throw new LimitExceededError(op, 'maxComputeInvocationsPerWorkgroup', wg, maxWg, 'config.workgroupSize');
  if (variant === 'rows') {
    const rpi = c.rowsPerInvocation;
    if (typeof rpi !== 'number' || !Number.isInteger(rpi) || rpi < 1 || rpi > MAX_ROWS_PER_INVOCATION) {
      throw new InvalidArgumentError(op, 'config.rowsPerInvocation', rpi, `an integer from 1 to ${MAX_ROWS_PER_INVOCATION}`);
    }
    if (limits.maxStorageBuffersPerShaderStage < ROWS_STORAGE_BUFFERS) {
      throw new LimitExceededError(
        op,
        'maxStorageBuffersPerShaderStage',
        ROWS_STORAGE_BUFFERS,
        limits.maxStorageBuffersPerShaderStage,
        "the 'rows' variant",
      );
    }
    return { variant, workgroupSize: wg, rowsPerInvocation: rpi };
  }
  const lpr = c.lanesPerRow;
  if (typeof lpr !== 'number' || !isPowerOfTwo(lpr) || lpr > wg || wg % lpr !== 0) {
    throw new InvalidArgumentError(op, 'config.lanesPerRow', lpr, `a power of two that divides workgroupSize (${wg})`);
  }
  const bytes = 8 * wg; // two f32 per invocation in workgroup memory
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    throw new LimitExceededError(
      op,
      'maxComputeWorkgroupStorageSize',
      bytes,
      limits.maxComputeWorkgroupStorageSize,
      'config.workgroupSize',
    );
  }
  return { variant, workgroupSize: wg, lanesPerRow: lpr };
}

/**
 * The configuration a call runs: the caller's (checked) if given, else this device's
 * tuned one for the row length's class (src/tune/), else `softmaxConfig`'s default.
 */
export function resolveSoftmaxConfig(op: string, gpu: Gpu, rows: number, len: number, config: unknown): SoftmaxConfig {
  if (config !== undefined) return checkSoftmaxConfig(op, gpu, config);
  return tunedSoftmax(gpu, len) ?? softmaxConfig(gpu, rows, len);
}

/** The buffers every variant binds (x, bias, keep, y), the uniform values and the call's features. */
interface Operands {
  params: Record<string, number>;
  x: Tensor;
  bias: Tensor | null;
  keep: Tensor | null;
  y: Tensor;
  /** Entries of the output. */
  total: number;
  /** The features of the call ('rows' compiles them in as override constants). */
  log: boolean;
  causal: boolean;
}

/** A variant's dispatch, and the copy after it (the 'rows' tail). */
interface SoftmaxLaunch {
  dispatch: Dispatch;
  then?: (encoder: GPUCommandEncoder) => void;
}

function workgroupLaunch(
  c: Extract<SoftmaxConfig, { variant: 'workgroup' }>,
  rows: number,
  o: Operands,
  scope: LaunchScope,
): SoftmaxLaunch {
  const ROWS = c.workgroupSize / c.lanesPerRow;
  const unused = !o.bias || !o.keep ? scope.scratch('unused', 16, GPUBufferUsage.STORAGE) : null;
  const bindings = { params: o.params, x: o.x, bias: o.bias ?? unused!, keep: o.keep ?? unused!, y: o.y };
  return { dispatch: { kernel: SOFTMAX_LAUNCH, constants: { LPR: c.lanesPerRow, ROWS }, bindings, workgroups: Math.ceil(rows / ROWS) } };
}

/**
 * The 'rows' kernel binds x, bias and keep also as vec4 arrays (a binding of one needs
 * ≥ 16 bytes; a view that short is never read) and y as whole vec4 slots. Outputs past
 * them go to `tail`: a 16-byte buffer copied to the end of y, or y itself when y holds
 * fewer than 4 entries (then no slot is whole and y's vec4 binding is a placeholder).
 */
function rowsLaunch(
  c: Extract<SoftmaxConfig, { variant: 'rows' }>,
  rows: number,
  len: number,
  o: Operands,
  scope: LaunchScope,
): SoftmaxLaunch {
  let unused: GPUBuffer | null = null;
  const readOnly = (t: Tensor | null, minBytes: number) => {
    if (t && t.buffer.size >= minBytes) return t;
    unused ??= scope.scratch('unused', 16, GPUBufferUsage.STORAGE);
    return unused;
  };
  const full4 = Math.floor(o.total / 4);
  const rest = o.total % 4;
  const spare = scope.scratch('tail', 16, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  const constants = {
    WG: c.workgroupSize,
    RPI: c.rowsPerInvocation,
    ALIGNED: Number(len % 4 === 0),
    HAS_BIAS: Number(o.bias !== null),
    CAUSAL: Number(o.causal),
    HAS_KEEP: Number(o.keep !== null),
    LOG_OUT: Number(o.log),
  };
  const bindings = {
    params: { ...o.params, full4 },
    x: o.x,
    x4: readOnly(o.x, 16),
    bias: readOnly(o.bias, 4),
    bias4: readOnly(o.bias, 16),
    keep: readOnly(o.keep, 4),
    keep4: readOnly(o.keep, 16),
    y: full4 > 0 ? o.y : spare,
    tail: full4 > 0 ? spare : o.y,
  };
  const dispatch = {
    kernel: SOFTMAX_ROWS_LAUNCH,
    constants,
    bindings,
    workgroups: Math.ceil(rows / (c.workgroupSize * c.rowsPerInvocation)),
  };
  if (full4 === 0 || rest === 0) return { dispatch };
  return { dispatch, then: (encoder) => encoder.copyBufferToBuffer(spare, 0, o.y.buffer, full4 * 16, rest * 4) };
}

/**
 * @internal The launcher shared by `softmax` and naive attention: `rows` rows of
 * `len` in `x`, output of `shape`. Inputs are validated by the caller; `config`
 * (checked by the caller) defaults to `softmaxConfig(gpu, rows, len)`.
 */
export async function softmaxRows(
  gpu: Gpu,
  op: string,
  x: Tensor,
  shape: readonly number[],
  rows: number,
  len: number,
  bias: Tensor | null,
  biasRows: number,
  log: boolean,
  masks: SoftmaxRowMasks | null,
  config: SoftmaxConfig = softmaxConfig(gpu, rows, len),
): Promise<Tensor> {
  return launch(gpu, op, async (scope) => {
    const out = scope.output(shape, 'y', 'overwritten'); // both layouts write every element (rows: with the tail copy)
    if (rows === 0 || len === 0) return out;
    const withBias = bias !== null && biasRows > 0;
    const params = {
      rows,
      len,
      biasRows: withBias ? biasRows : 0,
      logOut: log ? 1 : 0,
      causal: masks?.causal ? 1 : 0,
      causalOffset: masks?.causalOffset ?? 0,
      nq: masks?.nq ?? 1,
      hasKeep: masks?.keep ? 1 : 0,
      rowsPerBatch: masks?.rowsPerBatch ?? rows,
    };
    const operands: Operands = {
      params,
      x,
      bias: withBias ? bias : null,
      keep: masks?.keep ?? null,
      y: out,
      total: rows * len,
      log,
      causal: masks?.causal ?? false,
    };
    const l = config.variant === 'rows' ? rowsLaunch(config, rows, len, operands, scope) : workgroupLaunch(config, rows, operands, scope);
    await scope.runAll([l.dispatch], { then: l.then });
    return out;
  });
}
