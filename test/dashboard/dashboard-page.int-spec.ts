import { readFileSync } from 'node:fs';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually } from '../support/eventually';
import { webhookApi } from '../support/webhook-api';
import { WebhookReceiver } from '../support/webhook-receiver';

interface LoggedEvent {
  id: string;
  type: string;
  createdAt: string;
  summary: string;
  deliveries: Array<{ endpointId: string; status: string; attemptCount: number; lastStatusCode: number | null }>;
}

describe('dashboard page, its assets and the alerts feed', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.create();
    await receiver.start();
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_BACKOFF_MS: '50' } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const events = async (query = '') => {
    const response = await fetch(`${t.url}/v1/webhooks/events${query}`);
    return { status: response.status, body: (await response.json()) as { events: LoggedEvent[] } };
  };

  it('redirects / to /dashboard and serves the page', async () => {
    const root = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/dashboard']);
    const page = await fetch(`${t.url}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('data-testid="drift-chart"');
  });

  it('serves every asset the page references, uPlot from the installed package', async () => {
    const html = await (await fetch(`${t.url}/dashboard`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/dashboard\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['/dashboard/assets/uPlot.iife.min.js', '/dashboard/assets/app.js']));
    for (const asset of assets) {
      const response = await fetch(`${t.url}${asset}`);
      expect([asset, response.status]).toEqual([asset, 200]);
      expect(response.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }
    const uplot = await (await fetch(`${t.url}/dashboard/assets/uPlot.iife.min.js`)).text();
    expect(uplot).toBe(readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'));
  });

  it.each(['nope.js', '..%2Fdashboard.controller.ts', '%2E%2E%2F%2E%2E%2Fpackage.json'])(
    'answers 404 for an asset it does not list: %s',
    async (name) => {
      const response = await fetch(`${t.url}/dashboard/assets/${name}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/no dashboard asset/);
    },
  );

  it.each(['0', '501', 'abc', '1.5', ''])('refuses ?limit=%s with a 400 naming the limit', async (limit) => {
    const response = await events(`?limit=${limit}`);
    expect(response.status).toBe(400);
    expect((response.body as unknown as { error: { message: string } }).error.message).toBe(
      'limit: must be an integer from 1 to 500',
    );
  });

  it('lists recent events newest first with a summary and each delivery state', async () => {
    expect((await events()).body.events).toEqual([]);
    const api = webhookApi(t.url);
    const endpoint = await api.create({ url: receiver.url, eventTypes: ['*'] });
    receiver.secret = endpoint.body.secret;
    const sent: string[] = [];
    for (let i = 0; i < 3; i += 1) sent.push((await api.test(endpoint.body.id)).body.eventId);
    await receiver.until((received) => received.length === 3);

    const listed = await eventually(
      () => events(),
      (r) => r.body.events.length === 3 && r.body.events.every((e) => e.deliveries[0]?.status === 'delivered'),
    );
    expect(listed.body.events.map((e) => e.id)).toEqual([...sent].reverse());
    expect(listed.body.events[0]).toMatchObject({
      type: 'webhook.test',
      summary: `test event for endpoint ${endpoint.body.id}`,
      deliveries: [{ endpointId: endpoint.body.id, status: 'delivered', attemptCount: 1, lastStatusCode: 200 }],
    });
    expect((await events('?limit=2')).body.events.map((e) => e.id)).toEqual([sent[2], sent[1]]);
  });

  it('leaves /v1/webhooks/:id to the endpoints controller', async () => {
    const missing = await fetch(`${t.url}/v1/webhooks/5f0c6a3e-8d55-4b8e-9d43-2b8d4f1c1a11`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${t.url}/v1/webhooks/not-a-uuid`)).status).toBe(400);
  });
});
