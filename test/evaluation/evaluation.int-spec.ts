import { basename } from 'node:path';
import { newcombeDifference, wilsonInterval } from '../../src/evaluation/stats';
import { digitImages, registerDigitsModel } from '../support/digits';
import { startWithReceiver } from '../support/app-with-receiver';
import { TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { correctOf, label, postJson, serve, windowAroundNow } from './evaluation-traffic';

describe('weekly evaluation end to end: feedback labels, baseline, retraining trigger', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const heldback = digitImages('heldback');
  let cnnCorrect = 0;

  beforeAll(async () => {
    const env = { EVAL_BASELINE_POLICY: 'previous', EVAL_MIN_LABELS: '500' };
    const events = ['evaluation.completed', 'retraining.requested', 'model.promoted'];
    ({ t, receiver } = await startWithReceiver(env, events));
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const ofType = (type: string) => receiver.received.filter((r) => r.payload?.type === type);

  it('the strong model over a week of labels: accuracy, Wilson interval, no trigger', async () => {
    const served = await serve(t.url, heldback);
    await label(t.url, served);
    cnnCorrect = correctOf(served);
    const response = await postJson(t.url, '/v1/models/digits/evaluations', windowAroundNow());
    expect(response.status).toBe(200);
    const [evaluation] = response.body.evaluations;
    expect(evaluation).toMatchObject({ source: 'feedback', n: 599, correct: cnnCorrect, baseline: null });
    expect(evaluation.accuracy).toBeCloseTo(cnnCorrect / 599, 12);
    expect(cnnCorrect / 599).toBeGreaterThan(0.94);
    const wilson = wilsonInterval(cnnCorrect, 599);
    expect(evaluation.accuracyInterval.lower).toBeCloseTo(wilson.lower, 12);
    expect(evaluation.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(599);
    await receiver.until(() => ofType('evaluation.completed').length === 1);
    expect(ofType('retraining.requested')).toHaveLength(0);
  });

  it('the weak model as champion: exactly one signed retraining.requested with the right numbers', async () => {
    expect((await registerDigitsModel(t.url, 'weak')).status).toBe(201);
    expect((await postJson(t.url, '/v1/models/digits/versions/weak-v1/promote', {})).status).toBeLessThan(300);
    await receiver.until(() => ofType('model.promoted').length === 1);
    expect(ofType('model.promoted')[0].payload!.data).toMatchObject({
      model: { name: 'digits', version: 'weak-v1' },
      previousChampion: { name: 'digits', version: 'cnn-v1' },
      reason: 'manual',
      experimentId: null,
    });
    const served = await serve(t.url, heldback);
    await label(t.url, served);
    const weakCorrect = correctOf(served);
    const response = await postJson(t.url, '/v1/models/digits/evaluations', windowAroundNow());
    expect(response.body.evaluations[0]).toMatchObject({ n: 599, correct: weakCorrect, retrainingRequested: true });
    await receiver.until(
      () => ofType('retraining.requested').length === 1 && ofType('evaluation.completed').length === 2,
    );
    const [request] = ofType('retraining.requested');
    expect(request.verificationError).toBeUndefined();
    const data = request.payload!.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const dropPp = ((cnnCorrect - weakCorrect) / 599) * 100;
    expect(dropPp).toBeGreaterThan(5);
    const interval = newcombeDifference(cnnCorrect, 599, weakCorrect, 599);
    expect(data).toMatchObject({
      model: { name: 'digits', version: 'weak-v1' },
      evaluationId: response.body.evaluations[0].id,
      thresholdPp: 0.5,
      sampleSize: { current: 599, baseline: 599 },
      source: 'feedback',
    });
    expect(data.accuracy).toBeCloseTo(weakCorrect / 599, 12);
    expect(data.baselineAccuracy).toBeCloseTo(cnnCorrect / 599, 12);
    expect(data.dropPp).toBeCloseTo(dropPp, 9);
    expect(data.dropInterval.lower).toBeCloseTo(interval.lower * 100, 9);
    expect(data.dropInterval.upper).toBeCloseTo(interval.upper * 100, 9);
    expect(data).toHaveProperty('driftState');
    // Issue 18: the rule, its parameters, the statistic and the limit it crossed are in the payload.
    expect(data.rule).toMatchObject({
      name: 'self-starting-cusum',
      parameters: { k: 0.5, h: 6, shewhartZ: 4, maxDropPp: 0.5, minLabels: 500 },
      threshold: 6,
      shewhartLimit: 4,
      changeSinceEvaluationId: response.body.evaluations[0].id,
    });
    expect(data.rule.z).toBeGreaterThan(data.rule.shewhartLimit);
    expect(data.reason).toMatch(/exceeds 0.5 pp/);
  });

  it('the same model and week never trigger twice', async () => {
    const again = await postJson(t.url, '/v1/models/digits/evaluations', windowAroundNow());
    expect(again.body.evaluations[0]).toMatchObject({ retrainingRequested: false });
    await receiver.until(() => ofType('evaluation.completed').length === 3);
    expect(ofType('retraining.requested')).toHaveLength(1);
    const history = (await fetch(`${t.url}/v1/models/digits/evaluations`).then((r) => r.json())) as {
      evaluations: unknown[];
    };
    expect(history.evaluations).toHaveLength(3);
  });

  it('a set with unknown labels and corrupt images keeps the good items and reports the rest', async () => {
    const good = digitImages('reference')
      .slice(0, 20)
      .map((image) => ({ ...image, file: basename(image.file) }));
    const form = new FormData();
    for (const image of good) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    form.append('images', new Blob([good[1].bytes.subarray(0, 60)], { type: 'image/png' }), 'corrupt.png');
    form.append('images', new Blob([good[0].bytes], { type: 'image/png' }), 'odd.png');
    const csv = ['file,label', ...good.map((i) => `${i.file},${i.label}`), 'corrupt.png,3', 'odd.png,eleven'];
    form.append('name', 'reference-20');
    form.append('labels', csv.join('\n'));
    const response = await fetch(`${t.url}/v1/models/digits/evaluation-sets`, { method: 'POST', body: form });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const body = (await response.json()) as any;
    expect([response.status, body.message]).toEqual([201, undefined]);
    expect(body).toMatchObject({ accepted: 20, rejected: 2 });
    const errors = new Map(body.errors.map((e: { file: string; code: string }) => [e.file, e.code]));
    expect([...errors.keys()].sort()).toEqual(['corrupt.png', 'odd.png']);
    expect(errors.get('corrupt.png')).toMatch(/corrupt|unsupported|decode/);
    expect(errors.get('odd.png')).toBe('unknown_label');
    const evaluated = await postJson(t.url, '/v1/models/digits/evaluations', windowAroundNow());
    const set = evaluated.body.evaluations.find((e: { source: string }) => e.source === `set:${body.id}`);
    expect(set).toMatchObject({ n: 20, baseline: null });
  });
});
