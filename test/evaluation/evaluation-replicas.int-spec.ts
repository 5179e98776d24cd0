import { DataSource } from 'typeorm';
import { EvaluationScheduler } from '../../src/evaluation/evaluation.jobs';
import { QueueName } from '../../src/infra/queue/jobs';
import { digitImages, registerDigitsModel } from '../support/digits';
import { describeWithRedis } from '../support/redis';
import { Replicas, settledJobs, startReplicas } from '../support/replicas';
import { TestApp } from '../support/test-app';
import { label, serve } from './evaluation-traffic';

describeWithRedis('weekly evaluation with two API replicas sharing Postgres and Redis', () => {
  let replicas: Replicas;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    replicas = await startReplicas();
    ({ a, b } = replicas);
    expect((await registerDigitsModel(a.url, 'cnn')).status).toBe(201);
    await label(b.url, await serve(b.url, digitImages('heldback').slice(0, 150)));
  });
  afterAll(() => replicas.close());

  it('both crons enqueue the same weekly job: one evaluation per model and week', async () => {
    // A week from now, the previous complete ISO week is this one, which holds the labels.
    const nextWeek = new Date(Date.now() + 7 * 24 * 3_600_000);
    await Promise.all([
      a.app.get(EvaluationScheduler).enqueueWeekly(nextWeek),
      b.app.get(EvaluationScheduler).enqueueWeekly(nextWeek),
      a.app.get(EvaluationScheduler).enqueueWeekly(nextWeek),
    ]);
    // All three enqueues are done: once the evaluation queue has nothing left to run, every job has run.
    const counts = await settledJobs(a, QueueName.Evaluation);
    expect({ completed: counts.completed, failed: counts.failed }).toEqual({ completed: 1, failed: 0 });
    const rows = await a.app
      .get(DataSource)
      .query(`SELECT kind, source, n FROM evaluations WHERE model_name = 'digits'`);
    expect(rows).toEqual([{ kind: 'weekly', source: 'feedback', n: 150 }]);
  });

  it('the database refuses a second weekly record even if the job ran twice', async () => {
    const duplicate = a.app.get(DataSource).query(
      `INSERT INTO evaluations (id, model_version_id, model_name, model_version, kind, iso_week, window_from, window_to,
           source, n, correct, accuracy, accuracy_interval, per_class, confusion, retraining_requested)
         SELECT gen_random_uuid(), model_version_id, model_name, model_version, kind, iso_week, window_from, window_to,
           source, n, correct, accuracy, accuracy_interval, per_class, confusion, false FROM evaluations`,
    );
    await expect(duplicate).rejects.toThrow(/uq_evaluations_weekly/);
  });
});
