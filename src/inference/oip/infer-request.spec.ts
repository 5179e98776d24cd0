import { domainErrorOf as errorOf } from '../../../test/support/domain-error';
import type { InputSpec } from '../runtime/types';
import { parseInferRequest, type OipModelInput } from './infer-request';

const grey: InputSpec = {
  layout: 'NCHW',
  channels: 1,
  height: 2,
  width: 2,
  scale: 1 / 255,
  mean: [0],
  std: [1],
  output: 'logits',
};
const rgbNhwc: InputSpec = {
  layout: 'NHWC',
  channels: 3,
  height: 1,
  width: 2,
  scale: 1,
  mean: [10, 20, 30],
  std: [1, 2, 5],
  output: 'probabilities',
};
const outputs = [
  { name: 'probabilities', numeric: true },
  { name: 'predicted_label', numeric: false },
];
const model = (spec: InputSpec = grey, maxBatch = 4): OipModelInput => ({
  inputName: 'input',
  spec,
  maxBatch,
  outputs,
});
const all = (binary = false) => outputs.map(({ name }) => ({ name, binary }));
const input = (over: Record<string, unknown> = {}) => ({
  name: 'input',
  shape: [1, 1, 2, 2],
  datatype: 'FP32',
  data: [0.1, 0.2, 0.3, 0.4],
  ...over,
});
const body = (over: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  inputs: [input(over)],
  ...extra,
});

