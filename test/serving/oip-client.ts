/**
 * An Open Inference Protocol v2 REST client written from the specifications (KServe's protocol,
 * Triton's binary tensor data and classification extensions), not from Vigil's own code, so the
 * tests check the server against the protocol rather than against itself. Answers are read the
 * way tritonclient's InferResult reads them: with Inference-Header-Content-Length, that many bytes
 * are the JSON header and the rest the binary outputs, in output order, each binary_data_size long;
 * without it, the whole body is JSON.
 */
import { connect } from 'node:net';

export interface ClientInput {
  name: string;
  shape: number[];
  datatype: string;
  values: number[];
  /** Send as binary tensor data (parameters.binary_data_size) rather than a JSON `data` array. */
  binary: boolean;
}

export interface ClientOutput {
  name: string;
  parameters?: Record<string, unknown>;
}

export interface InferOptions {
  id?: string;
  parameters?: Record<string, unknown>;
  outputs?: ClientOutput[];
  /** null: no Content-Type header at all (what tritonclient sends). */
  contentType?: string | null;
  headers?: Record<string, string>;
  path?: string;
}

export interface AnswerTensor {
  datatype: string;
  shape: number[];
  /** FP32 as a Float32Array (bit-exact either way), BYTES as strings. */
  values: Float32Array | string[];
  /** Whether it came as binary tensor data. */
  binary: boolean;
}

export interface InferAnswer {
  status: number;
  contentType: string | null;
  /** The JSON object: the whole body, or the header before the binary outputs. */
  json: Record<string, unknown>;
  outputs: Map<string, AnswerTensor>;
  /** Names in the order the server listed them. */
  order: string[];
  binaryBody: boolean;
}

/** Element byte sizes of the datatypes the client encodes (native size, little-endian). */
const WIDTH: Record<string, number> = { FP32: 4, FP16: 2, UINT8: 1, INT8: 1, FP64: 8 };

/** One tensor's values as binary tensor data: little-endian, row-major, no padding. */
export function tensorBytes(datatype: string, values: number[]): Buffer {
  const width = WIDTH[datatype];
  if (!width) throw new Error(`the test client cannot encode ${datatype}`);
  const bytes = Buffer.alloc(values.length * width);
  values.forEach((v, i) => {
    if (datatype === 'FP32') bytes.writeFloatLE(v, i * 4);
    else if (datatype === 'FP64') bytes.writeDoubleLE(v, i * 8);
    else if (datatype === 'FP16') bytes.writeUInt16LE(halfBits(v), i * 2);
    else if (datatype === 'INT8') bytes.writeInt8(v, i);
    else bytes.writeUInt8(v, i);
  });
  return bytes;
}

/** IEEE 754 binary16 bits of a value, rounded to nearest even (normal and subnormal range). */
export function halfBits(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | roundEven(a / 2 ** -24);
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  const mantissa = roundEven((a / 2 ** exponent - 1) * 1024); // may carry into the exponent: fine
  return sign | (((exponent + 15) << 10) + mantissa);
}

/** The value of binary16 bits. */
export function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function roundEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

/** The request body: plain JSON, or the JSON header followed by the binary inputs in input order. */
export function encodeInferRequest(inputs: ClientInput[], options: InferOptions = {}) {
  const blobs: Buffer[] = [];
  const jsonInputs = inputs.map(({ name, shape, datatype, values, binary }) => {
    if (!binary) return { name, shape, datatype, data: values };
    const bytes = tensorBytes(datatype, values);
    blobs.push(bytes);
    return { name, shape, datatype, parameters: { binary_data_size: bytes.length } };
  });
  const request = {
    ...(options.id !== undefined && { id: options.id }),
    inputs: jsonInputs,
    ...(options.outputs && { outputs: options.outputs }),
    ...(options.parameters && { parameters: options.parameters }),
  };
  const json = Buffer.from(JSON.stringify(request));
  if (blobs.length === 0) return { body: json, headerLength: undefined };
  return { body: Buffer.concat([json, ...blobs]), headerLength: json.length };
}

/** POSTs an infer request; the body is a Buffer, so fetch adds no Content-Type of its own. */
export async function infer(baseUrl: string, inputs: ClientInput[], options: InferOptions = {}) {
  const { body, headerLength } = encodeInferRequest(inputs, options);
  return post(
    baseUrl,
    body,
    {
      ...(headerLength !== undefined && { 'Inference-Header-Content-Length': String(headerLength) }),
      ...(options.contentType != null && { 'Content-Type': options.contentType }),
      ...options.headers,
    },
    options.path,
  );
}

export async function post(
  baseUrl: string,
  body: Buffer,
  headers: Record<string, string>,
  path = '/v2/models/digits/infer',
) {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  return parseInferAnswer(response.status, (name) => response.headers.get(name), bytes);
}

/** Reads an answer as tritonclient's InferResult does (see the top of this file). */
export function parseInferAnswer(status: number, header: (name: string) => string | null, body: Buffer): InferAnswer {
  const length = header('inference-header-content-length');
  const jsonLength = length === null ? body.length : Number(length);
  const json = JSON.parse(body.subarray(0, jsonLength).toString('utf8')) as Record<string, unknown>;
  const outputs = new Map<string, AnswerTensor>();
  const order: string[] = [];
  let offset = jsonLength;
  const listed = (json.outputs ?? []) as Array<{
    name: string;
    datatype: string;
    shape: number[];
    data?: Array<number | string>;
    parameters?: { binary_data_size?: number };
  }>;
  for (const output of listed) {
    const size = output.parameters?.binary_data_size;
    order.push(output.name);
    if (size === undefined) {
      const values =
        output.datatype === 'BYTES' ? (output.data as string[]) : Float32Array.from(output.data as number[]);
      outputs.set(output.name, { datatype: output.datatype, shape: output.shape, values, binary: false });
      continue;
    }
    const bytes = body.subarray(offset, offset + size);
    offset += size;
    outputs.set(output.name, {
      datatype: output.datatype,
      shape: output.shape,
      values: decode(output.datatype, bytes),
      binary: true,
    });
  }
  if (offset !== body.length)
    throw new Error(
      `the binary outputs hold ${offset - jsonLength} bytes but ${body.length - jsonLength} follow the header`,
    );
  return { status, contentType: header('content-type'), json, outputs, order, binaryBody: length !== null };
}

function decode(datatype: string, bytes: Buffer): Float32Array | string[] {
  if (datatype === 'FP32') {
    return Float32Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
  }
  if (datatype !== 'BYTES') throw new Error(`the test client cannot decode ${datatype}`);
  const strings: string[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = bytes.readUInt32LE(at);
    strings.push(bytes.subarray(at + 4, at + 4 + length).toString('utf8'));
    at += 4 + length;
  }
  return strings;
}

/** The exact bits of FP32 values, to compare answers "to the last bit". */
export function bits(values: Float32Array | string[]): Buffer {
  if (!(values instanceof Float32Array)) throw new Error('expected FP32 values');
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Sends raw request bytes over TCP exactly as given (a captured request) and reads one answer,
 * which must carry a Content-Length.
 */
export function sendRaw(
  port: number,
  request: Buffer,
): Promise<{ status: number; headers: Map<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).trim().toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      const length = headers.get('content-length');
      if (length === undefined) return reject(new Error(`no Content-Length in ${statusLine}`));
      if (received.length < end + 4 + Number(length)) return;
      socket.destroy();
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: received.subarray(end + 4, end + 4 + Number(length)),
      });
    });
  });
}
