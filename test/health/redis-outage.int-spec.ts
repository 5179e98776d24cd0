import { eventually } from '../support/eventually';
import { PrivateRedis } from '../support/private-redis';
import { describeWithRedis } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';

async function readiness(
  url: string,
): Promise<{ status: number; body: { error?: Record<string, { message: string }> } }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { error?: Record<string, { message: string }> } };
}

describeWithRedis('readiness through a Redis outage', () => {
  let t: TestApp;
  let redis: PrivateRedis; // the shared Redis stays up

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await t.close();
    await redis.kill();
  });

  it('says 503 naming Redis while it is down, keeps answering, and recovers without a restart', async () => {
    expect((await readiness(t.url)).status).toBe(200);

    await redis.kill();
    const down = await readiness(t.url);
    expect(down.status).toBe(503);
    expect(Object.keys(down.body.error ?? {})).toEqual(['redis']);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);

    await redis.resume();
    await eventually(
      () => readiness(t.url),
      (r) => r.status === 200,
      15_000,
    );
  });
});
