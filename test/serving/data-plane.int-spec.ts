import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { InferenceDataPlane } from '../../src/serving/data-plane/inference-data-plane';
import { digitImages, pixels, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The inference routes are answered by the data plane (serving/data-plane), not by Nest: these
 * tests hold it to what Nest's middleware, guards and filter do for every other route.
 */
const rootKey = `root-${randomBytes(16).toString('hex')}`;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const wrongKey = () => `Bearer vgl_${randomBytes(24).toString('base64url')}`;
type ErrorBody = { error: { code: string; message: string } };

async function inferBody(): Promise<string> {
  const data = await pixels(digitImages('heldback')[0].bytes);
  return JSON.stringify({ inputs: [{ name: 'input', shape: [1, 1, 8, 8], datatype: 'UINT8', data }] });
}

describe('the inference data plane', () => {
  let app: TestApp;
  let body: string;
  let taken: Array<{ url: string; taken: boolean }>;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        AUTH_MODE: 'keys',
        API_KEYS: `root:admin:${rootKey}`,
        AUTH_FAILURES_PER_MINUTE: '3',
        RATE_LIMIT_PER_MINUTE: '1000',
        TRUST_PROXY: 'loopback',
      },
    });
    expect((await registerDigitsModel(app.url, 'cnn', {}, bearer(rootKey))).status).toBe(201);
    body = await inferBody();
    const plane = app.app.get(InferenceDataPlane);
    const handle = plane.handle.bind(plane);
    jest.spyOn(plane, 'handle').mockImplementation((request: IncomingMessage, response) => {
      const result = handle(request, response);
      taken.push({ url: `${request.method} ${request.url}`, taken: result });
      return result;
    });
  });
  beforeEach(() => (taken = []));
  afterAll(() => app.close());

  const infer = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { ...bearer(rootKey), ...headers }, body });

  it('takes OIP infer and image-body predict requests; multipart, GET and other routes go to Nest', async () => {
    expect((await infer('/v2/models/digits/infer')).status).toBe(200);
    expect((await infer('/v2/models/digits/versions/cnn-v1/infer')).status).toBe(200);
    const png = digitImages('heldback')[0].bytes;
    const image = await fetch(`${app.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { ...bearer(rootKey), 'content-type': 'image/png' },
      body: png,
    });
    expect(image.status).toBe(200);
    const form = new FormData();
    form.append('images', new Blob([png], { type: 'image/png' }), 'a.png');
    const multipart = await fetch(`${app.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: bearer(rootKey),
      body: form,
    });
    expect(multipart.status).toBe(200);
    expect((await fetch(`${app.url}/v2/models/digits`, { headers: bearer(rootKey) })).status).toBe(200);
    expect(taken.map((t) => t.taken)).toEqual([true, true, true, false, false]);
  });

  it('sends the API security headers and echoes a sane X-Request-Id (replacing an unsafe one)', async () => {
    const response = await infer('/v2/models/digits/infer', { 'x-request-id': 'client-id.42' });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-request-id')).toBe('client-id.42');
    const unsafe = await infer('/v2/models/digits/infer', { 'x-request-id': 'bad id\twith tab' });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('decodes URL-encoded names and accepts a trailing slash, as Express routing does', async () => {
    expect((await infer('/v2/models/%64igits/infer/')).status).toBe(200);
    const missing = await infer('/v2/models/no%20such/infer');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain('no such');
  });

  it('throttles wrong keys per client address read through TRUST_PROXY', async () => {
    const from = (client: string) =>
      infer('/v2/models/digits/infer', { authorization: wrongKey(), 'x-forwarded-for': client });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await from('198.51.100.7')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await from('198.51.100.8')).status).toBe(401);
  });

  it('refuses a cross-site POST from a browser before the key is looked up', async () => {
    const response = await infer('/v2/models/digits/infer', {
      'sec-fetch-site': 'cross-site',
      authorization: wrongKey(),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toContain('cross-site POST refused');
  });

  it('counts the rate limit of the key and names the v1 error shape on predict', async () => {
    const response = await infer('/v2/models/digits/infer');
    expect(response.headers.get('ratelimit-limit')).toBe('1000');
    const wrongType = await fetch(`${app.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { ...bearer(rootKey), 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(wrongType.status).toBe(415);
    const { error } = (await wrongType.json()) as ErrorBody;
    expect(error.code).toBe('unsupported_media_type');
    expect(error.message).toContain('text/plain');
  });

  it('counts its requests under the route template in /metrics', async () => {
    const count = async (status: string) => {
      const metrics = await (await fetch(`${app.url}/metrics`, { headers: bearer(rootKey) })).text();
      const series = `vigil_http_requests_total{method="POST",route="/v2/models/:name/infer",status_code="${status}"}`;
      expect(metrics).not.toContain('unknown-model');
      return Number(
        metrics
          .split('\n')
          .find((l) => l.startsWith(series))
          ?.split(' ')
          .pop() ?? 0,
      );
    };
    const before = { ok: await count('200'), missing: await count('404') };
    await infer('/v2/models/digits/infer');
    await infer('/v2/models/unknown-model/infer');
    expect(await count('200')).toBe(before.ok + 1);
    expect(await count('404')).toBe(before.missing + 1);
  });
});

describe('INFERENCE_DATA_PLANE=false: the same routes through Nest give the same answers', () => {
  let lean: TestApp;
  let nest: TestApp;
  let nestPlane: jest.SpyInstance;

  beforeAll(async () => {
    [lean, nest] = await Promise.all([startTestApp(), startTestApp({ env: { INFERENCE_DATA_PLANE: 'false' } })]);
    for (const app of [lean, nest]) expect((await registerDigitsModel(app.url, 'cnn')).status).toBe(201);
    nestPlane = jest.spyOn(nest.app.get(InferenceDataPlane), 'handle');
  });
  afterAll(() => Promise.all([lean.close(), nest.close()]));

  /** The answer without what differs per request (prediction ids, request id). */
  async function answer(app: TestApp, path: string, init: RequestInit) {
    const response = await fetch(`${app.url}${path}`, { method: 'POST', ...init });
    const text = (await response.text()).replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      '<id>',
    );
    return { status: response.status, type: response.headers.get('content-type'), text };
  }

  it.each([
    ['OIP JSON', '/v2/models/digits/infer', async () => ({ body: await inferBody() })],
    ['OIP JSON, version', '/v2/models/digits/versions/cnn-v1/infer', async () => ({ body: await inferBody() })],
    ['OIP, unknown model', '/v2/models/nope/infer', async () => ({ body: await inferBody() })],
    ['OIP, malformed JSON', '/v2/models/digits/infer', async () => ({ body: '{"inputs": [' })],
    [
      'predict PNG, top_k 3',
      '/v1/models/digits/predict?top_k=3',
      async () => ({ body: digitImages('heldback')[1].bytes, headers: { 'content-type': 'image/png' } }),
    ],
    [
      'predict, bad top_k',
      '/v1/models/digits/predict?top_k=0',
      async () => ({ body: digitImages('heldback')[1].bytes, headers: { 'content-type': 'image/png' } }),
    ],
    [
      'predict, not an image',
      '/v1/models/digits/predict',
      async () => ({ body: Buffer.from('not a png'), headers: { 'content-type': 'image/png' } }),
    ],
  ])('%s', async (_case, path, init) => {
    const request = await init();
    const [a, b] = [await answer(lean, path, request), await answer(nest, path, request)];
    expect(a).toEqual(b);
    expect(nestPlane).not.toHaveBeenCalled();
  });
});
