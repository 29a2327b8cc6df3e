/**
 * Training checkpoints: what a run's state is, and its two file forms, both
 * bit-identical on a round trip (every f32 travels as its little-endian bytes):
 *
 * - JSON: the header fields plus each array as base64 of its bytes;
 * - binary: `KSCK`, a u32 version, a u32 header length, the header as UTF-8 JSON
 *   (padded with spaces to 4 bytes), then params, m, v, vmax as raw f32.
 *
 * Also the typed error of a run whose loss stops being finite: it carries the last
 * checkpoint whose loss was finite. Pure: no GPU.
 */
import { InvalidArgumentError, KernelscopeError, ShapeError } from './errors';
import { networkLayout, type NetworkSpec } from './train-model';
import { resolveOptimizer, type OptimizerConfig, type ResolvedOptimizer, type Schedule } from './optim';

/** Everything needed to continue a run bit for bit. */
export interface Checkpoint {
  network: Required<NetworkSpec>;
  optimizer: ResolvedOptimizer;
  /** Steps taken. */
  step: number;
  seed: number;
  /** β₁ᵗ and β₂ᵗ (f32 running products). */
  b1t: number;
  b2t: number;
  /** The flat vectors (layout `networkLayout(network).count` long). */
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  vmax: Float32Array;
}

export const CHECKPOINT_FORMAT = 'kernelscope.checkpoint';
export const CHECKPOINT_VERSION = 1;
const MAGIC = [0x4b, 0x53, 0x43, 0x4b]; // "KSCK"
const ARRAYS = ['params', 'm', 'v', 'vmax'] as const;

/** A loss that is NaN or ±∞ stopped the run; `checkpoint` is the last state whose loss was finite (null if none). */
export class NonFiniteLossError extends KernelscopeError {
  readonly step: number;
  readonly loss: number;
  readonly checkpoint: Checkpoint | null;
  constructor(op: string, step: number, loss: number, checkpoint: Checkpoint | null) {
    super(
      op,
      `the loss at step ${step} is ${loss}; the run stopped` +
        (checkpoint ? ` and kept the checkpoint of step ${checkpoint.step}` : ' before any finite loss was seen'),
    );
    this.step = step;
    this.loss = loss;
    this.checkpoint = checkpoint;
  }
}

function toBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(op: string, name: string, s: unknown): Float32Array {
  if (typeof s !== 'string') throw new InvalidArgumentError(op, name, s, 'a base64 string');
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    throw new InvalidArgumentError(op, name, `${s.slice(0, 20)}…`, 'valid base64');
  }
  if (bin.length % 4 !== 0) throw new InvalidArgumentError(op, name, `${bin.length} bytes`, 'a whole number of f32 values');
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/** The configuration that resolves to `o` (its numbers are already f32, so resolving is exact). */
function optimizerConfig(o: ResolvedOptimizer): OptimizerConfig {
  const schedule: Schedule =
    o.schedule === 'step'
      ? { kind: 'step', every: o.s0, gamma: o.s1 }
      : o.schedule === 'cosine'
        ? { kind: 'cosine', total: o.s0, minLr: o.s1 }
        : o.schedule === 'warmup'
          ? { kind: 'warmup', warmup: o.s0 }
          : { kind: 'constant' };
  const { kind, lr, beta1, beta2, eps, weightDecay, biasCorrection, label } = o;
  return { kind, lr, beta1, beta2, eps, weightDecay, biasCorrection, label, schedule };
}

function header(ck: Checkpoint) {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    network: ck.network,
    optimizer: optimizerConfig(ck.optimizer),
    step: ck.step,
    seed: ck.seed,
    b1t: ck.b1t,
    b2t: ck.b2t,
  };
}

/**
 * Checks a decoded checkpoint: its header, and every array the length of its network's layout.
 * @throws InvalidArgumentError for a bad field, ShapeError for an array of the wrong length
 */
