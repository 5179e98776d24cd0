import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { digitImages, registerDigitsModel } from '../support/digits';
import { describeWithRedis } from '../support/redis';
import { startReplicas } from '../support/replicas';
import { startTestApp, TestApp } from '../support/test-app';

const rootKey = `root-${randomBytes(16).toString('hex')}`;
type ErrorBody = { error: { code: string; message: string } };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function createKey(app: TestApp, name: string, scopes: string[]): Promise<string> {
  const response = await fetch(`${app.url}/v1/api-keys`, {
    method: 'POST',
    headers: { ...bearer(rootKey), 'content-type': 'application/json' },
    body: JSON.stringify({ name, scopes }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

function predict(app: TestApp, headers: Record<string, string>) {
  const image = digitImages('heldback')[0].bytes;
  return fetch(`${app.url}/v1/models/digits/predict`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'image/png' },
    body: image,
  });
}

describe('API keys and scopes', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      env: { AUTH_MODE: 'keys', API_KEYS: `root:admin:${rootKey}`, RATE_LIMIT_PER_MINUTE: '40' },
    });
    expect((await registerDigitsModel(app.url, 'cnn', {}, bearer(rootKey))).status).toBe(201);
  });
  afterAll(() => app.close());

  it('answers 401 without a key, naming the scope the route needs', async () => {
    const response = await fetch(`${app.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe('api_key_missing');
    expect(error.message).toContain("scope 'read'");
  });

  it('answers 401 for an unknown key and keeps probes public', async () => {
    expect((await fetch(`${app.url}/v1/models`, { headers: bearer('vgl_not-a-real-key') })).status).toBe(401);
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${app.url}/v2/health/ready`)).status).toBe(200);
  });

  it('lets a key do what its scopes allow and answers 403 otherwise', async () => {
    const inferKey = await createKey(app, 'client', ['infer']);
    expect((await predict(app, bearer(inferKey))).status).toBe(200);
    expect((await predict(app, { 'x-api-key': inferKey })).status).toBe(200);
    const forbidden = await fetch(`${app.url}/v1/models`, { headers: bearer(inferKey) });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as ErrorBody).error.message).toContain("needs 'read'");
    const feedback = await fetch(`${app.url}/v1/feedback`, {
      method: 'POST',
      headers: { ...bearer(inferKey), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(feedback.status).toBe(403);
    const readKey = await createKey(app, 'dashboard', ['read']);
    expect((await fetch(`${app.url}/v1/models`, { headers: bearer(readKey) })).status).toBe(200);
    expect((await predict(app, bearer(readKey))).status).toBe(403);
    const promote = await fetch(`${app.url}/v1/models/digits/versions/cnn-v1/promote`, {
      method: 'POST',
      headers: bearer(readKey),
    });
    expect(promote.status).toBe(403);
  });

  it('stores only the hash, lists keys without secrets and revokes them', async () => {
    const key = await createKey(app, 'short-lived', ['read']);
    const listed = (await (await fetch(`${app.url}/v1/api-keys`, { headers: bearer(rootKey) })).json()) as {
      apiKeys: { id: string; name: string; prefix: string }[];
    };
    expect(JSON.stringify(listed)).not.toContain(key);
    const entry = listed.apiKeys.find((k) => k.name === 'short-lived')!;
    expect(key.startsWith(entry.prefix)).toBe(true);

    const db = new Client({ connectionString: app.config.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [entry.id]);
    await db.end();
    expect(rows[0].key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(key);

    const revoke = await fetch(`${app.url}/v1/api-keys/${entry.id}`, { method: 'DELETE', headers: bearer(rootKey) });
    expect(revoke.status).toBe(204);
    expect((await fetch(`${app.url}/v1/models`, { headers: bearer(key) })).status).toBe(401);
    const again = await fetch(`${app.url}/v1/api-keys/${entry.id}`, { method: 'DELETE', headers: bearer(rootKey) });
    expect(again.status).toBe(404);
  });

  it('rejects bad key requests with 400', async () => {
    for (const body of [
      { name: 'x', scopes: ['superuser'] },
      { name: 'x', scopes: [] },
      { name: 'a b', scopes: ['read'] },
    ]) {
      const response = await fetch(`${app.url}/v1/api-keys`, {
        method: 'POST',
        headers: { ...bearer(rootKey), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
    }
    const badId = await fetch(`${app.url}/v1/api-keys/not-a-uuid`, { method: 'DELETE', headers: bearer(rootKey) });
    expect(badId.status).toBe(400);
  });

  it('limits each key per minute with 429 and Retry-After, other keys unaffected', async () => {
    const busy = await createKey(app, 'busy', ['read']);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await fetch(`${app.url}/v1/models`, { headers: bearer(busy) })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await fetch(`${app.url}/v1/models`, { headers: bearer(busy) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as ErrorBody).error.message).toContain("key 'busy'");
    const other = await createKey(app, 'calm', ['read']);
    expect((await fetch(`${app.url}/v1/models`, { headers: bearer(other) })).status).toBe(200);
  });
});

describe('public reads', () => {
  it('serves read routes without a key when AUTH_PUBLIC_READ=true, and nothing else', async () => {
    const app = await startTestApp({
      env: { AUTH_MODE: 'keys', API_KEYS: `root:admin:${rootKey}`, AUTH_PUBLIC_READ: 'true' },
    });
    try {
      expect((await fetch(`${app.url}/v1/models`)).status).toBe(200);
      expect((await fetch(`${app.url}/v1/drift/status`)).status).toBe(200);
      expect((await registerDigitsModel(app.url, 'cnn')).status).toBe(401);
      expect((await predict(app, {})).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describeWithRedis('rate limit shared by replicas through Redis', () => {
  it('counts one key across both replicas', async () => {
    const replicas = await startReplicas({
      AUTH_MODE: 'keys',
      API_KEYS: `root:admin:${rootKey}`,
      RATE_LIMIT_PER_MINUTE: '10',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await fetch(`${replicas.a.url}/v1/models`, { headers: bearer(rootKey) })).status);
        statuses.push((await fetch(`${replicas.b.url}/v1/models`, { headers: bearer(rootKey) })).status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await replicas.close();
    }
  });
});
