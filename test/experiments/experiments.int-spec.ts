import { digitImages, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi } from '../support/webhook-api';
import { eventually } from '../support/eventually';
import { WebhookReceiver } from '../support/webhook-receiver';
import { label, postJson } from '../evaluation/evaluation-traffic';
import { serveUnits } from './experiment-traffic';

describe('A/B tests end to end: split routing, labels, always-valid decision, promotion', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let experimentId = '';
  // All 1,797 digits: the helper's type names two splits, labels.csv holds the third ('train') too.
  const train = digitImages('train' as 'heldback');
  const all = [...digitImages('heldback'), ...digitImages('reference'), ...train];

  beforeAll(async () => {
    receiver = await WebhookReceiver.create();
    await receiver.start();
    t = await startTestApp({
      env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_BACKOFF_MS: '50', EVAL_SCHEDULE_ENABLED: 'false' },
    });
    // weak first: it becomes the champion, cnn the challenger.
    expect((await registerDigitsModel(t.url, 'weak')).status).toBe(201);
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
    const endpoint = await webhookApi(t.url).create({
      url: receiver.url,
      eventTypes: ['experiment.concluded', 'model.promoted'],
    });
    receiver.secret = endpoint.body.secret;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const start = (body: Record<string, unknown>) => postJson(t.url, '/v1/models/digits/experiments', body);
  const ofType = (type: string) => receiver.received.filter((r) => r.payload?.type === type);

  it('rejects a share outside (0, 100) and an unknown version with a message', async () => {
    for (const trafficShare of [0, 100, -5, 150]) {
      const response = await start({ challengerVersion: 'cnn-v1', trafficShare });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/trafficShare/);
    }
    const unknown = await start({ challengerVersion: 'nope', trafficShare: 50 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/nope/);
  });

  it('starts one experiment per model; a second is a 409', async () => {
    const response = await start({ challengerVersion: 'cnn-v1', trafficShare: 50, minSamples: 100 });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'running', mode: 'split', traffic_share: 50 });
    experimentId = response.body.id;
    const second = await start({ challengerVersion: 'cnn-v1', trafficShare: 20 });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/already has a running experiment/);
  });

  it('serves all 1,797 digits', () => expect(all).toHaveLength(1797));

  it('routes each unit stickily and promotes the better model once labels say so', async () => {
    const served = await serveUnits(t.url, all, 'split');
    const cnnShare = served.filter((s) => s.version === 'cnn-v1').length / served.length;
    expect(cnnShare).toBeGreaterThan(0.45);
    expect(cnnShare).toBeLessThan(0.55);
    const again = await serveUnits(t.url, all.slice(0, 50), 'split');
    expect(again.map((s) => s.version)).toEqual(served.slice(0, 50).map((s) => s.version));
    await label(t.url, served);

    const analysed = await postJson(t.url, `/v1/experiments/${experimentId}/analyse`, {});
    expect(analysed.status).toBe(200);
    expect(analysed.body).toMatchObject({ status: 'concluded', outcome: 'challenger_better' });
    expect(analysed.body.analysis.interval.lower).toBeGreaterThan(0);
    expect(analysed.body.analysis.checks.srm.mismatch).toBe(false);
    expect(analysed.body.analysis.checks.errorRate).toMatchObject({ challengerErrors: 0, ok: true });
    expect(analysed.body.analysis.checks.heldBy).toEqual([]);

    const after = await serveUnits(t.url, all.slice(0, 20), 'after');
    expect(new Set(after.map((s) => s.version))).toEqual(new Set(['cnn-v1']));
    await receiver.until(() => ofType('model.promoted').length === 1 && ofType('experiment.concluded').length === 1);
    const [promoted] = ofType('model.promoted');
    expect(promoted.verificationError).toBeUndefined();
    expect(promoted.payload!.data).toMatchObject({
      model: { name: 'digits', version: 'cnn-v1' },
      previousChampion: { name: 'digits', version: 'weak-v1' },
      reason: 'experiment',
      experimentId,
    });
    const status = (await fetch(`${t.url}/v1/experiments/${experimentId}`).then((r) => r.json())) as {
      decisions: unknown[];
    };
    expect(status.decisions[0]).toMatchObject({ verdict: 'challenger_better', method: 'msprt-normal-mixture' });
  });

  it('shadow mode: the champion answers, the challenger is paired by input, McNemar is reported', async () => {
    const response = await start({
      challengerVersion: 'weak-v1',
      trafficShare: 99.99,
      mode: 'shadow',
      minSamples: 100,
    });
    expect(response.status).toBe(201);
    const heldback = digitImages('heldback');
    const served = await serveUnits(t.url, heldback, 'shadow');
    expect(new Set(served.map((s) => s.version))).toEqual(new Set(['cnn-v1']));
    await label(t.url, served);
    const analysis = await eventually(
      () => postJson(t.url, `/v1/experiments/${response.body.id}/analyse`, {}),
      (r) => r.body.status !== 'running',
    );
    expect(analysis.body).toMatchObject({ status: 'concluded', outcome: 'champion_holds' });
    expect(analysis.body.analysis.checks.mcnemar.championOnly).toBeGreaterThan(
      analysis.body.analysis.checks.mcnemar.challengerOnly,
    );
    // champion_holds: cnn-v1 is still the one champion, the challenger was not promoted.
    const { versions } = (await fetch(`${t.url}/v1/models/digits`).then((r) => r.json())) as {
      versions: Array<{ version: string; role: string }>;
    };
    expect(versions.filter((v) => v.role === 'champion').map((v) => v.version)).toEqual(['cnn-v1']);
    expect(versions.find((v) => v.version === 'weak-v1')?.role).not.toBe('champion');
  });
});
