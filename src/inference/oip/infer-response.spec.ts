import { buildInferResponse, modelMetadata, oipError, type BuildInferResponseArgs } from './infer-response';

const args = (over: Partial<BuildInferResponseArgs> = {}): BuildInferResponseArgs => ({
  modelName: 'digits',
  modelVersion: '3',
  outputName: 'probabilities',
  probabilities: Float32Array.from([0.25, 0.75, 0.5, 0.5]),
  batch: 2,
  numClasses: 2,
  predictionIds: ['p1', 'p2'],
  labels: ['seven', 'one'],
  ...over,
});

describe('buildInferResponse', () => {
  it('builds the v2 response with probabilities and labels', () => {
    expect(buildInferResponse(args({ id: 'req-9' }))).toEqual({
      model_name: 'digits',
      model_version: '3',
      id: 'req-9',
      parameters: { prediction_ids: ['p1', 'p2'] },
      outputs: [
        { name: 'probabilities', shape: [2, 2], datatype: 'FP32', data: [0.25, 0.75, 0.5, 0.5] },
        { name: 'predicted_label', shape: [2], datatype: 'BYTES', data: ['seven', 'one'] },
      ],
    });
  });

  it('omits id when the request had none and emits plain JSON numbers', () => {
    const res = buildInferResponse(args());
    expect(res).not.toHaveProperty('id');
    expect(Array.isArray(res.outputs[0].data)).toBe(true);
    expect(JSON.parse(JSON.stringify(res)).outputs[0].data).toEqual([0.25, 0.75, 0.5, 0.5]);
  });

  it.each([
    ['probabilities too short', { probabilities: Float32Array.from([1, 0]) }, /2x2 probabilities, got 2/],
    ['labels count off', { labels: ['seven'] }, /2 labels, got 1/],
  ])('throws on %s', (_name, over, message) => {
    expect(() => buildInferResponse(args(over))).toThrow(message);
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
