import { encodeInferResponse } from './encode-response';
import {
  buildInferResponse,
  cppToString,
  modelMetadata,
  oipError,
  topClasses,
  type BuildInferResponseArgs,
} from './infer-response';

const both = (binary: boolean) => [
  { name: 'probabilities', binary },
  { name: 'predicted_label', binary },
];
const args = (over: Partial<BuildInferResponseArgs> = {}): BuildInferResponseArgs => ({
  modelName: 'digits',
  modelVersion: '3',
  outputName: 'probabilities',
  probabilities: Float32Array.from([0.25, 0.75, 0.5, 0.5]),
  batch: 2,
  numClasses: 2,
  predictionIds: ['p1', 'p2'],
  labels: ['one', 'zero'],
  classLabels: ['zero', 'one'],
  outputs: both(false),
  ...over,
});

describe('buildInferResponse and encodeInferResponse', () => {
  it('answers JSON with probabilities and labels when no output is binary', () => {
    expect(encodeInferResponse(buildInferResponse(args({ id: 'req-9' })))).toEqual({
      kind: 'json',
      body: {
        model_name: 'digits',
        model_version: '3',
        id: 'req-9',
        parameters: { prediction_ids: ['p1', 'p2'] },
        outputs: [
          { name: 'probabilities', shape: [2, 2], datatype: 'FP32', data: [0.25, 0.75, 0.5, 0.5] },
          { name: 'predicted_label', shape: [2], datatype: 'BYTES', data: ['one', 'zero'] },
        ],
      },
    });
  });

  it('omits id when the request had none', () => {
    expect(buildInferResponse(args())).not.toHaveProperty('id');
  });

  it('writes binary outputs after the JSON header, FP32 little-endian and BYTES length-prefixed', () => {
    const encoded = encodeInferResponse(buildInferResponse(args({ outputs: both(true) })));
    if (encoded.kind !== 'binary') throw new Error('expected a binary answer');
    const header = JSON.parse(encoded.body.subarray(0, encoded.headerLength).toString('utf8'));
    expect(header.outputs).toEqual([
      { name: 'probabilities', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } },
      { name: 'predicted_label', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: 15 } },
    ]);
    const data = encoded.body.subarray(encoded.headerLength);
    expect([0, 4, 8, 12].map((at) => data.readFloatLE(at))).toEqual([0.25, 0.75, 0.5, 0.5]);
    expect(data.subarray(16)).toEqual(Buffer.from([3, 0, 0, 0, 0x6f, 0x6e, 0x65, 4, 0, 0, 0, 0x7a, 0x65, 0x72, 0x6f]));
  });

  it('mixes a JSON and a binary output', () => {
    const outputs = [
      { name: 'predicted_label', binary: false },
      { name: 'probabilities', binary: true },
    ];
    const encoded = encodeInferResponse(buildInferResponse(args({ outputs })));
    if (encoded.kind !== 'binary') throw new Error('expected a binary answer');
    const header = JSON.parse(encoded.body.subarray(0, encoded.headerLength).toString('utf8'));
    expect(header.outputs[0]).toEqual({
      name: 'predicted_label',
      shape: [2],
      datatype: 'BYTES',
      data: ['one', 'zero'],
    });
    expect(encoded.body.length - encoded.headerLength).toBe(16);
  });

  it('classifies each row into its top k "score:index:label", k capped at the class count', () => {
    const outputs = [{ name: 'probabilities', binary: false, classification: 5 }];
    const result = buildInferResponse(args({ outputs }));
    expect(result.outputs).toEqual([
      {
        name: 'probabilities',
        shape: [2, 2],
        datatype: 'BYTES',
        values: ['0.750000:1:one', '0.250000:0:zero', '0.500000:0:zero', '0.500000:1:one'],
        binary: false,
      },
    ]);
  });

  it.each([
    ['probabilities too short', { probabilities: Float32Array.from([1, 0]) }, /2x2 probabilities, got 2/],
    ['labels count off', { labels: ['seven'] }, /2 labels, got 1/],
  ])('throws on %s', (_name, over, message) => {
    expect(() => buildInferResponse(args(over))).toThrow(message);
  });
});

describe('classification scores as Triton prints them (std::to_string, printf %f)', () => {
  it.each([
    [0.75, '0.750000'],
    [Math.fround(0.1), '0.100000'],
    [Math.fround(0.9999996), '1.000000'],
    [0.0078125, '0.007812'], // an exact tie: printf rounds to even, toFixed would print 0.007813
    [0.0234375, '0.023438'],
    [-0.0078125, '-0.007812'],
    [3.3, '3.300000'],
    [0, '0.000000'],
  ])('prints %p as %s', (value, text) => {
    expect(cppToString(value)).toBe(text);
  });

  it('orders by score, ties by index', () => {
    expect(topClasses(Float32Array.from([0.2, 0.4, 0.4]), ['a', 'b', 'c'], 3)).toEqual([
      '0.400000:1:b',
      '0.400000:2:c',
      '0.200000:0:a',
    ]);
  });
});

describe('modelMetadata', () => {
  it('builds the v2 metadata shape', () => {
    const input = { name: 'input', datatype: 'FP32', shape: [-1, 1, 8, 8] };
    const meta = modelMetadata({
      name: 'digits',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [input],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    });
    expect(meta).toEqual({
      name: 'digits',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 1, 8, 8] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    });
    expect(meta.inputs[0].shape).not.toBe(input.shape);
  });
});

describe('oipError', () => {
  it.each(['model not found', ''])('wraps %j as { error }', (message) => {
    expect(oipError(message)).toEqual({ error: message });
  });
});
