import { DataSource } from 'typeorm';
import { label, postJson } from '../evaluation/evaluation-traffic';
import { serveUnits } from '../experiments/experiment-traffic';
import { chunk, DigitImage, digitImages, pixels, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

const MINUTE_MS = 60_000;

interface Report {
  state: string;
  alerting: boolean;
  checkedAt: string;
}

interface Detail {
  state: string;
  window: { from: string; to: string };
  requested?: { from: string; to: string };
  signals: Array<{ signal: string; state: string; nCurrent: number }>;
}

describe('issue 14.10: drift events and ranges', () => {
  let t: TestApp;
  const heldback = digitImages('heldback');

  beforeAll(async () => {
    // 100 images make a verdict (and a reference), so one batch of traffic is enough.
    const env = {
      LOG_LEVEL: 'error',
      DRIFT_MIN_SAMPLES: '100',
      DRIFT_MIN_REFERENCE_SAMPLES: '100',
      EVAL_SCHEDULE_ENABLED: 'false',
    };
    t = await startTestApp({ env });
    // weak first: it becomes the champion (drift is watched on it), cnn the challenger.
    expect((await registerDigitsModel(t.url, 'weak')).status).toBe(201);
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
    const form = new FormData();
    for (const image of digitImages('reference'))
      form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    const reference = await fetch(`${t.url}/v1/models/digits/versions/weak-v1/drift/reference`, {
      method: 'POST',
      body: form,
    });
    expect(reference.status).toBe(201);
  });
  afterAll(() => t.close());

  /** UINT8 tensors through OIP: the champion (weak-v1) answers and its histograms count them. */
  async function traffic(images: DigitImage[], transform: (pixel: number) => number = (p) => p) {
    for (const batch of chunk(images, 150)) {
      const data = (await Promise.all(batch.map((i) => pixels(i.bytes)))).flat().map(transform);
      const body = { inputs: [{ name: 'input', shape: [batch.length, 1, 8, 8], datatype: 'UINT8', data }] };
      expect((await postJson(t.url, '/v2/models/digits/infer', body)).status).toBe(200);
    }
  }

  const check = async () =>
    (await postJson(t.url, '/v1/models/digits/versions/weak-v1/drift/check', {})).body as Report;

  /** Moves all counted traffic two days into the past: out of the 24 h window, as if time passed. */
  const letTimePass = () =>
    t.app.get(DataSource).query(`UPDATE histogram_counts SET minute = minute - interval '2 days'`);

  it('answers an on-demand range inside one minute with that whole minute, echoing both windows', async () => {
    // One batch inside a known minute (sent again if the clock crossed into the next one meanwhile).
    let minute: number;
    do {
      minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
      await traffic(heldback.slice(0, 150));
    } while (Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS !== minute);
    const from = new Date(minute + 1).toISOString();
    const to = new Date(minute + MINUTE_MS - 1).toISOString();
    const response = await fetch(`${t.url}/v1/models/digits/drift?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as Detail;
    expect(detail.window).toEqual({
      from: new Date(minute).toISOString(),
      to: new Date(minute + MINUTE_MS).toISOString(),
    });
    expect(detail.requested).toEqual({ from, to });
    const classSignal = detail.signals.find((s) => s.signal === 'class')!;
    expect(classSignal.nCurrent).toBeGreaterThanOrEqual(150);
    expect(detail.state).not.toBe('insufficient_data');
  });

  it('dates drift.resolved from the first drifting check of the episode', async () => {
    await letTimePass();
    await traffic(heldback, (p) => Math.min(255, p + 90));
    const first = await check();
    expect([first.state, first.alerting]).toEqual(['drift', true]);
    expect((await check()).state).toBe('drift');
    await letTimePass();
    expect(await check()).toMatchObject({ state: 'insufficient_data', alerting: true }); // holds the alert
    await traffic(heldback, (p) => Math.min(255, p + 90));
    expect((await check()).state).toBe('drift');
    await letTimePass();
    await traffic(heldback);
    expect(await check()).toMatchObject({ state: 'ok', alerting: false });

    const events: Array<{ body: string }> = await t.app
      .get(DataSource)
      .query(`SELECT body FROM webhook_events WHERE type = 'drift.resolved'`);
    expect(events).toHaveLength(1);
    const { data } = JSON.parse(events[0].body) as { data: { driftStartedAt: string } };
    expect(data.driftStartedAt).toBe(first.checkedAt);
  });

  it('answers the analysis that concludes an experiment with decided_at set', async () => {
    const started = await postJson(t.url, '/v1/models/digits/experiments', {
      challengerVersion: 'cnn-v1',
      trafficShare: 50,
      minSamples: 100,
    });
    expect(started.status).toBe(201);
    // 1,198 labelled units: cnn (0.96) beats weak (0.87) clearly enough for the confidence sequence.
    await label(t.url, await serveUnits(t.url, [...heldback, ...digitImages('reference')], 'unit'));

    const analysed = await postJson(t.url, `/v1/experiments/${started.body.id}/analyse`, {});
    expect(analysed.body).toMatchObject({ status: 'concluded', outcome: 'challenger_better' });
    expect(analysed.body.analysis.decided_at).toEqual(expect.any(String));
    const response = await fetch(`${t.url}/v1/experiments/${started.body.id}?limit=1`);
    const status = (await response.json()) as { decisions: Array<{ decided_at: string }> };
    expect(status.decisions[0].decided_at).toBe(analysed.body.analysis.decided_at);
  });
});
