import { gzipSync } from 'node:zlib';
import { chunked } from '../limits/payloads';
import type { TestApp } from '../support/test-app';
import { keys, startOipApp } from './oip-app';
import { encodeInferRequest, tensorBytes, type ClientInput, type InferOptions } from './oip-client';

const MAX_BODY_BYTES = 100_000;
const MAX_REQUEST_ITEMS = 8;

const input = (datatype: string, values: number[], over: Partial<ClientInput> = {}): ClientInput => ({
  name: 'input',
  shape: [1, 1, 8, 8],
  datatype,
  values,
  binary: true,
  ...over,
});
type Payload = { body: Buffer | ReadableStream<Uint8Array>; headers: Record<string, string> };
const pixels = Array.from({ length: 64 }, (_, i) => i);

/** A binary request whose JSON header is exactly `header`, followed by `tensors`. */
function raw(header: object, ...tensors: Buffer[]) {
  const json = Buffer.from(JSON.stringify(header));
  return {
    body: Buffer.concat([json, ...tensors]),
    headers: { 'inference-header-content-length': String(json.length) },
  };
}
const header = (inputs: object[], extra: object = {}) => ({ inputs, ...extra });
const binaryInput = (size: number, datatype = 'UINT8', over: object = {}) => ({
  name: 'input',
  shape: [1, 1, 8, 8],
  datatype,
  parameters: { binary_data_size: size },
  ...over,
});
const request = (inputs: ClientInput[], options: InferOptions = {}): Payload => {
  const { body, headerLength } = encodeInferRequest(inputs, options);
  const headers: Record<string, string> =
    headerLength === undefined ? {} : { 'inference-header-content-length': String(headerLength) };
  return { body, headers };
};

