import { Webhook } from 'standardwebhooks';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi, WebhookApi } from '../support/webhook-api';
import { eventually } from '../support/eventually';
import { WebhookReceiver } from '../support/webhook-receiver';

describe('webhook endpoints API', () => {
  let t: TestApp;
  let api: WebhookApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_BACKOFF_MS: '50' } });
    api = webhookApi(t.url);
    receiver = await WebhookReceiver.create();
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('creates an endpoint, shows its generated secret once and never again', async () => {
    const created = await api.create({ url: receiver.url, eventTypes: ['drift.detected', 'model.promoted'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: receiver.url, enabled: true, disabledReason: null });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(() => new Webhook(created.body.secret)).not.toThrow();

    const shown = await api.show(created.body.id);
    expect(shown.status).toBe(200);
    expect(shown.body).not.toHaveProperty('secret');
    expect(JSON.stringify(shown.body)).not.toContain(created.body.secret);
    const listed = await api.call('GET', '/v1/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(listed.body.webhooks.map((w: { id: string }) => w.id)).toContain(created.body.id);
  });

  it('accepts a secret given at creation', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const created = await api.create({ url: receiver.url, eventTypes: ['*'], secret });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe(secret);
  });

  it('updates and deletes an endpoint', async () => {
    const { body } = await api.create({ url: receiver.url, eventTypes: ['drift.detected'] });
    const updated = await api.call('PATCH', `/v1/webhooks/${body.id}`, {
      eventTypes: ['drift.resolved', 'drift.resolved'],
      enabled: false,
      description: 'ops pager',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ eventTypes: ['drift.resolved'], enabled: false, description: 'ops pager' });
    expect(updated.body).not.toHaveProperty('secret');
    expect((await api.call('DELETE', `/v1/webhooks/${body.id}`)).status).toBe(204);
    expect((await api.show(body.id)).status).toBe(404);
    expect((await api.call('DELETE', `/v1/webhooks/${body.id}`)).status).toBe(404);
  });

  it('sends a signed test event that the receiver verifies with standardwebhooks', async () => {
    const { body: endpoint } = await api.create({ url: receiver.url, eventTypes: ['drift.detected'] });
    receiver.secret = endpoint.secret;
    const sent = await api.test(endpoint.id);
    expect(sent.status).toBe(202);
    await receiver.until(() => receiver.ofEvent(sent.body.eventId).length === 1);
    const [request] = receiver.ofEvent(sent.body.eventId);
    expect(request.verificationError).toBeUndefined();
    expect(request.payload).toMatchObject({
      id: sent.body.eventId,
      type: 'webhook.test',
      version: 1,
      data: { endpointId: endpoint.id },
    });
    expect(request.signature).toMatch(/^v1,/);
    const delivery = await eventually(
      () => api.delivery(endpoint.id, sent.body.deliveryId),
      (r) => r.body.status === 'delivered',
    );
    expect(delivery.body).toMatchObject({ attemptCount: 1, lastStatusCode: 200, event: { id: sent.body.eventId } });
    expect(delivery.body.attempts).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 200, outcome: 'success', error: null }),
    ]);
    expect(delivery.body.attempts[0].latencyMs).toEqual(expect.any(Number));
  });

  it('lists the event catalogue with versions and schemas', async () => {
    const { status, body } = await api.call('GET', '/v1/webhooks/event-types');
    expect(status).toBe(200);
    const types = body.eventTypes.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'drift.detected',
        'drift.resolved',
        'evaluation.completed',
        'retraining.requested',
        'experiment.concluded',
        'model.promoted',
        'webhook.test',
      ]),
    );
    expect(body.eventTypes[0]).toMatchObject({ version: 1, schema: { type: 'object' } });
  });

  it.each([
    [{ url: 'not a url', eventTypes: ['drift.detected'] }, /url: is not a valid URL/],
    [{ url: 'ftp://example.com/hook', eventTypes: ['drift.detected'] }, /url: must use http/],
    [{ url: 'https://example.com/hook', eventTypes: ['drift.exploded'] }, /unknown event type 'drift.exploded'/],
    [{ url: 'https://example.com/hook', eventTypes: [] }, /eventTypes: subscribe to at least one/],
    [{ url: 'https://example.com/hook', eventTypes: ['webhook.test'] }, /unknown event type 'webhook.test'/],
    [{ url: 'https://example.com/hook', eventTypes: ['*'], secret: 'hunter2' }, /secret: must be whsec_/],
    [{ url: 'https://example.com/hook', eventTypes: ['*'], colour: 'red' }, /colour/],
    [{ url: 'https://u:p@example.com/hook', eventTypes: ['*'] }, /credentials/],
  ])('refuses %j with a 400 and a message', async (body, message) => {
    const response = await api.create(body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await api.show('nope')).status).toBe(400);
    expect((await api.show('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.test('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('webhook targets when private targets are refused', () => {
  let t: TestApp;
  let api: WebhookApi;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' } });
    api = webhookApi(t.url);
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost:8080/hook',
    'http://[::1]/hook',
    'http://10.1.2.3/hook',
    'http://192.168.0.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://2130706433/hook',
  ])('refuses %s with a 400 naming the reason', async (url) => {
    const response = await api.create({ url, eventTypes: ['drift.detected'] });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'webhook_target_not_allowed' });
    expect(response.body.error.message).toMatch(/loopback or private-network address/);
  });

  it('refuses a private target on update too', async () => {
    const created = await api.create({ url: 'https://93.184.216.34/hook', eventTypes: ['drift.detected'] });
    expect(created.status).toBe(201);
    const updated = await api.call('PATCH', `/v1/webhooks/${created.body.id}`, { url: 'http://127.0.0.1/hook' });
    expect(updated.status).toBe(400);
    expect(updated.body.error.code).toBe('webhook_target_not_allowed');
  });
});
