import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../src/infra/net/free-port';
import { eventually } from '../support/eventually';
import { describeWithRedis } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';

/** Starts a private redis-server so the shared one stays up. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const output: string[] = [];
  redis.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  while (!output.join('').includes('Ready to accept connections')) {
    await Promise.race([
      once(redis.stdout!, 'data'),
      once(redis, 'exit').then(() => Promise.reject(new Error(output.join('')))),
    ]);
  }
  return redis;
}

async function readiness(
  url: string,
): Promise<{ status: number; body: { error?: Record<string, { message: string }> } }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { error?: Record<string, { message: string }> } };
}

describeWithRedis('readiness through a Redis outage', () => {
  let t: TestApp;
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await t.close();
    redis.kill('SIGKILL');
  });

  it('says 503 naming Redis while it is down, keeps answering, and recovers without a restart', async () => {
    expect((await readiness(t.url)).status).toBe(200);

    redis.kill('SIGKILL');
    await once(redis, 'exit');
    const down = await readiness(t.url);
    expect(down.status).toBe(503);
    expect(Object.keys(down.body.error ?? {})).toEqual(['redis']);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);

    redis = await startRedis(port);
    await eventually(
      () => readiness(t.url),
      (r) => r.status === 200,
      15_000,
    );
  });
});