export function checkCheckpoint(op: string, raw: Record<string, unknown>, arrays: Record<string, Float32Array>): Checkpoint {
  if (raw.format !== CHECKPOINT_FORMAT) throw new InvalidArgumentError(op, 'format', raw.format, `'${CHECKPOINT_FORMAT}'`);
  if (raw.version !== CHECKPOINT_VERSION) throw new InvalidArgumentError(op, 'version', raw.version, String(CHECKPOINT_VERSION));
  const layout = networkLayout(op, raw.network as NetworkSpec);
  const optimizer = resolveOptimizer(op, raw.optimizer as never);
  for (const k of ['step', 'seed'] as const) {
    const v = raw[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new InvalidArgumentError(op, k, v, 'an unsigned 32-bit integer');
  }
  for (const k of ['b1t', 'b2t'] as const) {
    const v = raw[k];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InvalidArgumentError(op, k, v, 'a number in [0, 1]');
  }
  for (const k of ARRAYS) {
    const a = arrays[k]!;
    if (a.length !== layout.count)
      throw new ShapeError(op, `${k} holds ${a.length} values but the network's layout holds ${layout.count}`, { [k]: [a.length] });
  }
  return {
    network: layout.spec,
    optimizer,
    step: raw.step as number,
    seed: raw.seed as number,
    b1t: raw.b1t as number,
    b2t: raw.b2t as number,
    params: arrays.params!,
    m: arrays.m!,
    v: arrays.v!,
    vmax: arrays.vmax!,
  };
}

/** The checkpoint as a JSON string (arrays as base64 of their f32 bytes). */
export function checkpointToJson(ck: Checkpoint): string {
  return JSON.stringify({ ...header(ck), ...Object.fromEntries(ARRAYS.map((k) => [k, toBase64(ck[k])])) });
}

/** Parses `checkpointToJson`'s output. @throws InvalidArgumentError / ShapeError for a malformed one */
export function checkpointFromJson(text: string): Checkpoint {
  const op = 'checkpointFromJson';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(op, 'text', `${String(text).slice(0, 40)}…`, `JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null) throw new InvalidArgumentError(op, 'text', raw, 'a JSON object');
  const r = raw as Record<string, unknown>;
  return checkCheckpoint(op, r, Object.fromEntries(ARRAYS.map((k) => [k, fromBase64(op, k, r[k])])));
}

/** The checkpoint as bytes: `KSCK`, version, header length, header JSON, then the four f32 arrays. */
export function checkpointToBytes(ck: Checkpoint): Uint8Array {
  let json = JSON.stringify(header(ck));
  while (json.length % 4 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const n = ck.params.length;
  const out = new Uint8Array(12 + head.length + 4 * 4 * n);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, CHECKPOINT_VERSION, true);
  view.setUint32(8, head.length, true);
  out.set(head, 12);
  let o = 12 + head.length;
  for (const k of ARRAYS) {
    // Bytes, not numbers: a NaN's payload survives (typed arrays are little-endian on every WebGPU platform).
    out.set(new Uint8Array(ck[k].buffer, ck[k].byteOffset, ck[k].byteLength), o);
    o += 4 * ck[k].length;
  }
  return out;
}

/** Parses `checkpointToBytes`'s output. @throws InvalidArgumentError / ShapeError for a malformed file */
export function checkpointFromBytes(bytes: Uint8Array): Checkpoint {
  const op = 'checkpointFromBytes';
  if (!(bytes instanceof Uint8Array) || bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new InvalidArgumentError(op, 'bytes', bytes, "a checkpoint file starting with 'KSCK'");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(8, true);
  if (12 + len > bytes.length) throw new InvalidArgumentError(op, 'header length', len, `at most ${bytes.length - 12}`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidArgumentError(op, 'header', '(unparsable)', `JSON (${(e as Error).message})`);
  }
  if (view.getUint32(4, true) !== raw.version) throw new InvalidArgumentError(op, 'version', view.getUint32(4, true), String(raw.version));
  const rest = bytes.length - 12 - len;
  if (rest % 16 !== 0) throw new InvalidArgumentError(op, 'bytes', `${rest} bytes of arrays`, 'four f32 arrays of equal length');
  const n = rest / 16;
  const arrays: Record<string, Float32Array> = {};
  let o = 12 + len;
  for (const k of ARRAYS) {
    arrays[k] = new Float32Array(bytes.slice(o, o + 4 * n).buffer);
    o += 4 * n;
  }
  return checkCheckpoint(op, raw, arrays);
}
