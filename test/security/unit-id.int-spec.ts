import { digitImages, pixels, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

describe('issue 14.5: x-unit-id is bounded', () => {
  let t: TestApp;
  let tensor: string;
  const image = digitImages('heldback')[0];
  const predict = (unitId: string, path = '/v1/models/digits/predict') =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-unit-id': unitId },
      body: image.bytes,
    });
  const infer = (unitId: string, path = '/v2/models/digits/infer') =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-unit-id': unitId },
      body: tensor,
    });

  beforeAll(async () => {
    t = await startTestApp();
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
    const data = await pixels(image.bytes);
    tensor = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 1, 8, 8], datatype: 'UINT8', data }] });
  });
  afterAll(() => t.close());

  it('accepts 128 characters on every serving route', async () => {
    const id = 'u'.repeat(128);
    expect((await predict(id)).status).toBe(200);
    expect((await predict(id, '/v1/models/digits/versions/cnn-v1/predict')).status).toBe(200);
    expect((await infer(id)).status).toBe(200);
    expect((await infer(id, '/v2/models/digits/versions/cnn-v1/infer')).status).toBe(200);
  });

  it('refuses 129 characters (and 8 KiB) with a 400 naming the header and the limit', async () => {
    for (const id of ['u'.repeat(129), 'u'.repeat(8000)]) {
      const response = await predict(id);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('unit_id_too_long');
      expect(error.message).toBe(`the x-unit-id header has ${id.length} characters; at most 128 are accepted`);
    }
  });

  it('refuses it on the Open Inference Protocol routes too', async () => {
    for (const path of ['/v2/models/digits/infer', '/v2/models/digits/versions/cnn-v1/infer']) {
      const response = await infer('u'.repeat(129), path);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/x-unit-id header .* at most 128/);
    }
    expect((await predict('u'.repeat(129), '/v1/models/digits/versions/cnn-v1/predict')).status).toBe(400);
  });
});
