import { crc32 } from 'node:zlib';
import { digitImages, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

/** A real PNG whose header is patched to claim 20000x20000 pixels: refused before decoding. */
function pngBomb(png: Buffer): Buffer {
  const bomb = Buffer.from(png);
  bomb.writeUInt32BE(20_000, 16);
  bomb.writeUInt32BE(20_000, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
  return bomb;
}

const tensor = (overrides: Record<string, unknown>) => ({
  inputs: [{ name: 'input', shape: [1, 1, 8, 8], datatype: 'FP32', data: new Array(64).fill(0.5), ...overrides }],
});

describe('bad input gets a 4xx naming the problem, and the service keeps serving', () => {
  let t: TestApp;
  const good = digitImages('heldback')[0];

  beforeAll(async () => {
    t = await startTestApp({ env: { MAX_BODY_BYTES: '200000' } });
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
  });
  afterAll(() => t.close());

  afterEach(async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    const answer = await fetch(`${t.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: good.bytes,
    });
    expect(answer.status).toBe(200);
  });

  it('answers 413 naming MAX_REQUEST_ITEMS for one image past the default 256', async () => {
    const form = new FormData();
    for (let i = 0; i < 257; i++) form.append('images', new Blob([good.bytes], { type: 'image/png' }), `${i}.png`);
    const response = await fetch(`${t.url}/v1/models/digits/predict`, { method: 'POST', body: form });
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('too_many_items');
    expect(error.message).toContain('256 (MAX_REQUEST_ITEMS)');
  });

  const infer = (body: unknown, model = 'digits') =>
    fetch(`${t.url}/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const predict = (body: Buffer | string, contentType = 'image/png', model = 'digits') =>
    fetch(`${t.url}/v1/models/${model}/predict`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it.each([
    ['wrong shape', () => infer(tensor({ shape: [1, 8, 8] })), 400, /shape \[1,8,8\].*expects \[-1,1,8,8\]/],
    ['wrong datatype', () => infer(tensor({ datatype: 'INT8' })), 400, /INT8.*FP32/],
    ['NaN in the data', () => infer(tensor({ data: [...new Array(63).fill(0), 'NaN'] })), 400, /element 63/],
    ['data of the wrong length', () => infer(tensor({ data: [1, 2, 3] })), 400, /3 values.*64|64.*3/],
    [
      'not JSON',
      () =>
        fetch(`${t.url}/v2/models/digits/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"inputs": [',
        }),
      400,
      /JSON/,
    ],
    ['unknown model (v2)', () => infer(tensor({}), 'nope'), 404, /no model named nope/],
  ])('v2 infer: %s', async (_name, send, status, message) => {
    const response = await send();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string };
    expect(body.error).toMatch(message);
  });

  it.each([
    ['empty body', () => predict(Buffer.alloc(0)), 400, 'empty_body'],
    ['corrupt image', () => predict(Buffer.from('this is not a png at all')), 415, 'unsupported_image'],
    ['truncated PNG', () => predict(good.bytes.subarray(0, 40)), 400, 'corrupt_image'],
    ['a 20,000 x 20,000 image', () => predict(pngBomb(good.bytes)), 413, 'image_too_large'],
    ['oversize body', () => predict(Buffer.alloc(300_000, 1)), 413, 'entity_too_large'],
    ['unsupported content type', () => predict('hello', 'text/plain'), 415, 'unsupported_media_type'],
    ['unknown model', () => predict(good.bytes, 'image/png', 'nope'), 404, 'model_not_found'],
  ])('v1 predict: %s', async (_name, send, status, code) => {
    const response = await send();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it.each([
    [
      'an ONNX file that does not match its spec',
      {
        version: 'bad-spec',
        inputSpec: {
          layout: 'NCHW',
          channels: 1,
          height: 28,
          width: 28,
          scale: 1,
          mean: [0],
          std: [1],
          output: 'logits',
        },
      },
      422,
      /float32\[batch,1,8,8\].*1,28,28/,
    ],
    ['labels of the wrong length', { version: 'bad-labels', labels: ['a', 'b', 'c'] }, 422, /implies 3 classes/],
    [
      'a spec with the wrong number of means',
      {
        version: 'bad-mean',
        inputSpec: {
          layout: 'NCHW',
          channels: 1,
          height: 8,
          width: 8,
          scale: 1,
          mean: [0, 0, 0],
          std: [1],
          output: 'logits',
        },
      },
      400,
      /one value per channel/,
    ],
    ['a version that exists', { version: 'cnn-v1' }, 409, /already registered/],
  ])('registration: %s', async (_name, overrides, status, message) => {
    const response = await registerDigitsModel(t.url, 'cnn', overrides);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(message);
  });
});
