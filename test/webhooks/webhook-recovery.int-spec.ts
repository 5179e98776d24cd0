import { deleteQueueKeys } from '../support/private-redis';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WebhookEvents } from '../../src/webhooks/webhook-events';
import { WebhookSweeper } from '../../src/webhooks/webhook-sweeper';
import { describeWithRedis, redisUrl } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi, WebhookApi } from '../support/webhook-api';
import { eventually } from '../support/eventually';
import { WebhookReceiver } from '../support/webhook-receiver';

const model = { name: 'digits', version: '3', versionId: randomUUID() };
const driftDetected = {
  model,
  signal: 'brightness.c0',
  kl: 0.31,
  threshold: 0.15,
  expectedNullKl: 0.004,
  pValue: 0.0001,
  sampleSize: { reference: 5000, current: 1200 },
  window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' },
};

async function setup(env: Record<string, string>) {
  const t = await startTestApp({ env: { WEBHOOK_TIMEOUT_MS: '2000', ...env } });
  const api = webhookApi(t.url);
  const receiver = await WebhookReceiver.create(); // not started: the receiver is down
  const created = await api.create({ url: receiver.url, eventTypes: ['drift.detected', 'model.promoted'] });
  receiver.secret = created.body.secret;
  return { t, api, receiver, endpointId: created.body.id as string };
}

describeWithRedis('webhook recovery after Redis lost its jobs', () => {
  const prefix = `vigil-test-${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let api: WebhookApi;
  let receiver: WebhookReceiver;
  let endpointId: string;

  beforeAll(async () => {
    // The periodic sweep is far away: this test runs the sweeper by hand.
    ({ t, api, receiver, endpointId } = await setup({
      REDIS_URL: redisUrl!,
      JOBS_IN_API: 'true',
      QUEUE_PREFIX: prefix,
      WEBHOOK_BACKOFF_MS: '1500',
      WEBHOOK_SWEEP_INTERVAL_MS: '3600000',
    }));
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
    await deleteQueueKeys(redisUrl!, prefix);
  });

  it('receiver down, Redis flushed while retries are pending, receiver back: each event delivered with its id', async () => {
    const events = t.app.get(WebhookEvents);
    const emitted = [
      await events.publish('drift.detected', driftDetected),
      await events.publish('drift.detected', { ...driftDetected, signal: 'contrast.c0' }),
      await events.publish('model.promoted', { model, previousChampion: null, reason: 'manual', experimentId: null }),
    ];
    const pendingRetry = await eventually(
      () => api.deliveries(endpointId, '?status=pending'),
      (r) =>
        r.body.deliveries.length === 3 &&
        // attempt 1 recorded (not just claimed): it failed and attempt 2 waits in Redis
        r.body.deliveries.every(
          (d: { attemptCount: number; lastError: string | null }) => d.attemptCount === 1 && d.lastError,
        ),
    );
    expect(pendingRetry.body.deliveries[0].lastError).toMatch(/ECONNREFUSED/);

    expect(await deleteQueueKeys(redisUrl!, prefix)).toBeGreaterThan(0);
    await receiver.start();

    // The retries were in Redis: once they are due, nothing arrives.
    const due = Math.max(
      ...pendingRetry.body.deliveries.map((d: { nextAttemptAt: string }) => Date.parse(d.nextAttemptAt)),
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now()) + 700));
    expect(receiver.received).toHaveLength(0);

    const swept = await t.app.get(WebhookSweeper).sweep();
    expect(swept.requeued).toBe(3);
    await receiver.until((received) => emitted.every((e) => received.some((r) => r.id === e.id)));

    for (const event of emitted) {
      const [request] = receiver.ofEvent(event.id);
      expect(request.verificationError).toBeUndefined();
      expect(request.payload).toMatchObject({ id: event.id, type: event.type, version: 1 });
    }
    const delivered = await eventually(
      () => api.deliveries(endpointId),
      (r) => r.body.deliveries.every((d: { status: string }) => d.status === 'delivered'),
    );
    expect(delivered.body.deliveries.map((d: { attemptCount: number }) => d.attemptCount)).toEqual([2, 2, 2]);
    const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM webhook_events');
    expect(n).toBe(3);
  });
});

describe('webhook recovery without Redis (inline driver)', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let api: WebhookApi;
  let endpointId: string;

  beforeAll(async () => {
    ({ t, api, receiver, endpointId } = await setup({ WEBHOOK_BACKOFF_MS: '100', WEBHOOK_SWEEP_INTERVAL_MS: '1000' }));
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('the periodic sweep delivers an event whose emitter never dispatched it', async () => {
    const events = t.app.get(WebhookEvents);
    // Committed to the outbox, but the process "died" before dispatch(): no job exists.
    const event = await t.app
      .get(DataSource)
      .transaction((manager) => events.emit(manager, 'drift.detected', driftDetected));
    await receiver.until((received) => received.some((r) => r.id === event.id), 10_000);
    expect(receiver.ofEvent(event.id)[0].payload).toMatchObject({ type: 'drift.detected', data: driftDetected });
    await eventually(
      () => api.deliveries(endpointId),
      (r) => r.body.deliveries[0]?.status === 'delivered',
    );
  });
});
