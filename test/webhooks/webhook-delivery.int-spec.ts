import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../src/infra/queue/job-queue';
import { deliveryJobId, webhookDeliveryJob } from '../../src/webhooks/webhook-delivery.job';
import { WebhookEvents } from '../../src/webhooks/webhook-events';
import { WebhookSweeper } from '../../src/webhooks/webhook-sweeper';
import { describeWithRedis, redisUrl } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi, WebhookApi } from '../support/webhook-api';
import { eventually } from '../support/eventually';
import { WebhookReceiver } from '../support/webhook-receiver';

const model = { name: 'digits', version: '1', versionId: randomUUID() };
const promoted = { model, previousChampion: null, reason: 'manual' as const, experimentId: null };

function deliverySuite(driver: 'inline' | 'bullmq', env: () => Record<string, string>) {
  let t: TestApp;
  let api: WebhookApi;
  let receiver: WebhookReceiver;
  let endpointId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_BACKOFF_MS: '100', WEBHOOK_TIMEOUT_MS: '2000', ...env() } });
    expect(t.app.get(JobQueue).driver).toBe(driver);
    api = webhookApi(t.url);
    receiver = await WebhookReceiver.create();
    await receiver.start();
    const created = await api.create({ url: receiver.url, eventTypes: ['model.promoted', 'drift.detected'] });
    endpointId = created.body.id;
    receiver.secret = created.body.secret;
  });
  afterEach(() => receiver.respondWith(() => 200));
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  const events = () => t.app.get(WebhookEvents);
  const dataSource = () => t.app.get(DataSource);
  const deliveryOf = async (eventId: string) => {
    const { body } = await api.deliveries(endpointId, '?limit=200');
    return body.deliveries.find((d: { eventId: string }) => d.eventId === eventId);
  };
  const settled = (eventId: string) =>
    eventually(
      () => deliveryOf(eventId),
      (d) => d?.status !== 'pending',
    );

  it('retries a receiver that answers 500 three times, then delivers on attempt 4', async () => {
    let calls = 0;
    receiver.respondWith(() => (++calls <= 3 ? 500 : 200));
    const event = await events().publish('model.promoted', promoted);
    const delivery = await settled(event.id);
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 4, lastStatusCode: 200 });

    const detail = await api.delivery(endpointId, delivery.id);
    expect(detail.body.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(detail.body.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(detail.body.attempts[0]).toMatchObject({ outcome: 'http_error', error: 'HTTP 500' });
    for (const attempt of detail.body.attempts) {
      expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(attempt.startedAt)).not.toBeNaN();
    }
    const requests = receiver.ofEvent(event.id);
    expect(requests).toHaveLength(4);
    expect(requests.every((r) => r.payload?.id === event.id && !r.verificationError)).toBe(true);
    // Backoff doubles from 100 ms: attempts at least 100, 200, 400 ms apart.
    const started = detail.body.attempts.map((a: { startedAt: string }) => Date.parse(a.startedAt));
    expect(started[3] - started[0]).toBeGreaterThanOrEqual(700 - 50);
  });

  it('writes the event in the caller transaction: a rollback sends nothing', async () => {
    const before = await countEvents(dataSource());
    await expect(
      dataSource().transaction(async (manager) => {
        await events().emit(manager, 'model.promoted', promoted);
        throw new Error('the fact failed');
      }),
    ).rejects.toThrow('the fact failed');
    expect(await countEvents(dataSource())).toBe(before);
  });

  it('delivers only to subscribed, enabled endpoints', async () => {
    const other = await api.create({ url: receiver.url, eventTypes: ['drift.resolved'] });
    const event = await events().publish('model.promoted', promoted);
    expect(event.deliveryIds).toHaveLength(1);
    await settled(event.id);
    await api.call('DELETE', `/v1/webhooks/${other.body.id}`);
  });

  it('a delivery job executed twice sends one event id once', async () => {
    const event = await dataSource().transaction((manager) => events().emit(manager, 'model.promoted', promoted));
    const [deliveryId] = event.deliveryIds;
    // No dispatch: two separate jobs for the same first attempt, as a duplicated job would be.
    const queue = t.app.get(JobQueue);
    await queue.enqueue(webhookDeliveryJob, { deliveryId, attempt: 1 });
    await queue.enqueue(webhookDeliveryJob, { deliveryId, attempt: 1 });
    await settled(event.id);
    await eventually(
      () => queue.depth(),
      (depth) => (depth.webhooks ?? 0) === 0,
    );
    expect(receiver.ofEvent(event.id)).toHaveLength(1);
    const rows = await dataSource().query('SELECT id FROM webhook_events WHERE id = $1', [event.id]);
    expect(rows).toHaveLength(1);
    expect((await api.delivery(endpointId, deliveryId)).body.attempts).toHaveLength(1);
  });

  it('the sweeper delivers an attempt whose job id already ended without sending', async () => {
    const event = await dataSource().transaction((manager) => events().emit(manager, 'model.promoted', promoted));
    const [deliveryId] = event.deliveryIds;
    // A job that took the attempt's id and ended without sending (BullMQ keeps finished ids for days).
    const queue = t.app.get(JobQueue);
    await queue.enqueue(webhookDeliveryJob, { deliveryId, attempt: 0 }, { jobId: deliveryJobId(deliveryId, 1) });
    await eventually(
      () => queue.depth(),
      (depth) => (depth.webhooks ?? 0) === 0,
    );
    expect((await t.app.get(WebhookSweeper).sweep()).requeued).toBeGreaterThanOrEqual(1);
    expect(await settled(event.id)).toMatchObject({ status: 'delivered', attemptCount: 1 });
    expect(receiver.ofEvent(event.id)).toHaveLength(1);
  });

  it('redelivers on request with the same event id and body', async () => {
    const event = await events().publish('model.promoted', promoted);
    const delivery = await settled(event.id);
    const again = await api.redeliver(endpointId, delivery.id);
    expect(again.status).toBe(202);
    await receiver.until(() => receiver.ofEvent(event.id).length === 2);
    const [first, second] = receiver.ofEvent(event.id);
    expect(second.body).toBe(first.body);
    expect(second.payload?.id).toBe(event.id);
    const detail = await eventually(
      () => api.delivery(endpointId, delivery.id),
      (r) => r.body.status === 'delivered' && r.body.attemptCount === 2,
    );
    expect(detail.body.attempts).toHaveLength(2);
  });

  it('refuses to redeliver a pending delivery', async () => {
    receiver.respondWith(() => 503);
    const event = await events().publish('model.promoted', promoted);
    const delivery = await eventually(
      () => deliveryOf(event.id),
      (d) => d?.attemptCount >= 1,
    );
    const response = await api.redeliver(endpointId, delivery.id);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('webhook_delivery_pending');
    receiver.respondWith(() => 200);
    await settled(event.id);
  });

  it('disables the endpoint when the receiver answers 410 Gone', async () => {
    const gone = await WebhookReceiver.create();
    await gone.start();
    const created = await api.create({ url: gone.url, eventTypes: ['drift.detected'] });
    gone.secret = created.body.secret;
    gone.respondWith(() => 410);
    const event = await api.test(created.body.id);
    const delivery = await eventually(
      () => api.delivery(created.body.id, event.body.deliveryId),
      (r) => r.body.status !== 'pending',
    );
    expect(delivery.body).toMatchObject({ status: 'failed', attemptCount: 1, lastStatusCode: 410 });
    const endpoint = await api.show(created.body.id);
    expect(endpoint.body).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    expect((await api.test(created.body.id)).status).toBe(409);
    await gone.stop();
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS and records why', async () => {
    const failing = await WebhookReceiver.create();
    await failing.start();
    failing.respondWith(() => 500);
    const limited = await startTestApp({
      env: {
        ...env(),
        WEBHOOK_BACKOFF_MS: '20',
        WEBHOOK_MAX_ATTEMPTS: '3',
        QUEUE_PREFIX: `vigil-t-${randomBytes(4).toString('hex')}`,
      },
    });
    try {
      const limitedApi = webhookApi(limited.url);
      const created = await limitedApi.create({ url: failing.url, eventTypes: ['*'] });
      failing.secret = created.body.secret;
      const sent = await limitedApi.test(created.body.id);
      const delivery = await eventually(
        () => limitedApi.delivery(created.body.id, sent.body.deliveryId),
        (r) => r.body.status !== 'pending',
      );
      expect(delivery.body).toMatchObject({ status: 'failed', attemptCount: 3, lastError: 'HTTP 500' });
      expect(delivery.body.attempts).toHaveLength(3);
      expect(failing.received.every((r) => !r.verificationError)).toBe(true);
    } finally {
      await limited.close();
      await failing.stop();
    }
  });
}

async function countEvents(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query('SELECT count(*)::int AS n FROM webhook_events');
  return row.n;
}

describe('webhook delivery, inline driver (no REDIS_URL)', () => {
  deliverySuite('inline', () => ({}));
});

describeWithRedis('webhook delivery, BullMQ driver', () => {
  deliverySuite('bullmq', () => ({
    REDIS_URL: redisUrl!,
    JOBS_IN_API: 'true',
    QUEUE_PREFIX: `vigil-test-${randomBytes(4).toString('hex')}`,
  }));
});
