import type { InferResult, OutputTensor } from './infer-response';

interface JsonOutput {
  name: string;
  shape: number[];
  datatype: string;
  data?: Array<number | string>;
  parameters?: { binary_data_size: number };
}

/** The response as it goes on the wire: plain JSON, or a JSON header followed by binary outputs. */
export type EncodedInferResponse =
  { kind: 'json'; body: object } | { kind: 'binary'; body: Buffer; headerLength: number };

/**
 * Binary tensor data extension: binary outputs carry `parameters.binary_data_size` in the JSON
 * header and their bytes follow it in output order; the caller sends headerLength as
 * Inference-Header-Content-Length. Without any binary output the answer is plain JSON.
 */
export function encodeInferResponse(result: InferResult): EncodedInferResponse {
  const blobs: Buffer[] = [];
  const outputs = result.outputs.map((output): JsonOutput => {
    const { name, shape, datatype } = output;
    if (!output.binary) return { name, shape, datatype, data: jsonData(output.values) };
    const bytes = tensorBytes(output);
    blobs.push(bytes);
    return { name, shape, datatype, parameters: { binary_data_size: bytes.length } };
  });
  const header = { ...result, outputs };
  if (blobs.length === 0) return { kind: 'json', body: header };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  return { kind: 'binary', body: Buffer.concat([json, ...blobs]), headerLength: json.length };
}

const jsonData = (values: Float32Array | string[]) =>
  values instanceof Float32Array ? Array.from(values) : [...values];

function tensorBytes(output: OutputTensor): Buffer {
  const { values } = output;
  if (values instanceof Float32Array) {
    const bytes = Buffer.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i], i * 4);
    return bytes;
  }
  return serializeBytes(values);
}

/** BYTES elements: each a 4-byte little-endian length, then its UTF-8 bytes. */
function serializeBytes(values: string[]): Buffer {
  const encoded = values.map((value) => Buffer.from(value, 'utf8'));
  const bytes = Buffer.alloc(encoded.reduce((sum, e) => sum + 4 + e.length, 0));
  let offset = 0;
  for (const element of encoded) {
    offset = bytes.writeUInt32LE(element.length, offset);
    offset += element.copy(bytes, offset);
  }
  return bytes;
}
