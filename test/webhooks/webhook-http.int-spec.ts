import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { WebhookHttpClient } from '../../src/webhooks/webhook-http.client';

/** The HTTP adapter against real sockets: timeouts, redirects, refused targets. */
describe('WebhookHttpClient', () => {
  let server: Server;
  let base: string;
  const client = (env: Record<string, string> = {}) =>
    new WebhookHttpClient(new AppConfig(loadConfig({ WEBHOOK_TIMEOUT_MS: '300', ...env })));

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000).unref();
      if (req.url === '/redirect') return void res.writeHead(307, { location: 'http://169.254.169.254/' }).end();
      if (req.url === '/big') return void res.end('x'.repeat(100_000));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reports a 2xx as success with its latency', async () => {
    const result = await client().post(`${base}/ok`, '{}', {});
    expect(result).toMatchObject({ statusCode: 204, outcome: 'success', error: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('gives up after WEBHOOK_TIMEOUT_MS', async () => {
    const result = await client().post(`${base}/slow`, '{}', {});
    expect(result).toMatchObject({ statusCode: null, outcome: 'timeout', error: 'no answer within 300 ms' });
    // No latency bound: /slow answers after 2 s, so a client without its timeout would report a
    // success with that answer; the 'timeout' outcome is the claim.
  });

  it('does not follow redirects', async () => {
    const result = await client().post(`${base}/redirect`, '{}', {});
    expect(result).toMatchObject({ statusCode: 307, outcome: 'http_error' });
  });

  it('keeps only the first KiB of the answer', async () => {
    const result = await client().post(`${base}/big`, '{}', {});
    expect(result.responseExcerpt).toHaveLength(1024);
  });

  it('reports a closed port as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await client().post(`http://127.0.0.1:${port}/`, '{}', {});
    expect(result).toMatchObject({ outcome: 'network_error', error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('refuses a private target at delivery time when configured to', async () => {
    const result = await client({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' }).post(`${base}/ok`, '{}', {});
    expect(result).toMatchObject({ outcome: 'refused', statusCode: null });
    expect(result.error).toMatch(/private-network/);
  });

  it('refuses private targets by default only in production', () => {
    expect(client({ NODE_ENV: 'production' }).allowPrivateTargets).toBe(false);
    expect(client({ NODE_ENV: 'development' }).allowPrivateTargets).toBe(true);
    expect(client({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).allowPrivateTargets).toBe(true);
  });
});
