import { gzipSync } from 'node:zlib';
import { chunk, digitImages, expectedPredictions, modelMetadata, pixels } from '../support/digits';
import type { TestApp } from '../support/test-app';
import { keys, startOipApp } from './oip-app';
import {
  bits,
  halfBits,
  halfValue,
  infer,
  post,
  type ClientInput,
  type InferAnswer,
  type InferOptions,
} from './oip-client';

const MAX_BODY_BYTES = 400_000;
const MAX_REQUEST_ITEMS = 128;
const auth = { authorization: `Bearer ${keys.infer}` };

const input = (datatype: string, values: number[], binary: boolean, batch = values.length / 64): ClientInput => ({
  name: 'input',
  shape: [batch, 1, 8, 8],
  datatype,
  values,
  binary,
});
const binaryOutputs = { parameters: { binary_data_output: true } };

/**
 * The binary tensor data and classification extensions, driven by a client written from the
 * specification, against the digits CNN: every encoding must give the JSON path's answer bit for bit.
 */
describe('Open Inference Protocol: binary tensors, classification, any Content-Type', () => {
  let t: TestApp;
  const heldback = digitImages('heldback');
  const expected = expectedPredictions('cnn');
  const { labels } = modelMetadata('cnn');
  let batches: Array<{ files: string[]; uint8: number[] }>;
  const reference = new Map<number, InferAnswer>(); // JSON UINT8 answers, by batch index

  const send = (inputs: ClientInput[], options: InferOptions = {}) =>
    infer(t.url, inputs, { ...options, headers: { ...auth, ...options.headers } });

  beforeAll(async () => {
    t = await startOipApp({ MAX_BODY_BYTES, MAX_REQUEST_ITEMS });
    batches = await Promise.all(
      chunk(heldback, 100).map(async (images) => ({
        files: images.map((image) => image.file),
        uint8: (await Promise.all(images.map((image) => pixels(image.bytes)))).flat(),
      })),
    );
  });
  afterAll(() => t?.close());

  afterEach(async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });

  it('lists binary_tensor_data and classification in GET /v2', async () => {
    const server = await (await fetch(`${t.url}/v2`, { headers: { authorization: `Bearer ${keys.read}` } })).json();
    expect(server).toEqual({
      name: 'vigil',
      version: expect.any(String),
      extensions: ['binary_tensor_data', 'classification'],
    });
  });

  it('answers JSON UINT8 batches of 100 with the offline predictions (the reference for what follows)', async () => {
    for (const [i, batch] of batches.entries()) {
      const answer = await send([input('UINT8', batch.uint8, false)], { contentType: 'application/json' });
      expect([answer.status, answer.binaryBody, answer.contentType]).toEqual([
        200,
        false,
        expect.stringMatching(/^application\/json/),
      ]);
      expect(answer.order).toEqual(['logits', 'predicted_label']);
      expect(answer.outputs.get('logits')?.shape).toEqual([batch.files.length, 10]);
      expect(answer.outputs.get('predicted_label')?.values).toEqual(batch.files.map((file) => expected.get(file)));
      reference.set(i, answer);
    }
  });

  it.each([
    ['binary input, binary outputs, no Content-Type', true, binaryOutputs, null],
    ['binary input, JSON outputs, application/octet-stream', true, {}, 'application/octet-stream'],
    ['JSON input, binary outputs, no Content-Type', false, binaryOutputs, null],
    [
      'binary input, binary outputs, application/json; charset=utf-8',
      true,
      binaryOutputs,
      'application/json; charset=utf-8',
    ],
    ['JSON input, JSON outputs, text/plain', false, {}, 'text/plain'],
  ])('%s: the same answer to the last bit', async (_name, binaryInput, options, contentType) => {
    for (const [i, batch] of batches.entries()) {
      const answer = await send([input('UINT8', batch.uint8, binaryInput)], { ...options, contentType });
      expect(answer.status).toBe(200);
      const binary = 'parameters' in options;
      expect(answer.binaryBody).toBe(binary);
      expect(answer.contentType).toMatch(binary ? /^application\/octet-stream/ : /^application\/json/);
      expect(answer.outputs.get('logits')?.binary).toBe(binary);
      expectSameAnswer(answer, reference.get(i)!);
    }
  });

  it('mixes outputs: one binary, one JSON, in the order asked', async () => {
    const batch = batches[0];
    const answer = await send([input('UINT8', batch.uint8, true)], {
      outputs: [
        { name: 'predicted_label', parameters: { binary_data: false } },
        { name: 'logits', parameters: { binary_data: true } },
      ],
    });
    expect(answer.order).toEqual(['predicted_label', 'logits']);
    expect([answer.outputs.get('predicted_label')?.binary, answer.outputs.get('logits')?.binary]).toEqual([
      false,
      true,
    ]);
    expectSameAnswer(answer, reference.get(0)!);
  });

  it('lets an output override binary_data_output, and answers only the outputs asked for', async () => {
    const answer = await send([input('UINT8', batches[1].uint8, false)], {
      ...binaryOutputs,
      outputs: [{ name: 'logits', parameters: { binary_data: false } }],
    });
    expect([answer.binaryBody, answer.order]).toEqual([false, ['logits']]);
    expect(bits(answer.outputs.get('logits')!.values)).toEqual(bits(reference.get(1)!.outputs.get('logits')!.values));
  });

  it('reads FP32 binary input exactly like FP32 JSON input', async () => {
    const values = batches[2].uint8.map((v) => Math.fround(v / 255));
    const json = await send([input('FP32', values, false)]);
    const binary = await send([input('FP32', values, true)], binaryOutputs);
    expect([json.status, binary.status]).toEqual([200, 200]);
    expectSameAnswer(binary, json);
    expect(json.outputs.get('predicted_label')?.values).toEqual(batches[2].files.map((file) => expected.get(file)));
  });

  it('converts FP16 binary input to FP32: the same answer as FP32 JSON of the same values', async () => {
    const halves = batches[3].uint8.map((v) => halfValue(halfBits(v / 255)));
    expect(halves.some((h, i) => h !== Math.fround(batches[3].uint8[i] / 255))).toBe(true); // really rounded
    const fp32 = await send([input('FP32', halves, false)]);
    const fp16 = await send([input('FP16', halves, true)], binaryOutputs);
    expect([fp32.status, fp16.status]).toEqual([200, 200]);
    expectSameAnswer(fp16, fp32);
  });

  it('serves a batch of one and the versioned route', async () => {
    const one = batches[0].uint8.slice(0, 64);
    const answer = await send([input('UINT8', one, true)], {
      ...binaryOutputs,
      path: '/v2/models/digits/versions/cnn-v1/infer',
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ model_name: 'digits', model_version: 'cnn-v1' });
    const logits = answer.outputs.get('logits')!;
    expect(logits.shape).toEqual([1, 10]);
    expect(bits(logits.values)).toEqual(bits(reference.get(0)!.outputs.get('logits')!.values).subarray(0, 40));
  });

  it.each([
    ['JSON', false],
    ['binary', true],
  ])('classification: the top 3 of each row as "score:index:label" (%s)', async (_name, binaryData) => {
    const answer = await send([input('UINT8', batches[4].uint8, true)], {
      outputs: [
        { name: 'logits', parameters: { classification: 3, binary_data: binaryData } },
        { name: 'predicted_label' },
      ],
    });
    const classes = answer.outputs.get('logits')!;
    expect([classes.datatype, classes.shape, classes.binary]).toEqual([
      'BYTES',
      [batches[4].files.length, 3],
      binaryData,
    ]);
    expect(classes.values).toEqual(topThree(reference.get(4)!.outputs.get('logits')!.values as Float32Array));
    const top1 = (classes.values as string[]).filter((_, i) => i % 3 === 0).map((c) => c.split(':')[2]);
    expect(top1).toEqual(answer.outputs.get('predicted_label')?.values);
  });

  it('classification with k above the class count returns every class, best first', async () => {
    const answer = await send([input('UINT8', batches[0].uint8.slice(0, 64), false)], {
      outputs: [{ name: 'logits', parameters: { classification: 50 } }],
    });
    expect(answer.outputs.get('logits')?.shape).toEqual([1, 10]);
    const scores = (answer.outputs.get('logits')!.values as string[]).map((c) => Number(c.split(':')[0]));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('reads a gzip-compressed binary body (Content-Encoding: gzip)', async () => {
    const values = batches[0].uint8;
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ ...input('UINT8', [], true, 100), parameters: { binary_data_size: values.length } }],
        ...binaryOutputs,
      }),
    );
    const body = gzipSync(Buffer.concat([header, Buffer.from(values)]));
    const answer = await post(t.url, body, {
      ...auth,
      'content-encoding': 'gzip',
      'inference-header-content-length': String(header.length),
    });
    expect(answer.status).toBe(200);
    expectSameAnswer(answer, reference.get(0)!);
  });

  function topThree(probabilities: Float32Array): string[] {
    const rows = chunk(Array.from(probabilities), 10);
    return rows.flatMap((row) =>
      row
        .map((score, index) => ({ score, index }))
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, 3)
        .map(({ score, index }) => `${score.toFixed(6)}:${index}:${labels[index]}`),
    );
  }
});

/** Same logits bit for bit and the same labels; prediction ids differ (each request is logged). */
function expectSameAnswer(answer: InferAnswer, reference: InferAnswer): void {
  expect(answer.status).toBe(200);
  expect(bits(answer.outputs.get('logits')!.values)).toEqual(bits(reference.outputs.get('logits')!.values));
  expect(answer.outputs.get('logits')?.shape).toEqual(reference.outputs.get('logits')?.shape);
  const labelsOf = (a: InferAnswer) => a.outputs.get('predicted_label')?.values;
  if (labelsOf(answer)) expect(labelsOf(answer)).toEqual(labelsOf(reference));
}