describe('malformed Open Inference Protocol requests get a 4xx naming the tensor and the numbers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startOipApp({ MAX_BODY_BYTES, MAX_REQUEST_ITEMS });
  });
  afterAll(() => t?.close());

  const post = (payload: Payload, key: string | null = keys.infer) =>
    fetch(`${t.url}/v2/models/digits/infer`, {
      method: 'POST',
      headers: { ...(key && { authorization: `Bearer ${key}` }), ...payload.headers },
      body: payload.body,
      ...(payload.body instanceof ReadableStream && { duplex: 'half' }),
    } as RequestInit);

  afterEach(async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    expect((await post(request([input('UINT8', pixels)]))).status).toBe(200);
  });

  const tooBig = [413, /larger than the configured limit \(MAX_BODY_BYTES = 100000 bytes\)/] as const;
  const cases: Array<[string, () => Payload, number, RegExp]> = [
    [
      'a header length past the end of the body',
      () => ({
        ...raw(header([binaryInput(64)]), Buffer.alloc(64)),
        headers: { 'inference-header-content-length': '5000' },
      }),
      400,
      /Inference-Header-Content-Length is 5000 but the body has only \d+ bytes/,
    ],
    [
      'a header length that is not a number',
      () => ({ ...raw(header([])), headers: { 'inference-header-content-length': '12abc' } }),
      400,
      /Inference-Header-Content-Length is '12abc'/,
    ],
    [
      'a header length that cuts the JSON',
      () => ({ body: Buffer.from('{"inputs":[]}'), headers: { 'inference-header-content-length': '5' } }),
      400,
      /5-byte JSON header is not valid JSON/,
    ],
    [
      'a binary size that does not fit the shape',
      () => raw(header([binaryInput(63)]), Buffer.alloc(63)),
      400,
      /input 'input' has binary_data_size 63 but shape \[1,1,8,8\] of UINT8 needs 64 bytes/,
    ],
    [
      'FP32 bytes sized for UINT8',
      () => raw(header([binaryInput(64, 'FP32')]), Buffer.alloc(64)),
      400,
      /binary_data_size 64 but shape \[1,1,8,8\] of FP32 needs 256 bytes \(64 elements of 4\)/,
    ],
    [
      'fewer bytes than the sizes declare',
      () => raw(header([binaryInput(64)]), Buffer.alloc(60)),
      400,
      /add up to 64 bytes \('input' 64\) but 60 bytes follow the \d+-byte JSON header/,
    ],
    [
      'more bytes than the sizes declare',
      () => raw(header([binaryInput(64)]), Buffer.alloc(65)),
      400,
      /add up to 64 bytes \('input' 64\) but 65 bytes follow/,
    ],
    [
      'bytes after a JSON-only header',
      () => raw(header([{ name: 'input', shape: [1, 1, 8, 8], datatype: 'UINT8', data: pixels }]), Buffer.alloc(3)),
      400,
      /add up to 0 bytes but 3 bytes follow/,
    ],
    [
      'an unknown datatype',
      () => raw(header([binaryInput(256, 'FLOAT32')]), Buffer.alloc(256)),
      400,
      /input 'input' has datatype 'FLOAT32', which is not an Open Inference Protocol datatype; supported datatypes are FP32, FP16, UINT8/,
    ],
    [
      'an unsupported datatype',
      () => raw(header([binaryInput(64, 'INT8')]), tensorBytes('INT8', pixels)),
      400,
      /input 'input' has datatype 'INT8'; supported datatypes are FP32, FP16, UINT8/,
    ],
    [
      'FP16 as JSON',
      () => request([input('FP16', pixels, { binary: false })]),
      400,
      /input 'input' is FP16, which JSON cannot carry/,
    ],
    [
      'binary_data_size without the header length',
      () => ({ body: raw(header([binaryInput(64)]), Buffer.alloc(64)).body, headers: {} }),
      400,
      /not valid JSON/,
    ],
    [
      'binary_data_size and no binary part',
      () => ({ body: Buffer.from(JSON.stringify(header([binaryInput(64)]))), headers: {} }),
      400,
      /binary_data_size 64 but the request has no Inference-Header-Content-Length header/,
    ],
    [
      'a negative binary_data_size',
      () => raw(header([binaryInput(-64)])),
      400,
      /input 'input' has binary_data_size -64; it must be a byte count/,
    ],
    [
      'data and binary_data_size',
      () => raw(header([binaryInput(64, 'UINT8', { data: pixels })]), Buffer.alloc(64)),
      400,
      /input 'input' has both data and binary_data_size/,
    ],
    [
      'NaN in FP32 binary data',
      () =>
        request([
          input(
            'FP32',
            pixels.map((v, i) => (i === 7 ? NaN : v)),
          ),
        ]),
      400,
      /input 'input' element 7 is NaN/,
    ],
    [
      'FP64 binary data',
      () => request([input('FP64', pixels)]),
      400,
      /'FP64'; supported datatypes are FP32, FP16, UINT8/,
    ],
    [
      'a binary batch over MAX_REQUEST_ITEMS',
      () => request([input('UINT8', Array(64 * 9).fill(1), { shape: [9, 1, 8, 8] })]),
      413,
      /batch size 9; the model accepts at most 8 per request \(MAX_REQUEST_ITEMS\)/,
    ],
    [
      'an unknown output',
      () => request([input('UINT8', pixels)], { outputs: [{ name: 'probs' }] }),
      400,
      /output 'probs' is unknown; the model's outputs are 'logits', 'predicted_label'/,
    ],
    [
      'an output asked twice',
      () => request([input('UINT8', pixels)], { outputs: [{ name: 'logits' }, { name: 'logits' }] }),
      400,
      /'logits' is requested more than once/,
    ],
    [
      'classification 0',
      () => request([input('UINT8', pixels)], { outputs: [{ name: 'logits', parameters: { classification: 0 } }] }),
      400,
      /output 'logits' has classification 0; it must be a positive integer/,
    ],
    [
      'classification as a string',
      () => request([input('UINT8', pixels)], { outputs: [{ name: 'logits', parameters: { classification: '3' } }] }),
      400,
      /classification "3"/,
    ],
    [
      'classification of the labels',
      () =>
        request([input('UINT8', pixels)], {
          outputs: [{ name: 'predicted_label', parameters: { classification: 2 } }],
        }),
      400,
      /'predicted_label' holds labels, not scores/,
    ],
    [
      'binary_data as a string',
      () => request([input('UINT8', pixels)], { outputs: [{ name: 'logits', parameters: { binary_data: 'true' } }] }),
      400,
      /output 'logits' has binary_data "true"; it must be true or false/,
    ],
    [
      'binary_data_output as a number',
      () => request([input('UINT8', pixels)], { parameters: { binary_data_output: 1 } }),
      400,
      /parameters has binary_data_output 1/,
    ],
    ['an empty body', () => ({ body: Buffer.alloc(0), headers: {} }), 400, /the infer request is not valid JSON/],
    [
      'a body over MAX_BODY_BYTES',
      () => raw(header([binaryInput(MAX_BODY_BYTES)]), Buffer.alloc(MAX_BODY_BYTES)),
      ...tooBig,
    ],
    [
      'a chunked body over MAX_BODY_BYTES',
      () => ({ body: chunked(Buffer.alloc(MAX_BODY_BYTES + 1, 32)), headers: {} }),
      ...tooBig,
    ],
    [
      'a gzip body that inflates past MAX_BODY_BYTES',
      () => ({ body: gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1, 32)), headers: { 'content-encoding': 'gzip' } }),
      ...tooBig,
    ],
    [
      'a corrupt gzip body',
      () => ({ body: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip' } }),
      400,
      /the body is not valid gzip data/,
    ],
    [
      'an unsupported Content-Encoding',
      () => ({ body: Buffer.from('{}'), headers: { 'content-encoding': 'br' } }),
      415,
      /Content-Encoding 'br' is not supported/,
    ],
  ];

  it.each(cases)('%s', async (_name, payload, status, message) => {
    const response = await post(payload());
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string };
    expect(body.error).toMatch(message);
  });

  it.each([
    ['no API key', null, 401],
    ['a key without the infer scope', keys.read, 403],
  ])('checks the API key before reading the body: %s', async (_name, key, status) => {
    const refused = [
      { body: Buffer.from('{"inputs": ['), headers: { 'content-type': 'application/json' } },
      raw(header([binaryInput(MAX_BODY_BYTES)]), Buffer.alloc(MAX_BODY_BYTES)),
    ];
    for (const payload of refused) expect((await post(payload, key)).status).toBe(status);
  });
});
