import { randomBytes } from 'node:crypto';
import { ImageBatchDecoder } from '../../src/inference/preprocess/image-batch-decoder';
import { digitImages, registerDigitsModel } from '../support/digits';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { greyPng, multipart, pngClaiming } from './payloads';

const MAX_REQUEST_PIXELS = 10_000;
const rootKey = `root-${randomBytes(16).toString('hex')}`;
const keyA = `client-a-${randomBytes(16).toString('hex')}`;
const keyB = `client-b-${randomBytes(16).toString('hex')}`;
const good = digitImages('heldback')[0].bytes;

type V1Error = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe('image decoding is bounded per request (MAX_REQUEST_PIXELS) and per process (MAX_DECODE_*)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        AUTH_MODE: 'keys',
        API_KEYS: `root:admin:${rootKey},a:infer:${keyA},b:infer:${keyB}`,
        MAX_REQUEST_PIXELS: String(MAX_REQUEST_PIXELS),
        MAX_DECODE_CONCURRENCY: '1',
        MAX_DECODE_QUEUE: '1',
        LOG_LEVEL: 'error',
      },
    });
    expect((await registerDigitsModel(t.url, 'cnn', {}, { authorization: `Bearer ${rootKey}` })).status).toBe(201);
  });
  afterAll(() => t?.close());

  const predict = (images: Buffer[], key = keyA) => {
    const form = multipart(images.map((bytes) => ({ field: 'images', bytes })));
    return fetch(`${t.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': form.contentType },
      body: form.body,
    });
  };

  describe('MAX_REQUEST_PIXELS', () => {
    it('serves a batch at the budget (two 64x64 images = 8192 pixels)', async () => {
      const image = await greyPng(64, 64);
      const response = await predict([image, image]);
      expect(response.status).toBe(200);
    });

    it('refuses three 64x64 images (12288 pixels) with 413 naming the setting and both numbers', async () => {
      const image = await greyPng(64, 64);
      const response = await predict([image, image, image]);
      expect(response.status).toBe(413);
      const { error } = (await response.json()) as V1Error;
      expect(error.code).toBe('request_too_many_pixels');
      expect(error.message).toMatch(/3 images have 12288 pixels/);
      expect(error.message).toMatch(/limit of 10000 pixels per request \(MAX_REQUEST_PIXELS\)/);
      expect(error.details).toEqual({ pixels: 12288, limit: 10000, setting: 'MAX_REQUEST_PIXELS' });
    });

    it('counts from the headers, before decoding: bombs that claim 60x60 each are refused by the budget, not the decoder', async () => {
      // Each header claims 3600 pixels over 8x8 of data: decoding would fail as corrupt (400).
      const bomb = pngClaiming(good, 60, 60);
      const response = await predict([bomb, bomb, bomb]);
      expect(response.status).toBe(413);
      expect(((await response.json()) as V1Error).error.message).toMatch(/10800 pixels/);
    });
  });

  describe('MAX_DECODE_CONCURRENCY and MAX_DECODE_QUEUE', () => {
    it('with the slot busy and the queue full, a client already waiting gets 503 + Retry-After; another client still gets in', async () => {
      const gate = t.app.get(ImageBatchDecoder).gate;
      let release!: () => void;
      const holding = gate.admit('test').run([() => new Promise<void>((resolve) => (release = resolve))]);

      const firstOfA = predict([good]);
      await eventually(
        async () => gate.waiting,
        (n) => n === 1,
      );
      const secondOfA = await predict([good]);
      expect(secondOfA.status).toBe(503);
      expect(secondOfA.headers.get('retry-after')).toBe('1');
      const { error } = (await secondOfA.json()) as V1Error;
      expect(error.code).toBe('decode_busy');
      expect(error.message).toMatch(
        /1 images are being decoded \(MAX_DECODE_CONCURRENCY\) and 1 requests are waiting \(MAX_DECODE_QUEUE\)/,
      );

      const firstOfB = predict([good], keyB);
      await eventually(
        async () => gate.waiting,
        (n) => n === 2,
      );
      release();
      await holding;
      expect((await firstOfA).status).toBe(200);
      expect((await firstOfB).status).toBe(200);
      expect(gate.waiting).toBe(0);
    });
  });
});
