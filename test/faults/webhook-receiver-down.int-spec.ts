import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi, WebhookApi } from '../support/webhook-api';
import { WebhookReceiver } from '../support/webhook-receiver';

const MAX_ATTEMPTS = 4;
const BACKOFF_MS = 100;

interface Attempt {
  attempt: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
}

describe('a webhook receiver down for the whole retry window', () => {
  let t: TestApp;
  let api: WebhookApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // Inline jobs (no Redis): the retry schedule lives in Postgres either way.
    t = await startTestApp({
      env: {
        WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        WEBHOOK_BACKOFF_MS: String(BACKOFF_MS),
        WEBHOOK_TIMEOUT_MS: '1000',
      },
    });
    api = webhookApi(t.url);
    receiver = await WebhookReceiver.create(); // not listening: every attempt is refused
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('ends failed with every attempt recorded, and a redelivery reaches it once it is back', async () => {
    const created = await api.create({ url: receiver.url, eventTypes: ['drift.detected'] });
    expect(created.status).toBe(201);
    receiver.secret = created.body.secret;
    const endpointId = created.body.id as string;
    const sent = await api.test(endpointId);
    expect(sent.status).toBe(202);
    const { eventId, deliveryId } = sent.body as { eventId: string; deliveryId: string };

    const started = performance.now();
    const failed = await eventually(
      () => api.deliveries(endpointId, '?status=failed'),
      (r) => r.body.deliveries.some((d: { id: string }) => d.id === deliveryId),
    );
    const windowMs = performance.now() - started;
    expect(failed.body.deliveries[0]).toMatchObject({ id: deliveryId, status: 'failed', attemptCount: MAX_ATTEMPTS });

    const detail = await api.delivery(endpointId, deliveryId);
    expect(detail.status).toBe(200);
    const attempts = detail.body.attempts as Attempt[];
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ outcome: 'network_error', statusCode: null });
      expect(attempt.error).toMatch(/ECONNREFUSED/);
    }
    expect(detail.body.event.id).toBe(eventId);
    expect(receiver.received).toHaveLength(0);

    await receiver.start();
    const redelivered = await api.redeliver(endpointId, deliveryId);
    expect(redelivered.status).toBe(202);
    await receiver.until((received) => received.some((r) => r.id === eventId));
    const [request] = receiver.ofEvent(eventId);
    expect(request.verificationError).toBeUndefined();
    expect(request.payload).toMatchObject({ id: eventId, type: 'webhook.test' });

    const delivered = await eventually(
      () => api.delivery(endpointId, deliveryId),
      (r) => r.body.status === 'delivered',
    );
    const outcomes = (delivered.body.attempts as Attempt[]).map((a) => a.outcome);
    expect(outcomes).toEqual([...Array<string>(MAX_ATTEMPTS).fill('network_error'), 'success']);
    console.log(
      `webhook receiver down: ${MAX_ATTEMPTS} attempts refused over ${Math.round(windowMs)} ms ` +
        `(connection refused; backoff ${BACKOFF_MS} ms doubling), delivery failed; redelivered with event id ${eventId}: delivered`,
    );
  });
});
