import { invalid } from '../../common/domain-error';

/** Every datatype the Open Inference Protocol names; anything else is not a datatype at all. */
const PROTOCOL_DATATYPES = new Set([
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BF16',
  'BYTES',
]);

/** The input datatypes Vigil reads: image models take floats, or 8-bit pixels it normalises. */
export const SUPPORTED_DATATYPES = ['FP32', 'FP16', 'UINT8'] as const;
export type SupportedDatatype = (typeof SUPPORTED_DATATYPES)[number];

/** Bytes per element in the binary tensor data extension (native size, little-endian). */
export const BYTES_PER_ELEMENT: Record<SupportedDatatype, number> = { FP32: 4, FP16: 2, UINT8: 1 };

export interface TensorDescription {
  name: string;
  datatype: SupportedDatatype;
  shape: number[];
}

export function checkDatatype(name: string, datatype: string): SupportedDatatype {
  const found = SUPPORTED_DATATYPES.find((d) => d === datatype);
  if (found) return found;
  const supported = SUPPORTED_DATATYPES.join(', ');
  const details = { got: datatype, supported: [...SUPPORTED_DATATYPES] };
  if (!PROTOCOL_DATATYPES.has(datatype)) {
    throw invalid(
      'unknown_datatype',
      `input '${name}' has datatype '${datatype}', which is not an Open Inference Protocol datatype; supported datatypes are ${supported}`,
      details,
    );
  }
  throw invalid(
    'unsupported_datatype',
    `input '${name}' has datatype '${datatype}'; supported datatypes are ${supported}`,
    details,
  );
}

export const elementCount = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Decodes one input's binary data (row-major, little-endian) into its values, checking its size first. */
export function decodeBinary(tensor: TensorDescription, bytes: Buffer): Float32Array {
  const { name, datatype, shape } = tensor;
  const count = elementCount(shape);
  const width = BYTES_PER_ELEMENT[datatype];
  if (bytes.length !== count * width) {
    throw invalid(
      'binary_size_mismatch',
      `input '${name}' has binary_data_size ${bytes.length} but shape [${shape.join(',')}] of ${datatype} needs ${count * width} bytes (${count} elements of ${width})`,
      { got: bytes.length, expected: count * width },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(count);
  if (datatype === 'UINT8') {
    values.set(bytes);
    return values;
  }
  for (let i = 0; i < count; i++) {
    const v = datatype === 'FP32' ? view.getFloat32(i * 4, true) : halfToFloat(view.getUint16(i * 2, true));
    if (!Number.isFinite(v)) throw badValue(name, datatype, i, v);
    values[i] = v;
  }
  return values;
}

/** IEEE 754 binary16 to a number; every half value is exact in float32. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Flattens JSON data, then checks its length and that every element is a value the datatype can carry. */
export function decodeJson(tensor: TensorDescription, data: unknown[]): Float32Array {
  const { name, datatype, shape } = tensor;
  if (datatype === 'FP16') {
    throw invalid(
      'binary_only_datatype',
      `input '${name}' is FP16, which JSON cannot carry; send it as binary data (parameters.binary_data_size and the Inference-Header-Content-Length header)`,
    );
  }
  // Flat data (the common case) is used as is; nested data is flattened.
  const flat = data.some(Array.isArray) ? flatten(data) : data;
  const needed = elementCount(shape);
  if (flat.length !== needed) {
    throw invalid(
      'wrong_data_length',
      `input '${name}' has ${flat.length} values but shape [${shape.join(',')}] needs ${needed}`,
      { got: flat.length, expected: needed },
    );
  }
  // One pass: check each element and copy it into the tensor.
  const values = new Float32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (!isValid(v, datatype)) throw badValue(name, datatype, i, v);
    values[i] = v as number;
  }
  return values;
}

function isValid(v: unknown, datatype: SupportedDatatype): boolean {
  if (typeof v !== 'number') return false;
  // A finite double can still overflow float32, which would reach the model as Infinity.
  if (datatype === 'FP32') return Number.isFinite(Math.fround(v));
  return Number.isInteger(v) && v >= 0 && v <= 255;
}

function badValue(name: string, datatype: SupportedDatatype, index: number, value: unknown) {
  const shown = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  const details = { index, value: shown ?? String(value) };
  if (typeof value === 'number' && Number.isFinite(value) && datatype === 'UINT8') {
    return invalid(
      'value_out_of_range',
      `input '${name}' element ${index} is ${shown}; UINT8 values must be integers 0..255`,
      details,
    );
  }
  const want = datatype === 'UINT8' ? 'an integer 0..255' : `a finite number within ${datatype} range`;
  return invalid(
    'non_finite_value',
    `input '${name}' element ${index} is ${details.value}; every element must be ${want}`,
    details,
  );
}

/** Iterative so deeply nested arrays cannot overflow the call stack. */
function flatten(data: unknown[]): unknown[] {
  const out: unknown[] = [];
  const stack: Array<{ items: unknown[]; at: number }> = [{ items: data, at: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.at >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.at++];
    if (Array.isArray(item)) stack.push({ items: item, at: 0 });
    else out.push(item);
  }
  return out;
}
