import { invalid } from '../../src/common/domain-error';
import { ArmErrorRecorder } from '../../src/experiments/arm-error-recorder';
import { ExperimentRepository } from '../../src/experiments/experiment.repository';
import { digitImages, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { label, postJson } from '../evaluation/evaluation-traffic';
import { serveUnits } from './experiment-traffic';

const startExperiment = async (t: TestApp) => {
  // weak first: it becomes the champion, cnn the challenger.
  expect((await registerDigitsModel(t.url, 'weak')).status).toBe(201);
  expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
  const response = await postJson(t.url, '/v1/models/digits/experiments', {
    challengerVersion: 'cnn-v1',
    trafficShare: 50,
    minSamples: 100,
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
};

describe('A/B error-rate guardrail: a challenger that fails too often is not promoted', () => {
  let t: TestApp;
  let experimentId = '';
  const all = [...digitImages('heldback'), ...digitImages('reference'), ...digitImages('train' as 'heldback')];

  beforeAll(async () => {
    t = await startTestApp({ env: { EVAL_SCHEDULE_ENABLED: 'false' } });
    experimentId = await startExperiment(t);
  });
  afterAll(() => t.close());

  it('holds the promotion the labels would give, naming the error-rate guard in the stored decision', async () => {
    const served = await serveUnits(t.url, all, 'guard');
    await label(t.url, served);
    const treatment = served.filter((s) => s.version === 'cnn-v1').length;

    // The serving path's recorder: 50 failures on the treatment arm (> 1 point over the champion's 0).
    const recorder = t.app.get(ArmErrorRecorder);
    for (let i = 0; i < 50; i++) await recorder.recordFailure(experimentId, 'treatment', new Error('session failed'));
    await recorder.recordFailure(experimentId, 'treatment', invalid('bad_input', 'a client error')); // not counted

    const analysed = await postJson(t.url, `/v1/experiments/${experimentId}/analyse`, {});
    expect(analysed.status).toBe(200);
    expect(analysed.body).toMatchObject({ status: 'running', outcome: null });
    expect(analysed.body.analysis.interval.lower).toBeGreaterThan(0); // the labels alone would promote
    expect(analysed.body.analysis.checks.errorRate).toMatchObject({
      championErrors: 0,
      challengerErrors: 50,
      challengerRequests: treatment + 50,
      challengerRate: 50 / (treatment + 50),
      maxIncrease: 0.01,
      ok: false,
    });

    const status = (await fetch(`${t.url}/v1/experiments/${experimentId}`).then((r) => r.json())) as {
      status: string;
      decisions: Array<{ verdict: string; checks: Record<string, unknown> }>;
    };
    expect(status.status).toBe('running');
    expect(status.decisions[0].verdict).toBe('held_guardrail');
    expect(status.decisions[0].checks.heldBy).toEqual(['error_rate']);
    expect(status.decisions[0].checks.errorRate).toMatchObject({ challengerErrors: 50, ok: false });
    // Still running: the champion keeps answering its share.
    const after = await serveUnits(t.url, all.slice(0, 40), 'after');
    expect(new Set(after.map((s) => s.version))).toEqual(new Set(['weak-v1', 'cnn-v1']));
  });
});

describe('A/B error counting on the serving path (real batcher, queue of 1)', () => {
  let t: TestApp;
  let experimentId = '';

  beforeAll(async () => {
    t = await startTestApp({
      env: { EVAL_SCHEDULE_ENABLED: 'false', BATCH_MAX_QUEUE: '1', BATCH_MAX_DELAY_MS: '200' },
    });
    experimentId = await startExperiment(t);
  });
  afterAll(() => t.close());

  it('counts queue-full 503s against the arm that served the request', async () => {
    const form = new FormData();
    for (const image of digitImages('heldback').slice(0, 8))
      form.append('images', new Blob([new Uint8Array(image.bytes)], { type: 'image/png' }), image.file);
    const response = await fetch(`${t.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { 'x-unit-id': 'queue-full-unit' },
      body: form,
    });
    expect(response.status).toBe(503);
    const errors = await t.app.get(ExperimentRepository).armErrors(experimentId);
    expect(errors).toHaveLength(1);
    expect(['control', 'treatment']).toContain(errors[0].arm);
    expect(errors[0].errors).toBeGreaterThanOrEqual(1);
  });
});
