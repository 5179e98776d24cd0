import protobuf from 'protobufjs';
import { invalid } from '../common/domain-error';
import { ONNX_PROTO } from './onnx-schema';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;

export interface TensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  rawData?: Uint8Array;
  dataLocation?: number;
  [field: string]: unknown;
}

export interface AttributeProto {
  name: string;
  type?: number;
  i?: number;
  f?: number;
  ints?: number[];
  [field: string]: unknown;
}

export interface NodeProto {
  name?: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute?: AttributeProto[];
  [field: string]: unknown;
}

export interface ValueInfoProto {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: unknown } };
  [field: string]: unknown;
}

export interface GraphProto {
  name?: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  [field: string]: unknown;
}

export interface ModelProto {
  irVersion?: number;
  opsetImport?: Array<{ domain?: string; version: number }>;
  producerName?: string;
  graph: GraphProto;
  [field: string]: unknown;
}

const root = protobuf.parse(ONNX_PROTO, { keepCase: false }).root;
const Model = root.lookupType('onnx.ModelProto');
// int64 as plain numbers: dims and attributes of image models are far below 2^53.
const AS_PLAIN = { longs: Number, enums: Number, arrays: true, defaults: false } as const;

/** Decodes an ONNX file into plain objects; a file that is not a ModelProto is a 422. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  let model: ModelProto;
  try {
    model = Model.toObject(Model.decode(bytes), AS_PLAIN) as ModelProto;
  } catch (error) {
    throw invalid('model_not_onnx', `the model file is not an ONNX ModelProto: ${(error as Error).message}`);
  }
  if (!model.graph) throw invalid('model_not_onnx', 'the model file has no graph');
  const graph = model.graph;
  graph.node = graph.node ?? [];
  graph.initializer = graph.initializer ?? [];
  graph.input = graph.input ?? [];
  graph.output = graph.output ?? [];
  for (const node of graph.node) {
    node.input = node.input ?? [];
    node.output = node.output ?? [];
  }
  return model;
}

export function encodeModel(model: ModelProto): Buffer {
  return Buffer.from(Model.encode(Model.fromObject(model)).finish());
}

/** The default-domain opset the model imports (0 when none). */
export function defaultOpset(model: ModelProto): number {
  return model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0;
}

/** A float initializer's values, from raw_data (little-endian) or float_data. */
export function floatValues(tensor: TensorProto): Float32Array {
  if (tensor.rawData && tensor.rawData.length > 0) {
    const raw = tensor.rawData;
    // Copied: raw_data is not guaranteed to be 4-byte aligned inside the decoded buffer.
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return Float32Array.from(tensor.floatData ?? []);
}

export function isExternal(tensor: TensorProto): boolean {
  return tensor.dataLocation === 1;
}

function rawBytes(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

export function floatTensor(name: string, dims: number[], values: Float32Array): TensorProto {
  return { name, dims, dataType: DataType.FLOAT, rawData: rawBytes(values) };
}

export function int8Tensor(name: string, dims: number[], values: Int8Array): TensorProto {
  return { name, dims, dataType: DataType.INT8, rawData: rawBytes(values) };
}

export function uint8Tensor(name: string, dims: number[], values: Uint8Array): TensorProto {
  return { name, dims, dataType: DataType.UINT8, rawData: rawBytes(values) };
}

export function int32Tensor(name: string, dims: number[], values: Int32Array): TensorProto {
  return { name, dims, dataType: DataType.INT32, rawData: rawBytes(values) };
}

export function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

export function intAttribute(axis: number, name = 'axis'): AttributeProto {
  return { name, type: 2, i: axis };
}

/** Parameters: the element count of every initializer (weights, biases, constants stored in the file). */
export function parameterCount(model: ModelProto): number {
  return model.graph.initializer.reduce((sum, t) => sum + (t.dims ?? []).reduce((n, d) => n * Number(d), 1), 0);
}
