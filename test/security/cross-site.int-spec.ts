import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/infra/net/free-port';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { registerDigitsModel } from '../support/digits';
import { spawnService, waitForStatus } from '../support/service-process';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_KEY = 'cross-site-admin-key-0123456789';
const page = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };

interface Versions {
  versions: Array<{ version: string; role: string }>;
}

describe('issue 14.2: cross-site state-changing requests are refused', () => {
  describe('open mode', () => {
    let t: TestApp;
    const champion = async () =>
      ((await (await fetch(`${t.url}/v1/models/digits`)).json()) as Versions).versions.find(
        (v) => v.role === 'champion',
      )?.version;

    beforeAll(async () => {
      t = await startTestApp();
      expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
    });
    afterAll(() => t.close());

    it('refuses a multipart model upload from another site, which would have replaced the champion', async () => {
      const response = await registerDigitsModel(t.url, 'weak', { role: 'champion' }, page);
      expect(response.status).toBe(403);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('cross_site_request');
      expect(error.message).toBe(
        "cross-site POST refused (Sec-Fetch-Site: cross-site): a page on another site cannot change Vigil's state; " +
          'to allow http://evil.example, add it to TRUSTED_ORIGINS',
      );
      expect(await champion()).toBe('cnn-v1');
    });

    it.each([
      ['an older browser (Origin only)', { origin: 'http://evil.example' }],
      ['another port of the same host (same-site)', { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' }],
      ['a sandboxed page (Origin: null)', { origin: 'null' }],
    ])('refuses %s', async (_, headers) => {
      const response = await registerDigitsModel(t.url, 'weak', { role: 'champion' }, headers);
      expect(response.status).toBe(403);
      expect(await champion()).toBe('cnn-v1');
    });

    it('lets through the same origin, direct navigation, clients without browser headers, and reads', async () => {
      const hook = (headers: Record<string, string>) =>
        fetch(`${t.url}/v1/webhooks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', eventTypes: ['*'] }),
        });
      expect((await hook({ origin: t.url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
      expect((await hook({ origin: t.url })).status).toBe(201);
      expect((await hook({ 'sec-fetch-site': 'none' })).status).toBe(201);
      expect((await hook({})).status).toBe(201);
      expect((await fetch(`${t.url}/v1/models`, { headers: page })).status).toBe(200);
    });
  });

  describe('keys mode and TRUSTED_ORIGINS', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: { AUTH_MODE: 'keys', API_KEYS: `ops:admin:${ADMIN_KEY}`, TRUSTED_ORIGINS: 'https://ops.example.com' },
      });
    });
    afterAll(() => t.close());

    it('refuses a cross-site request even with a valid key, and allows a trusted origin', async () => {
      const auth = { authorization: `Bearer ${ADMIN_KEY}` };
      const refused = await registerDigitsModel(t.url, 'cnn', {}, { ...auth, ...page });
      expect(refused.status).toBe(403);
      const trusted = { ...auth, origin: 'https://ops.example.com', 'sec-fetch-site': 'cross-site' };
      expect((await registerDigitsModel(t.url, 'cnn', {}, trusted)).status).toBe(201);
    });
  });
});

describe('issue 14.2: open mode listens on loopback unless HOST is set', () => {
  // An address of this machine that is not loopback: where another host would connect.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  const answers = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const probe = request({ host, port, path: '/health/live', timeout: 2000 }, (res) =>
        resolve(res.statusCode === 200),
      );
      probe.on('error', () => resolve(false)).on('timeout', () => probe.destroy());
      probe.end();
    });

  it.each([
    ['unset', false, undefined],
    ['0.0.0.0', true, '0.0.0.0'],
  ])('HOST %s: reachable from another host: %s', async (_, reachable, host) => {
    if (!external) throw new Error('this machine has no non-loopback IPv4 address to test with');
    const database = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-host-'));
    const port = await freePort();
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' };
    const service = spawnService({ ...env, HOST: host });
    try {
      await waitForStatus(`http://127.0.0.1:${port}/health/live`, 200, 60_000, service);
      expect(await answers(external, port)).toBe(reachable);
      const line = `Vigil API listening on http://${host ?? '127.0.0.1'}:${port}`;
      await eventually(
        async () => service.output(),
        (output) => output.includes(line),
      );
    } finally {
      await service.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
