import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/infra/net/free-port';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { describeWithRedis, redisUrl } from '../support/redis';
import { spawnService, waitForStatus, ServiceProcess } from '../support/service-process';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi } from '../support/webhook-api';
import { WebhookReceiver } from '../support/webhook-receiver';
import { parseExposition, valueOf } from './exposition';
import { itWithPromtool, promtoolCheck } from './promtool';

describeWithRedis('worker process metrics (METRICS_PORT)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: TestApp;
  let worker: ServiceProcess;
  let receiver: WebhookReceiver;
  let metricsUrl: string;
  let text: string; // the worker's exposition after it delivered a webhook

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl!, QUEUE_PREFIX: `vigil-test-${randomBytes(4).toString('hex')}` };
    api = await startTestApp({ env, database }); // migrates; consumes nothing (no JOBS_IN_API)
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    worker = spawnService(
      {
        ...env,
        DATABASE_URL: database.url,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-worker-')),
        HOST: '127.0.0.1',
        METRICS_PORT: String(port),
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', // the receiver is on loopback
      },
      'dist/src/worker.js',
    );
    await waitForStatus(metricsUrl, 200, 30_000, worker);
    receiver = await WebhookReceiver.create();
    await receiver.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.stop();
    await api?.close();
    await database?.drop();
  });

  it("serves the worker's own counters: the webhook it delivered", async () => {
    const hooks = webhookApi(api.url);
    const endpoint = await hooks.create({ url: receiver.url, eventTypes: ['drift.detected'] }); // test events go to any endpoint
    receiver.secret = endpoint.body.secret;
    expect((await hooks.test(endpoint.body.id)).status).toBe(202);
    await receiver.until(() => receiver.received.length === 1);

    // The receiver answers before the worker counts the attempt and completes the job.
    const completed = { queue: 'webhooks', outcome: 'completed' };
    text = await eventually(
      async () => (await fetch(metricsUrl)).text(),
      (body) => valueOf(parseExposition(body), 'vigil_job_attempts_total', completed) === 1,
    );
    const samples = parseExposition(text);
    const success = { event_type: 'webhook.test', outcome: 'success' };
    expect(valueOf(samples, 'vigil_webhook_attempts_total', success)).toBe(1);
    expect(valueOf(samples, 'vigil_process_resident_memory_bytes')).toBeGreaterThan(0);
    // The API process delivered nothing: its counter has no such series.
    const apiSamples = parseExposition(await (await fetch(`${api.url}/metrics`)).text());
    expect(valueOf(apiSamples, 'vigil_webhook_attempts_total', success)).toBeUndefined();

    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
  });

  itWithPromtool('passes `promtool check metrics` on the worker exposition without a complaint', () => {
    expect(text).toContain('vigil_job_attempts_total'); // the first test's scrape, not an empty page
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });
});
