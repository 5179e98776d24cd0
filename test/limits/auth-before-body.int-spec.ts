import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { multipart } from './payloads';

const MAX_BODY_BYTES = 200_000;
const rootKey = `root-${randomBytes(16).toString('hex')}`;
const readKey = `reader-${randomBytes(16).toString('hex')}`;

interface Route {
  name: string;
  path: string;
  contentType: string;
  /** A body the route's parser (or, for images, the decoder) refuses once authenticated, and its status. */
  malformed: Buffer;
  malformedStatus: number;
}

const form = multipart([{ field: 'file', bytes: Buffer.alloc(1000, 1) }], { metadata: '{}' });
const routes: Route[] = [
  {
    name: 'JSON (admin)',
    path: '/v1/api-keys',
    contentType: 'application/json',
    malformed: Buffer.from('{"name":'),
    malformedStatus: 400,
  },
  {
    name: 'JSON (feedback)',
    path: '/v1/feedback',
    contentType: 'application/json',
    malformed: Buffer.from('[1,'),
    malformedStatus: 400,
  },
  {
    name: 'raw image',
    path: '/v1/models/digits/predict',
    contentType: 'image/png',
    malformed: Buffer.alloc(10, 7),
    malformedStatus: 415,
  },
  {
    name: 'multipart upload (admin)',
    path: '/v1/models',
    contentType: form.contentType,
    malformed: form.body.subarray(0, 300), // cut inside a part: busboy reports an unexpected end
    malformedStatus: 400,
  },
  {
    name: 'OIP infer',
    path: '/v2/models/digits/infer',
    contentType: 'application/json',
    malformed: Buffer.from('{"inputs":'),
    malformedStatus: 400,
  },
];

type Answer = { status: number; body: string; connection?: string };

/**
 * Sends the headers (declaring `declared` bytes) and only `first`, then waits for the answer
 * without ever sending the rest: it arrives only if the server answered without reading the body.
 */
function answerBeforeBody(
  url: string,
  route: Route,
  headers: Record<string, string>,
  first: Buffer,
  declared?: number,
) {
  return new Promise<Answer>((resolve, reject) => {
    const lengthHeader = declared === undefined ? {} : { 'content-length': String(declared) };
    const req = httpRequest(`${url}${route.path}`, {
      method: 'POST',
      headers: { ...headers, ...lengthHeader, 'content-type': route.contentType },
    });
    req.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const connection = response.headers.connection;
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), connection });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
    req.write(first);
  });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('the API key is checked before any body is read, on every route', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        AUTH_MODE: 'keys',
        API_KEYS: `root:admin:${rootKey},reader:read:${readKey}`,
        AUTH_FAILURES_PER_MINUTE: '0', // this suite sends many keyless requests from one address
        LOG_LEVEL: 'error',
      },
    });
    expect((await registerDigitsModel(t.url, 'cnn', {}, bearer(rootKey))).status).toBe(201);
  });
  afterAll(() => t?.close());

  afterEach(async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });

  const send = (route: Route, body: Buffer, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${route.path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': route.contentType },
      body,
    });
  const oversized = Buffer.alloc(MAX_BODY_BYTES + 1, 0x7b);
  const callers: Array<[string, Record<string, string>, number]> = [
    ['no key', {}, 401],
    ['a read key', bearer(readKey), 403],
  ];
  const cases = routes.flatMap((route) =>
    callers.flatMap(([who, headers, status]) => [
      [`${route.name}, oversized body, ${who}`, route, oversized, headers, status] as const,
      [`${route.name}, malformed body, ${who}`, route, route.malformed, headers, status] as const,
    ]),
  );

  it.each(cases)('%s: answered by the guard, not the parser', async (_name, route, body, headers, status) => {
    const response = await send(route, body, headers);
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).toMatch(
      status === 401
        ? /api_key_missing|needs an API key/
        : /scope_missing|needs 'infer'|needs 'admin'|needs 'feedback'/,
    );
  });

  it.each(routes)('$name: with the right key the same bodies are read and refused (413, 400/415)', async (route) => {
    expect((await send(route, oversized, bearer(rootKey))).status).toBe(413);
    expect((await send(route, route.malformed, bearer(rootKey))).status).toBe(route.malformedStatus);
  });

  describe.each(routes)('$name: the guard answers before the client has sent the body', (route) => {
    const first = Buffer.alloc(16_384, 0x20);

    it('401 without a key, with a declared length the body never reaches', async () => {
      const answer = await answerBeforeBody(t.url, route, {}, first, MAX_BODY_BYTES - 1);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatch(/needs an API key/);
      // Closed, so the server does not take in (and discard) the rest of the body either.
      expect(answer.connection).toBe('close');
    });

    it('401 without a key, chunked (no length)', async () => {
      expect((await answerBeforeBody(t.url, route, {}, first)).status).toBe(401);
    });

    it('403 with a key lacking the scope', async () => {
      const answer = await answerBeforeBody(t.url, route, bearer(readKey), first, MAX_BODY_BYTES - 1);
      expect(answer.status).toBe(403);
    });
  });
});
