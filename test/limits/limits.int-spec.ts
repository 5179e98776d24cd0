import { randomBytes } from 'node:crypto';
import { digitImages, pixels, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { chunked, greyPng, inferBody, multipart, pngClaiming } from './payloads';

// Small limits, so each can be crossed with a few hundred kilobytes.
const MAX_BODY_BYTES = 200_000;
const MAX_IMAGE_PIXELS = 64 * 64;
const MAX_REQUEST_ITEMS = 4;
const RATE_LIMIT_PER_MINUTE = 60;
const rootKey = `root-${randomBytes(16).toString('hex')}`;
const burstKey = `burst-${randomBytes(16).toString('hex')}`;

type Send = () => Promise<Response>;
type Payload = Buffer | string | ReadableStream<Uint8Array>;
interface Case {
  status: number;
  code?: string;
  /** The message must name the limit (the setting or its unit) and carry the configured value. */
  message: RegExp[];
}

describe('request limits answer with the right 4xx, naming the limit and its configured value', () => {
  let t: TestApp;
  const digits = digitImages('heldback').slice(0, MAX_REQUEST_ITEMS + 1);
  const good = digits[0].bytes;
  let uint8: number[];

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        MAX_IMAGE_PIXELS: String(MAX_IMAGE_PIXELS),
        MAX_REQUEST_ITEMS: String(MAX_REQUEST_ITEMS),
        AUTH_MODE: 'keys',
        API_KEYS: `root:admin:${rootKey},burst:read:${burstKey}`,
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
        LOG_LEVEL: 'error', // every refusal here is a 4xx, which pino-http logs as a warning
      },
    });
    expect((await registerDigitsModel(t.url, 'cnn', {}, { authorization: `Bearer ${rootKey}` })).status).toBe(201);
    uint8 = await pixels(good);
  });
  afterAll(() => t?.close());

  const send = (path: string, body: Payload, contentType: string, key = rootKey) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
      body,
      ...(body instanceof ReadableStream && { duplex: 'half' }),
    } as RequestInit);
  const predict = (body: Payload, contentType = 'image/png') => send('/v1/models/digits/predict', body, contentType);
  const predictMany = (images: Buffer[]) => {
    const form = multipart(images.map((bytes) => ({ field: 'images', bytes })));
    return predict(form.body, form.contentType);
  };
  const infer = (body: unknown) => send('/v2/models/digits/infer', JSON.stringify(body), 'application/json');
  const batchOf = (n: number) => inferBody([n, 1, 8, 8], Array.from({ length: n }, () => uint8).flat());

  afterEach(async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    expect((await predict(good)).status).toBe(200);
  });

  const bodyLimit = { status: 413, code: 'entity_too_large', message: [/MAX_BODY_BYTES = 200000 bytes/] };
  const pixelLimit = { status: 413, code: 'image_too_large', message: [/MAX_IMAGE_PIXELS/, /limit of 4096/] };
  const itemLimit = { status: 413, message: [/MAX_REQUEST_ITEMS/, /\b4\b/] };
  const cases: Array<[string, Send, Case]> = [
    ['body: a raw image body over the limit', () => predict(Buffer.alloc(MAX_BODY_BYTES + 1, 1)), bodyLimit],
    [
      'body: an OIP JSON body over the limit',
      () => infer(inferBody([1, 1, 8, 8], Array(70_000).fill(255))),
      { status: 413, message: bodyLimit.message }, // OIP errors are `{error: "..."}`, without a code
    ],
    [
      'body: a multipart image over the limit (declared length)',
      () => predictMany([Buffer.alloc(MAX_BODY_BYTES, 1)]),
      bodyLimit,
    ],
    [
      'body: a chunked multipart batch over the limit (no length to check)',
      () => {
        const form = multipart([1, 2, 3].map(() => ({ field: 'images', bytes: Buffer.alloc(80_000, 1) })));
        return predict(chunked(form.body), form.contentType);
      },
      bodyLimit,
    ],
    [
      'body: a model upload over the limit',
      () => {
        const form = multipart([{ field: 'file', bytes: Buffer.alloc(MAX_BODY_BYTES, 1) }], { metadata: '{}' });
        return send('/v1/models', form.body, form.contentType);
      },
      bodyLimit,
    ],
    ['pixels: a PNG whose header claims 20000x20000', () => predict(pngClaiming(good, 20_000, 20_000)), pixelLimit],
    ['pixels: a real 65x65 PNG', async () => predict(await greyPng(65, 65)), pixelLimit],
    [
      'pixels: one bomb inside a multipart batch',
      () => predictMany([good, pngClaiming(good, 50_000, 50_000)]),
      pixelLimit,
    ],
    [
      'items: a multipart batch of 5 images',
      () => predictMany(digits.map((d) => d.bytes)),
      { ...itemLimit, code: 'too_many_items' },
    ],
    [
      'items: an OIP batch of 5',
      () => infer(batchOf(5)),
      { ...itemLimit, message: [/batch size 5/, /at most 4 per request \(MAX_REQUEST_ITEMS\)/] },
    ],
    [
      'tensor: a declared batch of 1e15 with one image of data (refused before any allocation)',
      () => infer(inferBody([1e15, 1, 8, 8], uint8)),
      { status: 413, message: [/batch size 1000000000000000/, /MAX_REQUEST_ITEMS/] },
    ],
    [
      'tensor: a 100000x100000 image declared to an 8x8 model',
      () => infer(inferBody([1, 1, 100_000, 100_000], uint8)),
      { status: 400, message: [/shape \[1,1,100000,100000\]/, /expects \[-1,1,8,8\]/] },
    ],
    [
      'tensor: more elements than the declared shape',
      () => infer(inferBody([2, 1, 8, 8], Array(64 * 3).fill(1))),
      { status: 400, message: [/has 192 values/, /needs 128/] },
    ],
  ];

  it.each(cases)('%s', async (_name, sendIt, expected) => {
    const response = await sendIt();
    expect(response.status).toBe(expected.status);
    const { code, message } = await errorOf(response);
    if (expected.code) expect(code).toBe(expected.code);
    for (const pattern of expected.message) expect(message).toMatch(pattern);
  });

  it.each([
    ['a multipart batch of exactly 4 images', () => predictMany(digits.slice(0, 4).map((d) => d.bytes)), 4],
    ['an OIP batch of exactly 4', () => infer(batchOf(4)), 4],
    ['a real 64x64 PNG (exactly 4096 pixels)', async () => predict(await greyPng(64, 64)), 1],
  ])('at the limit: %s is served', async (_name, sendIt, items) => {
    const response = await sendIt();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { predictions?: unknown[]; outputs?: Array<{ shape: number[] }> };
    expect(body.predictions?.length ?? body.outputs?.[0].shape[0]).toBe(items);
  });

  it('rate: the 61st request of a key within a minute gets 429 with Retry-After; other keys are unaffected', async () => {
    const list = (key: string) => fetch(`${t.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    const statuses = [];
    for (let i = 0; i < RATE_LIMIT_PER_MINUTE; i++) statuses.push((await list(burstKey)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await list(burstKey);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const { code, message } = await errorOf(limited);
    expect(code).toBe('rate_limited');
    expect(message).toMatch(/60 requests per minute/);
    expect((await list(rootKey)).status).toBe(200);
  });
});

/** v1 errors are `{error: {code, message}}`, OIP v2 errors `{error: "..."}`. */
async function errorOf(response: Response): Promise<{ code?: string; message: string }> {
  const body = (await response.json()) as { error: string | { code: string; message: string } };
  return typeof body.error === 'string' ? { message: body.error } : body.error;
}
