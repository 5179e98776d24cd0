import { DataSource } from 'typeorm';
import { chunk, DigitImage, digitImages, pixels, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi } from '../support/webhook-api';
import { eventually } from '../support/eventually';
import { WebhookReceiver } from '../support/webhook-receiver';

interface Report {
  state: string;
  alerting: boolean;
  signals: Array<{
    signal: string;
    state: string;
    kl: number;
    threshold: number;
    expectedNullKl: number;
    pValue: number;
    nCurrent: number;
  }>;
}

describe('drift end to end: reference, normal traffic, shifted traffic, back to normal', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const heldback = digitImages('heldback');
  const reference = digitImages('reference');

  beforeAll(async () => {
    receiver = await WebhookReceiver.create();
    await receiver.start();
    // The fixtures' reference split has 599 images; the default minimum is 1,610 (README "Drift").
    const env = { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_BACKOFF_MS: '50', DRIFT_MIN_REFERENCE_SAMPLES: '599' };
    t = await startTestApp({ env });
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
    const endpoint = await webhookApi(t.url).create({
      url: receiver.url,
      eventTypes: ['drift.detected', 'drift.resolved'],
    });
    expect(endpoint.status).toBe(201);
    receiver.secret = endpoint.body.secret;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const post = (path: string, body?: unknown) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  const check = async (): Promise<Report> =>
    (await (await post('/v1/models/digits/versions/cnn-v1/drift/check')).json()) as Report;
  const drifted = () => receiver.received.filter((r) => r.payload?.type === 'drift.detected');
  const resolved = () => receiver.received.filter((r) => r.payload?.type === 'drift.resolved');

  /** Sends images as UINT8 tensors, optionally transformed (the same pixels the image path makes). */
  async function traffic(images: DigitImage[], transform: (pixel: number) => number = (p) => p) {
    for (const batch of chunk(images, 150)) {
      const data = (await Promise.all(batch.map((i) => pixels(i.bytes)))).flat().map(transform);
      const body = { inputs: [{ name: 'input', shape: [batch.length, 1, 8, 8], datatype: 'UINT8', data }] };
      expect((await post('/v2/models/digits/infer', body)).status).toBe(200);
    }
  }

  /** Moves all counted traffic two days into the past: out of the 24 h window, as if time passed. */
  async function letTimePass() {
    await t.app.get(DataSource).query(`UPDATE histogram_counts SET minute = minute - interval '2 days'`);
  }

  it('sets the reference from the digits reference split, fixing the bin edges', async () => {
    const form = new FormData();
    for (const image of reference) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    const response = await fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/reference`, {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ source: 'images', sampleCount: reference.length, edgesVersion: 2 });
  });

  it('calls held-back traffic ok', async () => {
    await traffic(heldback);
    const report = await check();
    expect(report.state).toBe('ok');
    expect(report.signals.find((s) => s.signal === 'class')).toMatchObject({ state: 'ok', nCurrent: heldback.length });
    for (const s of report.signals) {
      expect(s.kl).toBeLessThan(s.threshold);
      expect(s.expectedNullKl).toBeGreaterThan(0);
    }
  });

  it('calls brightened traffic drift and sends exactly one signed drift.detected', async () => {
    await letTimePass();
    await traffic(heldback, (p) => Math.min(255, p + 90));
    const report = await check();
    expect(report.state).toBe('drift');
    expect(report.alerting).toBe(true);
    expect(report.signals.find((s) => s.signal === 'brightness:c0')?.state).toBe('drift');
    await eventually(
      async () => drifted().length,
      (n) => n >= 1,
    );
    expect((await check()).state).toBe('drift');
    const [event] = drifted();
    expect(event.payload).toMatchObject({
      type: 'drift.detected',
      data: { model: { name: 'digits', version: 'cnn-v1' }, threshold: 0.15 },
    });
    expect(event.verificationError).toBeUndefined();
    expect((event.payload!.data as { kl: number }).kl).toBeGreaterThan(0.15);
  });

  it('resolves once traffic is normal again, with one drift.resolved', async () => {
    await letTimePass();
    await traffic(heldback);
    const report = await check();
    expect(report.state).toBe('ok');
    expect(report.alerting).toBe(false);
    await eventually(
      async () => resolved().length,
      (n) => n >= 1,
    );
    expect((await check()).state).toBe('ok');
    // The outbox is the record of what was sent: once every drift event's delivery is final,
    // nothing more can arrive. One event of each type, each received once.
    const stored = await eventually(
      () =>
        t.app.get(DataSource).query(
          `SELECT e.id, e.type, d.status FROM webhook_events e JOIN webhook_deliveries d ON d.event_id = e.id
              WHERE e.type LIKE 'drift.%' ORDER BY e.created_at`,
        ) as Promise<Array<{ id: string; type: string; status: string }>>,
      (rows) => rows.every((r) => r.status === 'delivered'),
    );
    expect(stored.map((r) => r.type)).toEqual(['drift.detected', 'drift.resolved']);
    expect(drifted().map((r) => r.payload?.id)).toEqual([stored[0].id]);
    expect(resolved().map((r) => r.payload?.id)).toEqual([stored[1].id]);
    expect(resolved()[0].verificationError).toBeUndefined();
  });

  it('serves a compact, cacheable status and the history', async () => {
    const first = await fetch(`${t.url}/v1/drift/status`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const body = (await first.json()) as {
      models: Array<{ model: string; state: string; signals: Record<string, string> }>;
    };
    expect(body.models).toEqual([expect.objectContaining({ model: 'digits', state: 'ok' })]);
    expect((await fetch(`${t.url}/v1/drift/status`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const history = (await (await fetch(`${t.url}/v1/models/digits/drift/history`)).json()) as { reports: Report[] };
    expect(history.reports.map((r) => r.state)).toEqual(['ok', 'ok', 'drift', 'drift', 'ok']);
    const detail = (await (await fetch(`${t.url}/v1/models/digits/drift`)).json()) as {
      signals: Array<{ current: { edges: number[]; counts: number[] }; reference: { counts: number[] } }>;
    };
    expect(detail.signals[0].current.counts.length).toBe(detail.signals[0].reference.counts.length);
  });

  it.each([
    [
      'a reference with too few samples',
      () => {
        const form = new FormData();
        for (const image of reference.slice(0, 10))
          form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
        return fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/reference`, { method: 'POST', body: form });
      },
      400,
      /at least \d+ samples; got 10/,
    ],
    ['an unknown model', () => fetch(`${t.url}/v1/models/nope/drift`), 404, /no model named nope/],
    [
      'a reversed range',
      () => fetch(`${t.url}/v1/models/digits/drift?from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z`),
      400,
      /must be before/,
    ],
    ['a malformed range', () => fetch(`${t.url}/v1/models/digits/drift/history?from=yesterday`), 400, /ISO 8601/],
    [
      'a window reference with a reversed range',
      () =>
        post('/v1/models/digits/versions/cnn-v1/drift/reference', {
          from: '2026-11-27T10:00:00Z',
          to: '2026-11-26T10:00:00Z',
        }),
      400,
      /must be before/,
    ],
  ])('refuses %s with a 4xx naming it', async (_name, send, status, message) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });
});
