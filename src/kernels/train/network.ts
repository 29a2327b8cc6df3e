/**
 * The trainable MLP on the GPU as launch lists over a flat parameter buffer (layout:
 * src/problem/train-model.ts; each tensor is bound as a 256-byte-aligned range).
 *
 * Forward, layer l:  z_l = h_l·W_l (matmul ladder), then z_l += b_l, h_{l+1} = act(z_l)
 * (bias_act.wgsl; the output layer has no activation: its z is the output).
 * Backward from dz of the output (the loss kernel writes it):
 *   dW_l = h_lᵀ·dz_l (matmul, transposed A),  db_l = Σ_rows dz_l (col_sum.wgsl),
 *   dh_l = dz_l·W_lᵀ (matmul, transposed B),  dz_{l−1} = dh_l ⊙ act′(z_{l−1}) (act_backward.wgsl).
 *
 * The CPU reference is src/reference/train/network.ts.
 */
import type { Gpu } from '../../gpu/device';
import { ACTIVATION_IDS } from '../../problem/train-layers';
import type { NetworkLayout, TensorSlot } from '../../problem/train-model';
import { matmulLaunch, workgroupSize, type Binding, type Launch } from './encode';
import { groups } from './call';
import { ACT_BACKWARD_KERNEL, BIAS_ACT_KERNEL, COL_SUM_KERNEL } from './specs';

/** The range of `buffer` holding `slot` (offsets are 256-byte aligned by the layout). */
export function slotRange(buffer: GPUBuffer, slot: TensorSlot): Binding {
  return { buffer, offset: slot.offset * 4, size: slot.size * 4 };
}

/** The per-batch buffers of a network: input, pre-activations, hidden outputs and, for training, their gradients. */
export class NetworkBuffers {
  readonly batch: number;
  /** h_0 [B, inputWidth]. */
  readonly input: GPUBuffer;
  /** z_l [B, out_l] for every layer; the last is the network's output. */
  readonly zs: GPUBuffer[];
  /** h_{l+1} = act(z_l) for the hidden layers. */
  readonly hs: GPUBuffer[];
  /** dz_l for every layer, and dh_l for l ≥ 1 (training only). */
  readonly dzs: GPUBuffer[];
  readonly dhs: GPUBuffer[];
  /** A 16-byte spare (unused outputs, the direct matmul's vec4 view of a tiny B). */
  readonly spare: GPUBuffer;
  private readonly gpu: Gpu;

  constructor(gpu: Gpu, layout: NetworkLayout, batch: number, training: boolean, label: string) {
    this.gpu = gpu;
    this.batch = batch;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const made: GPUBuffer[] = [];
    const buf = (name: string, values: number) => {
      const b = gpu.createBuffer(`${label}:${name}`, values * 4, usage);
      made.push(b);
      return b;
    };
    try {
      this.spare = buf('spare', 4);
      this.input = buf('input', batch * layout.inputWidth);
      this.zs = layout.layers.map((L, l) => buf(`z${l}`, batch * L.outDim));
      this.hs = layout.layers.filter((L) => L.activated).map((L, l) => buf(`h${l + 1}`, batch * L.outDim));
      this.dzs = training ? layout.layers.map((L, l) => buf(`dz${l}`, batch * L.outDim)) : [];
      this.dhs = training ? layout.layers.map((L, l) => (l === 0 ? this.spare : buf(`dh${l}`, batch * L.inDim))) : [];
    } catch (e) {
      for (const b of made) gpu.release(b);
      throw e;
    }
  }

  /** The network's output [B, outputs]. */
  get output(): GPUBuffer {
    return this.zs[this.zs.length - 1]!;
  }

  /** Layer l's input h_l. */
  layerInput(l: number): GPUBuffer {
    return l === 0 ? this.input : this.hs[l - 1]!;
  }

  destroy(): void {
    const all = new Set([this.spare, this.input, ...this.zs, ...this.hs, ...this.dzs, ...this.dhs]);
    for (const b of all) this.gpu.release(b);
  }
}

/** The forward pass of `layout` on `bufs` with parameters `params` (the flat vector). */
export function forwardLaunches(gpu: Gpu, layout: NetworkLayout, bufs: NetworkBuffers, params: GPUBuffer, label: string): Launch[] {
  const B = bufs.batch;
  const wg = workgroupSize(gpu, 256);
  const act = ACTIVATION_IDS[layout.spec.activation];
  const out: Launch[] = [];
  layout.layers.forEach((L, l) => {
    out.push(
      matmulLaunch(gpu, `${label}:z${l}`, [B, L.inDim], L.w.shape, {}, bufs.layerInput(l), slotRange(params, L.w), bufs.zs[l]!, bufs.spare),
    );
    out.push({
      label: `${label}:bias-act${l}`,
      spec: BIAS_ACT_KERNEL,
      constants: { WG: wg, ACT: L.activated ? act : 0 },
      uniform: { n: B * L.outDim, cols: L.outDim },
      buffers: { bias: slotRange(params, L.b), z: bufs.zs[l]!, h: L.activated ? bufs.hs[l]! : bufs.spare },
      workgroups: groups(B * L.outDim, wg),
    });
  });
  return out;
}

/**
 * The backward pass: from dz of the output layer (`bufs.dzs` last, written by the
 * loss) to every parameter's gradient in `grads` (the flat layout; padding untouched).
 */
export function backwardLaunches(
  gpu: Gpu,
  layout: NetworkLayout,
  bufs: NetworkBuffers,
  params: GPUBuffer,
  grads: GPUBuffer,
  label: string,
): Launch[] {
  const B = bufs.batch;
  const wg = workgroupSize(gpu, 256);
  const colWg = workgroupSize(gpu, 64);
  const act = ACTIVATION_IDS[layout.spec.activation];
  const out: Launch[] = [];
  for (let l = layout.layers.length - 1; l >= 0; l--) {
    const L = layout.layers[l]!;
    const dz = bufs.dzs[l]!;
    out.push(
      matmulLaunch(
        gpu,
        `${label}:dw${l}`,
        [B, L.inDim],
        [B, L.outDim],
        { transposeA: true },
        bufs.layerInput(l),
        dz,
        slotRange(grads, L.w),
        bufs.spare,
      ),
    );
    out.push({
      label: `${label}:db${l}`,
      spec: COL_SUM_KERNEL,
      constants: { WG: colWg },
      uniform: { rows: B, cols: L.outDim },
      buffers: { x: dz, out: slotRange(grads, L.b) },
      workgroups: L.outDim,
    });
    if (l === 0) break;
    const dh = bufs.dhs[l]!;
    out.push(
      matmulLaunch(gpu, `${label}:dh${l}`, [B, L.outDim], L.w.shape, { transposeB: true }, dz, slotRange(params, L.w), dh, bufs.spare),
    );
    out.push({
      label: `${label}:act-backward${l - 1}`,
      spec: ACT_BACKWARD_KERNEL,
      constants: { WG: wg, ACT: act },
      uniform: { n: B * L.inDim },
      buffers: { z: bufs.zs[l - 1]!, dh, dz: bufs.dzs[l - 1]! },
      workgroups: groups(B * L.inDim, wg),
    });
  }
  return out;
}
