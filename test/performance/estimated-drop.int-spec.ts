import { digitImages, registerDigitsModel } from '../support/digits';
import type { TestApp } from '../support/test-app';
import type { WebhookReceiver } from '../support/webhook-receiver';
import { parseExposition, valueOf } from '../metrics/exposition';
import { json, registerSet, serveScored } from './performance-traffic';
import { startWithReceiver } from '../support/app-with-receiver';

/**
 * Issue 16 over HTTP: a calibrated version, traffic without any label whose confidence is low (the
 * least confident held-back digits), an estimate far below the baseline: exactly one signed
 * performance.estimated_drop, and only once the drift checks say the inputs did not move.
 */
describe('issue 16: estimated accuracy without labels, and its early alert', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const alerts = () => receiver.received.filter((r) => r.payload?.type === 'performance.estimated_drop');
  const check = () => json(t.url, 'POST', '/v1/models/digits/versions/cnn-v1/performance/check');

  beforeAll(async () => {
    // A 150-image reference: below the default minimum reference (5x the window minimum).
    const drift = { DRIFT_MIN_SAMPLES: '100', DRIFT_MIN_REFERENCE_SAMPLES: '100' };
    ({ t, receiver } = await startWithReceiver({ EVAL_MIN_LABELS: '200', ...drift }, ['performance.estimated_drop']));
    // The same network under another name tells the test which held-back digits it is least sure of.
    expect((await registerDigitsModel(t.url, 'cnn', { name: 'probe' })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('calibrates on the labelled reference split: ECE before and after, stored with the version', async () => {
    const set = await registerSet(t.url, 'digits', 'calibration', digitImages('reference'));
    expect(set.status).toBe(201);
    const fitted = await json(t.url, 'POST', '/v1/models/digits/versions/cnn-v1/calibration', { set: 'calibration' });
    expect(fitted.status).toBe(201);
    expect(fitted.body).toMatchObject({ version: 'cnn-v1', source: `set:${set.body.id}`, n: 599, window: null });
    expect(fitted.body.accuracy).toBeGreaterThan(0.94);
    // The CNN is nearly calibrated already (ECE ~0.02); out of fold, isotonic keeps it there.
    expect(fitted.body.eceBefore).toBeLessThan(0.05);
    expect(fitted.body.eceAfter).toBeLessThan(0.05);
    console.log(`calibration: ECE ${fitted.body.eceBefore.toFixed(4)} -> ${fitted.body.eceAfter.toFixed(4)}`);
    const shown = await json(t.url, 'GET', '/v1/models/digits/versions/cnn-v1/calibration');
    expect(shown.body.id).toBe(fitted.body.id);
    const bad = await json(t.url, 'POST', '/v1/models/digits/versions/cnn-v1/calibration', { set: 'x', from: 'y' });
    expect(bad.status).toBe(400);
  });

  it('low-confidence traffic without labels: one signed estimated_drop, after drift says the inputs held', async () => {
    const probe = await serveScored(t.url, 'probe', digitImages('heldback'));
    const hardest = [...probe]
      .sort((a, b) => a.score - b.score)
      .slice(0, 150)
      .map((p) => p.image);
    // The reference is the traffic itself: its inputs cannot drift, so only the confidence tells the drop.
    const form = new FormData();
    // Four copies: a reference needs at least 500 images.
    for (const image of [...hardest, ...hardest, ...hardest, ...hardest]) {
      form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    }
    const reference = await fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/reference`, {
      method: 'POST',
      body: form,
    });
    expect([reference.status, reference.status === 201 ? '' : await reference.text()]).toEqual([201, '']);
    const served = [...(await serveScored(t.url, 'digits', hardest)), ...(await serveScored(t.url, 'digits', hardest))];

    const unassessed = await check();
    expect(unassessed.status).toBe(200);
    expect(unassessed.body).toMatchObject({ n: 300, reliable: false, reason: 'drift_not_assessed', alerted: false });

    expect((await json(t.url, 'POST', '/v1/models/digits/versions/cnn-v1/drift/check')).body.state).toBe('ok');
    const estimated = await check();
    expect(estimated.body).toMatchObject({ n: 300, reliable: true, alerted: true });
    expect(estimated.body.upper).toBeLessThan(estimated.body.baselineAccuracy - 0.005);
    expect((await check()).body).toMatchObject({ reliable: true, alerted: false }); // once per ISO week

    await receiver.until(() => alerts().length === 1);
    const [alert] = alerts();
    expect(alert.verificationError).toBeUndefined();
    expect(alert.payload!.data).toMatchObject({
      model: { name: 'digits', version: 'cnn-v1' },
      estimateId: estimated.body.id,
      estimatedAccuracy: estimated.body.accuracy,
      baselineAccuracy: estimated.body.baselineAccuracy,
      baselineSource: 'calibration',
      sampleSize: 300,
      thresholdPp: 0.5,
      reliable: true,
    });

    const report = await json(t.url, 'GET', '/v1/models/digits/performance');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ realized: null, coverage: { predictions: 300, labelled: 0, fraction: 0 } });
    expect(report.body.estimated).toMatchObject({ n: 300, reliable: true, accuracy: estimated.body.accuracy });
    expect(report.body.history).toHaveLength(3);
    const realized = served.filter((s) => s.predicted === s.label).length / served.length;
    const { interval, binningBounds } = report.body.estimated;
    console.log(
      `estimated ${estimated.body.accuracy.toFixed(3)} [${interval.lower.toFixed(3)}, ${interval.upper.toFixed(3)}], ` +
        `binning ${binningBounds.lower.toFixed(3)}..${binningBounds.upper.toFixed(3)}, realised ${realized.toFixed(3)}, ` +
        `baseline ${estimated.body.baselineAccuracy.toFixed(3)}`,
    );
    expect(realized).toBeGreaterThan(interval.lower);
    expect(realized).toBeLessThan(interval.upper);

    const metrics = parseExposition(await (await fetch(`${t.url}/metrics`)).text());
    const cnn = { model: 'digits', version: 'cnn-v1' };
    expect(valueOf(metrics, 'vigil_model_estimated_accuracy', cnn)).toBe(estimated.body.accuracy);
    expect(valueOf(metrics, 'vigil_model_estimated_accuracy_upper', cnn)).toBe(estimated.body.upper);
    expect(valueOf(metrics, 'vigil_model_estimate_reliable', cnn)).toBe(1);
    expect(valueOf(metrics, 'vigil_model_estimate_baseline_accuracy', cnn)).toBe(estimated.body.baselineAccuracy);

    // The labels arrive: the evaluation record carries the estimate of its window beside the realised accuracy.
    const items = served.map((s) => ({ prediction_id: s.predictionId, label: s.label }));
    expect((await json(t.url, 'POST', '/v1/feedback', { items })).body.accepted).toBe(300);
    const window = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    const evaluated = await json(t.url, 'POST', '/v1/models/digits/evaluations', window);
    const record = evaluated.body.evaluations.find((e: { source: string }) => e.source === 'feedback');
    expect(record).toMatchObject({ n: 300, accuracy: realized, estimate: { n: 300, reliable: true } });
    expect(record.estimate.accuracy).toBeCloseTo(estimated.body.accuracy, 12);

    const status = await json(t.url, 'GET', '/v1/drift/status');
    const digits = status.body.models.find((m: { model: string }) => m.model === 'digits');
    expect(digits.estimatedAccuracy).toMatchObject({ reliable: true, n: 300, accuracy: estimated.body.accuracy });
  });
});
