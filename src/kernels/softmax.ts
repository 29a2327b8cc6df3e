/**
 * `softmax(gpu, x, {bias, log})`: numerically stable softmax (or log-softmax) along
 * the last axis of `x`, any row length, with an optional additive bias/mask
 * broadcast over the leading dims. See shaders/softmax/softmax.wgsl.
 *
 * Masking: a logit x + bias below −1e30 (−∞ included) is masked and gets exactly 0
 * (log-softmax: −∞); a row with every entry masked gives all 0 (log: all −∞), never NaN.
 */
import type { Gpu } from '../gpu/device';
import { Tensor, shapeOf, toDevice, type TensorLike } from '../gpu/tensor';
import { packScalars } from '../gpu/uniforms';
import { SOFTMAX_KERNEL } from './attention/specs';
import { resolveSoftmax } from '../problem/softmax';

export { SOFTMAX_KERNEL, resolveSoftmax };

export interface SoftmaxOptions {
  /** Additive bias, shape = trailing dims of x ([L], [R, L], …), broadcast over the leading dims. −∞ masks. */
  bias?: TensorLike;
  /** Return log-softmax instead. */
  log?: boolean;
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
 * Lanes per row and rows per workgroup, from the row length (a pipeline per size
 * class, not per size): about 8 entries per lane, 4…256 lanes, ≥ 64 invocations.
 */
export function softmaxLayout(len: number): { LPR: number; ROWS: number } {
  let LPR = 4;
  while (LPR < 256 && LPR * 8 < len) LPR *= 2;
  return { LPR, ROWS: Math.max(1, 64 / LPR) };
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
  await gpu.ready(op);
  const input = toDevice(gpu, op, 'x', x);
  const bias = opts?.bias !== undefined && biasRows > 0 ? toDevice(gpu, op, 'bias', opts.bias) : null;
  try {
    return await softmaxRows(gpu, op, input.tensor, shape, rows, len, bias?.tensor ?? null, biasRows, log, null);
  } finally {
    if (input.owned) input.tensor.destroy();
    if (bias?.owned) bias.tensor.destroy();
  }
}

/**
 * @internal The launcher shared by `softmax` and naive attention: `rows` rows of
 * `len` in `x`, output of `shape`. Inputs are validated by the caller.
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
): Promise<Tensor> {
  const out = Tensor.zeros(gpu, shape, `${op}:y`);
  if (rows === 0 || len === 0) return out;
  const temporaries: GPUBuffer[] = [];
  try {
    const { LPR, ROWS } = softmaxLayout(len);
    const pipeline = await gpu.pipeline(SOFTMAX_KERNEL, { LPR, ROWS });
    const params = gpu.uniformBuffer(
      `${op}:params`,
      packScalars([
        ['u32', rows],
        ['u32', len],
        ['u32', bias ? biasRows : 0],
        ['u32', log ? 1 : 0],
        ['u32', masks?.causal ? 1 : 0],
        ['i32', masks?.causalOffset ?? 0],
        ['u32', masks?.nq ?? 1],
        ['u32', masks?.keep ? 1 : 0],
        ['u32', masks?.rowsPerBatch ?? rows],
        ['f32', -Infinity],
        ['u32', 0],
        ['u32', 0],
      ]),
    );
    temporaries.push(params);
    const dummy = !bias || !masks?.keep ? gpu.createBuffer(`${op}:unused`, 4, GPUBufferUsage.STORAGE) : null;
    if (dummy) temporaries.push(dummy);
    const bind = {
      params,
      x: x.buffer,
      bias: bias ? bias.buffer : dummy!,
      keep: masks?.keep ? masks.keep.buffer : dummy!,
      y: out.buffer,
    };
    await gpu.submit(
      op,
      (encoder) => {
        const pass = gpu.beginComputePass(encoder, op);
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, gpu.bindGroup(SOFTMAX_KERNEL, bind));
        gpu.dispatch(pass, Math.ceil(rows / ROWS), op);
        pass.end();
      },
      temporaries,
    );
    return out;
  } catch (e) {
    for (const t of temporaries) gpu.release(t);
    out.destroy();
    throw e;
  }
}
