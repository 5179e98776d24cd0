import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluationScheduler } from '../../src/evaluation/evaluation.jobs';
import { isoWeek } from '../../src/evaluation/stats';
import { ModelVersionRepository } from '../../src/models/model-version.repository';
import { LateLabelsService } from '../../src/performance/late-labels.service';
import { PerformanceScheduler } from '../../src/performance/performance.jobs';
import { digitImages } from '../support/digits';
import { eventually } from '../support/eventually';
import type { TestApp } from '../support/test-app';
import type { WebhookReceiver } from '../support/webhook-receiver';
import { parseExposition, valueOf } from '../metrics/exposition';
import { json, serveScored, ServedWithScore } from './performance-traffic';
import { startWithReceiver } from '../support/app-with-receiver';

const WEEK_MS = 7 * 86_400_000;

/**
 * Issue 16.5: half of a week's labels arrive before its evaluation, the rest after it. The week is
 * re-evaluated once, as a revision that keeps the first record; the late labels (all saying the
 * model was wrong) are the rule's new observation, which fires the week's retraining request.
 */
describe('issue 16: late labels re-evaluate their week once', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const ofType = (type: string) => receiver.received.filter((r) => r.payload?.type === type);
  const evaluations = async () => (await json(t.url, 'GET', '/v1/models/digits/evaluations')).body.evaluations;

  async function label(served: ServedWithScore[], truth: (s: ServedWithScore) => string) {
    const items = served.map((s) => ({ prediction_id: s.predictionId, label: truth(s) }));
    const response = await json(t.url, 'POST', '/v1/feedback', { items });
    expect(response.body.accepted).toBe(items.length);
  }

  beforeAll(async () => {
    ({ t, receiver } = await startWithReceiver({ EVAL_MIN_LABELS: '100' }, [
      'evaluation.completed',
      'retraining.requested',
    ]));
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('a revision for the late labels, once; the first record kept; the week triggers retraining', async () => {
    const served = await serveScored(t.url, 'digits', digitImages('heldback'));
    const [early, late] = [served.slice(0, 300), served.slice(300)];
    await label(early, (s) => s.label);
    const nextWeek = new Date(Date.now() + WEEK_MS);
    await t.app.get(EvaluationScheduler).enqueueWeekly(nextWeek);
    const [first] = await eventually(evaluations, (e) => e.length === 1);
    expect(first).toMatchObject({ kind: 'weekly', n: 300, revision: 0, revisionOf: null });
    expect(first.rule.decision).toBe('baseline');

    // The rest of the week's labels, late, and every one says the model was wrong.
    await label(late, (s) => String((Number(s.predicted) + 1) % 10));
    await t.app.get(PerformanceScheduler).enqueue(nextWeek);
    const records = await eventually(evaluations, (e) => e.length === 2);
    const revision = records.find((e: { kind: string }) => e.kind === 'revision');
    expect(revision).toMatchObject({ revisionOf: first.id, revision: 1, n: 599, isoWeek: first.isoWeek });
    expect(revision.rule).toMatchObject({ decision: 'fired', observation: { n: 299, correct: 0 } });
    expect(revision.retrainingRequested).toBe(true);
    expect(records.find((e: { id: string }) => e.id === first.id)).toEqual(first);

    const version = (await t.app.get(ModelVersionRepository).find('digits', 'cnn-v1'))!;
    const lateLabels = t.app.get(LateLabelsService);
    expect(await lateLabels.check(version, nextWeek)).toEqual([]);
    expect(await lateLabels.check(version, new Date(nextWeek.getTime() + 3_600_000))).toEqual([]);
    expect(await evaluations()).toHaveLength(2);

    await receiver.until(
      () => ofType('retraining.requested').length === 1 && ofType('evaluation.completed').length === 2,
    );
    const [request] = ofType('retraining.requested');
    expect(request.verificationError).toBeUndefined();
    expect(request.payload!.data).toMatchObject({ evaluationId: revision.id, isoWeek: first.isoWeek });
    const completed = ofType('evaluation.completed').map((r) => r.payload!.data);
    expect(completed.map((d) => d.revisionOf ?? null).sort()).toEqual([first.id, null].sort());

    const week = await json(
      t.url,
      'GET',
      `/v1/models/digits/performance?from=${first.window.from}&to=${first.window.to}`,
    );
    expect(week.body.weeks).toHaveLength(1);
    expect(week.body.weeks[0]).toMatchObject({
      isoWeek: isoWeek(new Date(first.window.from)),
      predictions: 599,
      labelled: 599,
      coverage: 1,
    });
    expect(week.body.weeks[0].labelDelaySeconds.max).toBeGreaterThanOrEqual(week.body.weeks[0].labelDelaySeconds.p50);
    expect(week.body.realized).toMatchObject({ n: 599 });

    const metrics = parseExposition(await (await fetch(`${t.url}/metrics`)).text());
    const labels = { model: 'digits', version: 'cnn-v1', week: first.isoWeek };
    expect(valueOf(metrics, 'vigil_label_coverage', labels)).toBe(1);
    expect(valueOf(metrics, 'vigil_labelled_predictions', labels)).toBe(599);
    expect(valueOf(metrics, 'vigil_label_delay_seconds', { ...labels, stat: 'p50' })).toBeGreaterThanOrEqual(0);
    const baseline = valueOf(metrics, 'vigil_model_baseline_accuracy', {
      model: 'digits',
      version: 'cnn-v1',
      source: 'feedback',
    });
    expect(baseline).toBe(revision.baseline.accuracy);
    writeFileSync(join(tmpdir(), 'vigil-performance-metrics.txt'), await (await fetch(`${t.url}/metrics`)).text());
  });
});
