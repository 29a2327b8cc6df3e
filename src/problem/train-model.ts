/**
 * The trainable MLP's description and its parameter layout, shared by the GPU
 * network (`src/kernels/train/network.ts`), the CPU reference
 * (`src/reference/train/network.ts`) and checkpoints.
 *
 * A network is `inputs` features (plus an optional sinusoidal time embedding of
 * `timeEmbedding` features, concatenated after them), hidden layers of `hidden[i]`
 * units with `activation`, and a linear output of `outputs` values. Parameters live
 * in one flat f32 vector, tensor by tensor (W_l [in, out], then b_l), each tensor
 * starting on a 64-value (256-byte) boundary so that a kernel can bind it as its own
 * buffer range (WebGPU's storage offset alignment is at most 256 bytes).
 */
import { InvalidArgumentError } from './errors';
import { checkActivation, DEFAULT_MAX_PERIOD, type ActivationKind } from './train-layers';

/** The architecture of a trainable MLP. */
export interface NetworkSpec {
  /** Data features per row (2 for the point clouds). */
  inputs: number;
  /** Features of the sinusoidal time embedding appended to the inputs (0: none; else even). */
  timeEmbedding: number;
  /** Width of each hidden layer. */
  hidden: readonly number[];
  /** Outputs per row. */
  outputs: number;
  activation: ActivationKind;
  /** Longest period of the time embedding; default 10000. */
  maxPeriod?: number;
}

/** One parameter tensor's place in the flat vector, and how it starts. */
export interface TensorSlot {
  /** `w0`, `b0`, `w1`, … */
  name: string;
  shape: number[];
  /** Offset in values (a multiple of `SLOT_ALIGN`). */
  offset: number;
  /** Number of values. */
  size: number;
  /** Standard deviation of its Gaussian initialization (0: zeros). */
  initStd: number;
}

/** One dense layer: its slots and widths. */
export interface LayerLayout {
  inDim: number;
  outDim: number;
  w: TensorSlot;
  b: TensorSlot;
  /** Whether the activation follows (false for the output layer). */
  activated: boolean;
}

/** A network's flat parameter layout. */
export interface NetworkLayout {
  spec: Required<NetworkSpec>;
  layers: LayerLayout[];
  slots: TensorSlot[];
  /** Values in the flat vector, padding included (a multiple of `SLOT_ALIGN`). */
  count: number;
  /** Values that are parameters (padding excluded). */
  parameters: number;
  /** Width of the first layer's input: inputs + timeEmbedding. */
  inputWidth: number;
}

/** Slot alignment in values: 64 f32 = 256 bytes, the largest `minStorageBufferOffsetAlignment`. */
export const SLOT_ALIGN = 64;

/** Largest width of any layer, and most layers. */
export const MAX_NETWORK_WIDTH = 4096;
export const MAX_NETWORK_LAYERS = 16;

function positiveInt(op: string, name: string, v: unknown, max = MAX_NETWORK_WIDTH): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    throw new InvalidArgumentError(op, name, v, `an integer in [1, ${max}]`);
  return v;
}

/** Validates a network description; fills the defaults. @throws InvalidArgumentError naming the field */
export function resolveNetworkSpec(op: string, spec: unknown): Required<NetworkSpec> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new InvalidArgumentError(op, 'network', spec, 'a network {inputs, timeEmbedding, hidden, outputs, activation}');
  const s = spec as Record<string, unknown>;
  const inputs = positiveInt(op, 'network.inputs', s.inputs);
  const te = s.timeEmbedding ?? 0;
  if (typeof te !== 'number' || !Number.isInteger(te) || te < 0 || te % 2 !== 0 || te > MAX_NETWORK_WIDTH)
    throw new InvalidArgumentError(op, 'network.timeEmbedding', te, `0 or an even integer in [2, ${MAX_NETWORK_WIDTH}]`);
  if (!Array.isArray(s.hidden) || s.hidden.length > MAX_NETWORK_LAYERS - 1)
    throw new InvalidArgumentError(op, 'network.hidden', s.hidden, `an array of at most ${MAX_NETWORK_LAYERS - 1} widths`);
  const hidden = Array.from(s.hidden as unknown[], (h, i) => positiveInt(op, `network.hidden[${i}]`, h));
  const outputs = positiveInt(op, 'network.outputs', s.outputs);
  const activation = checkActivation(op, s.activation);
  const maxPeriod = s.maxPeriod ?? DEFAULT_MAX_PERIOD;
  if (typeof maxPeriod !== 'number' || !(maxPeriod > 1 && maxPeriod <= 1e9))
    throw new InvalidArgumentError(op, 'network.maxPeriod', maxPeriod, 'a number in (1, 1e9]');
  return { inputs, timeEmbedding: te, hidden, outputs, activation, maxPeriod };
}

/** The flat layout of `spec`: Glorot-normal weights (He-normal under ReLU), zero biases. */
export function networkLayout(op: string, spec: NetworkSpec): NetworkLayout {
  const s = resolveNetworkSpec(op, spec);
  const widths = [s.inputs + s.timeEmbedding, ...s.hidden, s.outputs];
  const layers: LayerLayout[] = [];
  const slots: TensorSlot[] = [];
  let offset = 0;
  let parameters = 0;
  const slot = (name: string, shape: number[], initStd: number): TensorSlot => {
    const size = shape.reduce((p, d) => p * d, 1);
    const t: TensorSlot = { name, shape, offset, size, initStd };
    offset += Math.ceil(size / SLOT_ALIGN) * SLOT_ALIGN;
    parameters += size;
    slots.push(t);
    return t;
  };
  for (let l = 0; l + 1 < widths.length; l++) {
    const inDim = widths[l]!;
    const outDim = widths[l + 1]!;
    const std = s.activation === 'relu' ? Math.sqrt(2 / inDim) : Math.sqrt(2 / (inDim + outDim));
    const w = slot(`w${l}`, [inDim, outDim], std);
    const b = slot(`b${l}`, [outDim], 0);
    layers.push({ inDim, outDim, w, b, activated: l + 2 < widths.length });
  }
  return { spec: s, layers, slots, count: offset, parameters, inputWidth: widths[0]! };
}

/** The ε-predictor of the training page: 3 × 128 SiLU units on (x, 16-feature time embedding). */
export const DENOISER_NETWORK: NetworkSpec = Object.freeze({
  inputs: 2,
  timeEmbedding: 16,
  hidden: Object.freeze([128, 128, 128]),
  outputs: 2,
  activation: 'silu',
});

/** The loss-landscape page's classifier: 2 → 16 → 16 → 2 with tanh (src/reference/mlp.ts). */
export const CLASSIFIER_NETWORK: NetworkSpec = Object.freeze({
  inputs: 2,
  timeEmbedding: 0,
  hidden: Object.freeze([16, 16]),
  outputs: 2,
  activation: 'tanh',
});

/**
 * The flat vector of `src/problem/mlp.ts` (W_l then b_l, packed with no padding)
 * from this layout's padded vector, for the loss-landscape code.
 */
export function toPackedMlp(layout: NetworkLayout, params: ArrayLike<number>): Float32Array {
  const out = new Float32Array(layout.parameters);
  let o = 0;
  for (const s of layout.slots) {
    for (let i = 0; i < s.size; i++) out[o + i] = params[s.offset + i]!;
    o += s.size;
  }
  return out;
}
