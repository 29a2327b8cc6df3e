/**
 * A minimal ONNX model writer: just enough of the protobuf wire format and of
 * onnx.proto (ModelProto, OperatorSetIdProto, GraphProto, NodeProto,
 * AttributeProto, ValueInfoProto, TypeProto.Tensor, TensorShapeProto,
 * TensorProto) to build one-op float32 graphs in code, so the ONNX Runtime peer
 * never downloads a model. Field numbers are those of onnx/onnx.proto.
 */

/** A float32 graph input or output with a fixed shape. */
export interface OnnxValue {
  name: string;
  shape: readonly number[];
}

/** A node attribute: an int64 (`int`) or a float (`float`). */
export type OnnxAttribute = { name: string; int: number } | { name: string; float: number };

/** One operator call. Inputs named '' are absent optional inputs. */
export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  /** '' (the default ONNX domain) or e.g. 'com.microsoft'. */
  domain?: string;
  name?: string;
  attributes?: readonly OnnxAttribute[];
}

/** A float32 constant stored in the graph. */
export interface OnnxInitializer {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

/** A model of one graph. */
export interface OnnxModel {
  /** IR version (default 8). */
  irVersion?: number;
  /** One entry per operator domain the nodes use. */
  opsets: readonly { domain: string; version: number }[];
  graph: {
    name: string;
    nodes: readonly OnnxNode[];
    inputs: readonly OnnxValue[];
    outputs: readonly OnnxValue[];
    initializers?: readonly OnnxInitializer[];
  };
}

/** Thrown for a model the writer cannot encode (bad sizes, unknown names). */
export class OnnxModelError extends Error {
  override name = 'OnnxModelError';
}

/** TensorProto.DataType.FLOAT. */
const FLOAT = 1;
/** AttributeProto.AttributeType. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;

/** Protobuf wire types. */
const VARINT = 0;
const LEN = 2;
const I32 = 5;

/** Appends protobuf fields to a growing byte list. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new OnnxModelError(`onnx-model: ${value} is not a safe integer`);
    // Negative int64 values are ten bytes of two's complement; BigInt keeps that exact.
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** An int32/int64/enum field. */
  int(field: number, value: number): this {
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  /** A float field (fixed 32 bits, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, I32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes.push(...b);
    return this;
  }

  /** A bytes or embedded-message field. */
  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, LEN);
    this.varint(value.length);
    // push(...value) overflows the call stack on large tensors.
    for (let i = 0; i < value.length; i++) this.bytes.push(value[i]!);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function checkShape(what: string, shape: readonly number[]): void {
  for (const d of shape)
    if (!Number.isSafeInteger(d) || d < 0) throw new OnnxModelError(`onnx-model: ${what} has a bad dimension in [${shape.join(', ')}]`);
}

/** TypeProto { tensor_type { elem_type: FLOAT, shape { dim { dim_value }… } } }. */
function writeValueInfo(w: ProtoWriter, v: OnnxValue): void {
  checkShape(v.name, v.shape);
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => dim.int(1, d));
      }),
    ),
  );
}

function writeTensor(w: ProtoWriter, t: OnnxInitializer): void {
  checkShape(t.name, t.shape);
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== n) throw new OnnxModelError(`onnx-model: ${t.name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
  for (const d of t.shape) w.int(1, d);
  w.int(2, FLOAT).string(8, t.name);
  // raw_data is little-endian; copy so a subarray view never leaks neighbouring bytes.
  const raw = new Uint8Array(n * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < n; i++) view.setFloat32(i * 4, t.data[i]!, true);
  w.bytesField(9, raw);
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const i of node.inputs) w.string(1, i);
  for (const o of node.outputs) w.string(2, o);
  if (node.name) w.string(3, node.name);
  w.string(4, node.opType);
  for (const a of node.attributes ?? []) {
    w.message(5, (attr) => {
      attr.string(1, a.name);
      if ('int' in a) attr.int(3, a.int).int(20, ATTR_INT);
      else attr.float(2, a.float).int(20, ATTR_FLOAT);
    });
  }
  if (node.domain) w.string(7, node.domain);
}

/** Checks that every node input is a graph input, an initializer or an earlier node's output. */
function checkGraph(g: OnnxModel['graph'], opsets: OnnxModel['opsets']): void {
  const known = new Set<string>(['', ...g.inputs.map((v) => v.name), ...(g.initializers ?? []).map((t) => t.name)]);
  const domains = new Set(opsets.map((o) => o.domain));
  for (const node of g.nodes) {
    if (!domains.has(node.domain ?? ''))
      throw new OnnxModelError(`onnx-model: ${node.opType} uses domain '${node.domain ?? ''}' with no opset`);
    for (const i of node.inputs)
      if (!known.has(i)) throw new OnnxModelError(`onnx-model: ${node.opType} reads '${i}', which nothing defines`);
    for (const o of node.outputs) known.add(o);
  }
  for (const o of g.outputs) if (!known.has(o.name)) throw new OnnxModelError(`onnx-model: output '${o.name}' is never written`);
}

/** Serializes `model` to the bytes of an .onnx file (a ModelProto). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const g = model.graph;
  checkGraph(g, model.opsets);
  const w = new ProtoWriter();
  w.int(1, model.irVersion ?? 8).string(2, 'kernelscope');
  w.message(7, (graph) => {
    for (const node of g.nodes) graph.message(1, (n) => writeNode(n, node));
    graph.string(2, g.name);
    for (const t of g.initializers ?? []) graph.message(5, (x) => writeTensor(x, t));
    for (const v of g.inputs) graph.message(11, (x) => writeValueInfo(x, v));
    for (const v of g.outputs) graph.message(12, (x) => writeValueInfo(x, v));
  });
  for (const o of model.opsets) w.message(8, (op) => op.string(1, o.domain).int(2, o.version));
  return w.finish();
}
