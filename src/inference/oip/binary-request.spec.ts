import { domainErrorOf as errorOf } from '../../../test/support/domain-error';
import type { InputSpec } from '../runtime/types';
import { splitInferBody } from './infer-body';
import { parseInferRequest, type OipModelInput } from './infer-request';

const spec: InputSpec = {
  layout: 'NCHW',
  channels: 1,
  height: 2,
  width: 2,
  scale: 1 / 255,
  mean: [0],
  std: [1],
  output: 'logits',
};
const model: OipModelInput = {
  inputName: 'input',
  spec,
  maxBatch: 4,
  outputs: [
    { name: 'logits', numeric: true },
    { name: 'predicted_label', numeric: false },
  ],
};

/** A body the way the binary tensor data extension lays it out: JSON header, then the tensors. */
function binaryBody(header: object, ...tensors: Buffer[]) {
  const json = Buffer.from(JSON.stringify(header));
  return { body: Buffer.concat([json, ...tensors]), headerLength: String(json.length) };
}
const input = (datatype: string, size: number, over: Record<string, unknown> = {}) => ({
  name: 'input',
  shape: [1, 1, 2, 2],
  datatype,
  parameters: { binary_data_size: size },
  ...over,
});
const fp32 = (...values: number[]) => {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes;
};

function parse(header: object, ...tensors: Buffer[]) {
  const { body, headerLength } = binaryBody(header, ...tensors);
  const split = splitInferBody(body, headerLength);
  return parseInferRequest(split.header, model, split.binary);
}

describe('binary tensor data in infer requests', () => {
  it('reads FP32 little-endian values after the JSON header', () => {
    const parsed = parse({ inputs: [input('FP32', 16)] }, fp32(0.1, -2, 3.5, 1e-30));
    expect(parsed.tensor).toEqual(Float32Array.from([0.1, -2, 3.5, 1e-30]));
  });

  it('normalises UINT8 bytes like JSON UINT8 data', () => {
    const binary = parse({ inputs: [input('UINT8', 4)] }, Buffer.from([0, 51, 255, 128]));
    const json = parseInferRequest(
      { inputs: [{ name: 'input', shape: [1, 1, 2, 2], datatype: 'UINT8', data: [0, 51, 255, 128] }] },
      model,
    );
    expect(binary.tensor).toEqual(json.tensor);
  });

  it('converts FP16 (normal, subnormal, negative zero, max) to FP32', () => {
    const half = Buffer.alloc(8);
    [0x3c00, 0x0001, 0x8000, 0x7bff].forEach((bits, i) => half.writeUInt16LE(bits, i * 2));
    const parsed = parse({ inputs: [input('FP16', 8)] }, half);
    expect(Array.from(parsed.tensor)).toEqual([1, 2 ** -24, -0, 65504]);
  });

  it('reads a batch of 3 and binary output requests', () => {
    const header = {
      inputs: [input('UINT8', 12, { shape: [3, 1, 2, 2] })],
      parameters: { binary_data_output: true },
      outputs: [{ name: 'predicted_label' }, { name: 'logits', parameters: { binary_data: false, classification: 2 } }],
    };
    const parsed = parse(header, Buffer.alloc(12, 7));
    expect(parsed.batch).toBe(3);
    expect(parsed.outputs).toEqual([
      { name: 'predicted_label', binary: true },
      { name: 'logits', binary: false, classification: 2 },
    ]);
  });

  it.each([
    [
      'a size that does not fit the shape',
      [input('FP32', 12)],
      [fp32(1, 2, 3)],
      /binary_data_size 12 but shape \[1,1,2,2\] of FP32 needs 16 bytes/,
    ],
    [
      'fewer bytes than declared',
      [input('FP32', 16)],
      [fp32(1, 2, 3)],
      /add up to 16 bytes \('input' 16\) but 12 bytes follow the \d+-byte JSON header/,
    ],
    ['more bytes than declared', [input('UINT8', 4)], [Buffer.alloc(5)], /add up to 4 bytes.*but 5 bytes follow/],
    ['a NaN in FP32', [input('FP32', 16)], [fp32(1, NaN, 3, 4)], /element 1 is NaN/],
    [
      'an infinite FP16',
      [input('FP16', 8)],
      [Buffer.from([0, 0, 0, 0, 0, 0x7c, 0, 0])],
      /element 2 is Infinity.*FP16 range/,
    ],
    ['a negative size', [input('UINT8', -4)], [], /binary_data_size -4; it must be a byte count/],
    ['a fractional size', [input('UINT8', 1.5)], [Buffer.alloc(2)], /binary_data_size 1.5/],
    [
      'data and a size',
      [input('UINT8', 4, { data: [1, 2, 3, 4] })],
      [Buffer.alloc(4)],
      /both data and binary_data_size/,
    ],
    [
      'an unknown datatype',
      [input('FLOAT', 16)],
      [fp32(1, 2, 3, 4)],
      /'FLOAT', which is not an Open Inference Protocol datatype/,
    ],
    [
      'two binary inputs',
      [input('UINT8', 4), input('UINT8', 4)],
      [Buffer.alloc(8)],
      /exactly one input \('input'\) but the request has 2/,
    ],
  ])('rejects %s', (_name, inputs, tensors, message) => {
    const err = errorOf(() => parse({ inputs }, ...tensors));
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(message);
  });

  it('rejects binary_data_size without the Inference-Header-Content-Length header', () => {
    const err = errorOf(() => parseInferRequest({ inputs: [input('UINT8', 4)] }, model));
    expect(err.message).toMatch(/binary_data_size 4 but the request has no Inference-Header-Content-Length header/);
  });

  it.each([
    [
      'an unknown output',
      [{ name: 'scores' }],
      /output 'scores' is unknown; the model's outputs are 'logits', 'predicted_label'/,
    ],
    ['a repeated output', [{ name: 'logits' }, { name: 'logits' }], /'logits' is requested more than once/],
    [
      'binary_data not a boolean',
      [{ name: 'logits', parameters: { binary_data: 'yes' } }],
      /binary_data "yes"; it must be true or false/,
    ],
    [
      'classification 0',
      [{ name: 'logits', parameters: { classification: 0 } }],
      /classification 0; it must be a positive integer/,
    ],
    [
      'classification of labels',
      [{ name: 'predicted_label', parameters: { classification: 1 } }],
      /holds labels, not scores/,
    ],
  ])('rejects %s', (_name, outputs, message) => {
    const err = errorOf(() => parse({ inputs: [input('UINT8', 4)], outputs }, Buffer.alloc(4)));
    expect(err.message).toMatch(message);
  });
});

describe('splitInferBody', () => {
  it('parses the whole body as JSON without the header', () => {
    expect(splitInferBody(Buffer.from('{"a":1}'), undefined)).toEqual({ header: { a: 1 } });
  });

  it.each([
    ['past the end of the body', '11', /Inference-Header-Content-Length is 11 but the body has only 7 bytes/],
    ['not a number', 'seven', /'seven'; it must be the byte length of the JSON header/],
    ['negative', '-1', /'-1'/],
    ['cutting the JSON short', '3', /the 3-byte JSON header is not valid JSON/],
  ])('rejects a header length %s', (_name, length, message) => {
    expect(errorOf(() => splitInferBody(Buffer.from('{"a":1}'), length)).message).toMatch(message);
  });

  it('never decodes the tensor bytes as text', () => {
    const split = splitInferBody(Buffer.concat([Buffer.from('{}'), Buffer.from([0xff, 0xfe, 0x00])]), '2');
    expect(split.binary?.data).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
  });
});