describe('parseInferRequest happy paths', () => {
  it('takes FP32 NCHW data as the model input, unnormalised', () => {
    const parsed = parseInferRequest(body(), model());
    expect(parsed).toEqual({ batch: 1, tensor: Float32Array.from([0.1, 0.2, 0.3, 0.4]), outputs: all() });
  });

  it('normalises UINT8 NHWC data per channel like an image', () => {
    const data = [10, 20, 30, 11, 30, 80];
    const parsed = parseInferRequest(body({ datatype: 'UINT8', shape: [1, 1, 2, 3], data }), model(rgbNhwc));
    expect(Array.from(parsed.tensor)).toEqual([0, 0, 0, 1, 5, 10]);
  });

  it('normalises UINT8 NCHW per channel plane across a batch', () => {
    const spec: InputSpec = { ...rgbNhwc, layout: 'NCHW' };
    const sample = [10, 11, 20, 22, 30, 35]; // planes c0=[10,11] c1=[20,22] c2=[30,35]
    const parsed = parseInferRequest(
      body({ datatype: 'UINT8', shape: [2, 3, 1, 2], data: [...sample, ...sample] }),
      model(spec),
    );
    expect(parsed.batch).toBe(2);
    expect(Array.from(parsed.tensor)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('gives UINT8 255 exactly 1 with scale 1/255', () => {
    const parsed = parseInferRequest(body({ datatype: 'UINT8', data: [0, 51, 255, 128] }), model());
    expect(Array.from(parsed.tensor)).toEqual([0, 51, 255, 128].map((v) => Math.fround(v / 255)));
  });

  it.each([
    [
      'fully nested',
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        [
          [
            [5, 6],
            [7, 8],
          ],
        ],
      ],
    ],
    [
      'partly nested',
      [
        [1, 2, 3, 4],
        [5, [6, [7, 8]]],
      ],
    ],
    ['flat', [1, 2, 3, 4, 5, 6, 7, 8]],
  ])('flattens %s data in row-major order', (_name, data) => {
    const parsed = parseInferRequest(body({ shape: [2, 1, 2, 2], data }), model());
    expect(Array.from(parsed.tensor)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('passes through id, requested outputs and parameters', () => {
    const extra = { id: 'req-1', parameters: { foo: 1 }, outputs: [{ name: 'probabilities', parameters: { x: 1 } }] };
    const parsed = parseInferRequest(body({}, extra), model());
    expect(parsed).toMatchObject({
      id: 'req-1',
      outputs: [{ name: 'probabilities', binary: false }],
      parameters: { foo: 1 },
    });
  });

  it('accepts a batch of exactly maxBatch', () => {
    const parsed = parseInferRequest(body({ shape: [3, 1, 2, 2], data: Array(12).fill(0) }), model(grey, 3));
    expect(parsed.batch).toBe(3);
    expect(parsed.tensor).toHaveLength(12);
  });
});

describe('parseInferRequest errors', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a non-object body', 'hello', 'invalid_request', /malformed/],
    ['null body', null, 'invalid_request', /malformed/],
    ['missing inputs', {}, 'invalid_request', /inputs/],
    ['inputs not an array', { inputs: {} }, 'invalid_request', /inputs/],
    ['numeric id', body({}, { id: 7 }), 'invalid_request', /id/],
    [
      'missing data',
      { inputs: [{ name: 'input', shape: [1, 1, 2, 2], datatype: 'FP32' }] },
      'invalid_request',
      /inputs\.0\.data/,
    ],
    ['non-integer shape', body({ shape: [1, 1, 2, 2.5] }), 'invalid_request', /inputs\.0\.shape\.3/],
    ['output without a name', body({}, { outputs: [{}] }), 'invalid_request', /outputs\.0\.name/],
    ['no inputs', { inputs: [] }, 'invalid_request', /exactly one input \('input'\) but the request has 0/],
    ['two inputs', { inputs: [input(), input()] }, 'invalid_request', /but the request has 2/],
    ['a wrong input name', body({ name: 'pixels' }), 'wrong_input_name', /'pixels' is unknown.*named 'input'/],
    [
      'datatype FP64',
      body({ datatype: 'FP64' }),
      'unsupported_datatype',
      /'FP64'; supported datatypes are FP32, FP16, UINT8/,
    ],
    ['datatype BYTES', body({ datatype: 'BYTES' }), 'unsupported_datatype', /FP32, FP16, UINT8/],
    ['an unknown datatype', body({ datatype: 'FLOAT' }), 'unknown_datatype', /'FLOAT', which is not an Open/],
    ['FP16 as JSON', body({ datatype: 'FP16' }), 'binary_only_datatype', /FP16, which JSON cannot carry/],
    [
      'a 3-d shape',
      body({ shape: [1, 2, 2] }),
      'wrong_shape',
      /has shape \[1,2,2\] but the model expects \[-1,1,2,2\]/,
    ],
    ['NHWC shape on an NCHW model', body({ shape: [1, 2, 2, 1] }), 'wrong_shape', /\[1,2,2,1\].*\[-1,1,2,2\] \(NCHW\)/],
    ['wrong spatial size', body({ shape: [1, 1, 3, 3] }), 'wrong_shape', /expects \[-1,1,2,2\]/],
    ['batch 0', body({ shape: [0, 1, 2, 2], data: [] }), 'wrong_shape', /batch size 0; it must be at least 1/],
    ['negative batch', body({ shape: [-1, 1, 2, 2] }), 'wrong_shape', /at least 1/],
    ['too little data', body({ data: [1, 2, 3] }), 'wrong_data_length', /has 3 values but shape \[1,1,2,2\] needs 4/],
    ['too much data', body({ data: [1, 2, 3, 4, 5] }), 'wrong_data_length', /has 5 values/],
    ['a string element', body({ data: [1, 'NaN', 3, 4] }), 'non_finite_value', /element 1 is "NaN"/],
    ['a null element', body({ data: [1, 2, null, 4] }), 'non_finite_value', /element 2 is null/],
    ['a NaN element', body({ data: [1, 2, 3, NaN] }), 'non_finite_value', /element 3/],
    ['an Infinity element', body({ data: [Infinity, 2, 3, 4] }), 'non_finite_value', /element 0/],
    ['an FP32 overflow', body({ data: [1, 1e300, 3, 4] }), 'non_finite_value', /element 1 is 1e\+300.*FP32 range/],
    [
      'an object element',
      body({
        data: [
          [1, 2],
          [3, { v: 4 }],
        ],
      }),
      'non_finite_value',
      /element 3 is \{"v":4\}/,
    ],
    ['a boolean element', body({ data: [true, 2, 3, 4] }), 'non_finite_value', /element 0 is true/],
    [
      'UINT8 above 255',
      body({ datatype: 'UINT8', data: [0, 256, 0, 0] }),
      'value_out_of_range',
      /element 1 is 256; UINT8 values must be integers 0..255/,
    ],
    ['UINT8 negative', body({ datatype: 'UINT8', data: [0, 0, -1, 0] }), 'value_out_of_range', /element 2 is -1/],
    ['UINT8 fraction', body({ datatype: 'UINT8', data: [0.5, 0, 0, 0] }), 'value_out_of_range', /element 0 is 0.5/],
    [
      'UINT8 string',
      body({ datatype: 'UINT8', data: [0, 0, 0, '7'] }),
      'non_finite_value',
      /element 3 is "7".*integer 0..255/,
    ],
  ];

  it.each(cases)('rejects %s', (_name, request, code, message) => {
    const err = errorOf(() => parseInferRequest(request, model()));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it.each([
    ['a batch over the limit', [5, 1, 2, 2], 20],
    ['a huge declared batch with little data', [1e15, 1, 2, 2], 4],
  ])('refuses %s as too large, from the shape alone', (_name, shape, values) => {
    const err = errorOf(() => parseInferRequest(body({ shape, data: Array(values).fill(0) }), model()));
    expect([err.kind, err.code]).toEqual(['payload_too_large', 'batch_too_large']);
    expect(err.message).toMatch(/the model accepts at most 4 per request \(MAX_REQUEST_ITEMS\)/);
  });

  it('handles very deep nesting without overflowing the stack', () => {
    let data: unknown = 0;
    for (let i = 0; i < 100_000; i++) data = [data];
    const err = errorOf(() => parseInferRequest(body({ data }), model()));
    expect(err.code).toBe('wrong_data_length');
  });

  it('reports expected vs got shape in details', () => {
    const err = errorOf(() => parseInferRequest(body({ shape: [1, 2, 2] }), model(rgbNhwc)));
    expect(err.details).toEqual({ got: [1, 2, 2], expected: [-1, 1, 2, 3] });
  });
});
