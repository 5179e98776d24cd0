import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeWithRedis } from '../support/redis';
import { startReplicas } from '../support/replicas';
import { startTestApp, TestApp } from '../support/test-app';

const rootKey = `root-${randomBytes(16).toString('hex')}`;
const keysEnv = {
  LOG_LEVEL: 'error',
  AUTH_MODE: 'keys',
  API_KEYS: `root:admin:${rootKey}`,
  AUTH_FAILURES_PER_MINUTE: '5',
};
type ErrorBody = { error: { code: string; message: string } };

/** GET /v1/models as `client` (an address the app reads from X-Forwarded-For) with `authorization`. */
function models(app: TestApp, client: string, authorization: string) {
  return fetch(`${app.url}/v1/models`, { headers: { authorization, 'x-forwarded-for': client } });
}

const wrongKey = () => `Bearer vgl_${randomBytes(24).toString('base64url')}`;

async function createKey(app: TestApp): Promise<string> {
  const response = await fetch(`${app.url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'stored', scopes: ['read'] }),
  });
  return ((await response.json()) as { key: string }).key;
}

describe('issue 14.7: auth failures are throttled', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ...keysEnv, TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => app.close());

  it('answers 429 with Retry-After once an address has spent its failures, even for a burst', async () => {
    const burst = await Promise.all(Array.from({ length: 200 }, () => models(app, '203.0.113.7', wrongKey())));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(195);
    const refused = burst.find((r) => r.status === 429)!;
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const { error } = (await refused.json()) as ErrorBody;
    expect(error.code).toBe('auth_failures_throttled');
    expect(error.message).toContain('AUTH_FAILURES_PER_MINUTE');
    await Promise.all(burst.filter((r) => !r.bodyUsed).map((r) => r.body?.cancel()));
  });

  it('counts per client address; keys known to be valid still pass', async () => {
    expect((await models(app, '203.0.113.7', wrongKey())).status).toBe(429);
    expect((await models(app, '203.0.113.8', wrongKey())).status).toBe(401);
    expect((await models(app, '203.0.113.7', `Bearer ${rootKey}`)).status).toBe(200);
    // A stored key needs a lookup: refused from the throttled address, served from another.
    const stored = await createKey(app);
    expect((await models(app, '203.0.113.7', `Bearer ${stored}`)).status).toBe(429);
    expect((await models(app, '203.0.113.9', `Bearer ${stored}`)).status).toBe(200);
  });

  it('refuses a throttled address before any database lookup', async () => {
    const db = new Client({ connectionString: app.config.DATABASE_URL });
    await db.connect();
    await db.query('ALTER TABLE api_keys RENAME TO api_keys_away');
    try {
      // A lookup would now fail (500); the throttled address never reaches one.
      expect((await models(app, '203.0.113.7', wrongKey())).status).toBe(429);
    } finally {
      await db.query('ALTER TABLE api_keys_away RENAME TO api_keys');
      await db.end();
    }
  });

  it('matches the Bearer scheme case-insensitively (RFC 7235)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const response = await models(app, '203.0.113.20', `${scheme} ${rootKey}`);
      expect([scheme, response.status]).toEqual([scheme, 200]);
    }
    expect((await models(app, '203.0.113.20', `Bearer\t${rootKey}`)).status).toBe(200);
  });
});

describeWithRedis('issue 14.7: auth failures are throttled across replicas', () => {
  it('shares the count of one address through Redis', async () => {
    const replicas = await startReplicas(keysEnv);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await models(replicas.a, '127.0.0.1', wrongKey())).status);
        statuses.push((await models(replicas.b, '127.0.0.1', wrongKey())).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    } finally {
      await replicas.close();
    }
  });
});
