import { DataSource } from 'typeorm';
import { DriftCheckService } from '../../src/drift/drift-check.service';
import { DriftScheduler } from '../../src/drift/drift.jobs';
import { EdgesSync } from '../../src/drift/edges-sync';
import { ModelRunner } from '../../src/models/model-runner';
import { QueueName } from '../../src/infra/queue/jobs';
import { ModelVersionRepository } from '../../src/models/model-version.repository';
import { digitImages, registerDigitsModel } from '../support/digits';
import { describeWithRedis } from '../support/redis';
import { Replicas, settledJobs, startReplicas } from '../support/replicas';
import { TestApp } from '../support/test-app';

describeWithRedis('drift with two API replicas sharing Postgres and Redis', () => {
  let replicas: Replicas;
  let a: TestApp;
  let b: TestApp;
  let versionId: string;

  beforeAll(async () => {
    replicas = await startReplicas({ DRIFT_MIN_REFERENCE_SAMPLES: '599' }); // the fixtures' reference split
    ({ a, b } = replicas);
    const registered = await registerDigitsModel(a.url, 'cnn');
    versionId = ((await registered.json()) as { id: string }).id;
    const answered = await fetch(`${b.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: digitImages('heldback')[0].bytes,
    });
    expect(answered.status).toBe(200);
  });
  afterAll(() => replicas.close());

  const reports = () => a.app.get(DataSource).query('SELECT count(*)::int AS n FROM drift_reports');

  it('a reference set on one replica moves the other to the new bin edges', async () => {
    const form = new FormData();
    for (const image of digitImages('reference'))
      form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    expect(
      (await fetch(`${a.url}/v1/models/digits/versions/cnn-v1/drift/reference`, { method: 'POST', body: form })).status,
    ).toBe(201);
    expect(b.app.get(ModelRunner).edgesVersion(versionId)).toBe(1);
    await b.app.get(EdgesSync).sync();
    expect(b.app.get(ModelRunner).edgesVersion(versionId)).toBe(2);
  });

  it('both schedulers enqueue the same check: one job runs, one report is stored', async () => {
    const now = new Date();
    await Promise.all([a.app.get(DriftScheduler).enqueue(now), b.app.get(DriftScheduler).enqueue(now)]);
    // Both enqueues are done: once the drift queue has nothing left to run, every check has run.
    const counts = await settledJobs(a, QueueName.Drift);
    expect({ completed: counts.completed, failed: counts.failed }).toEqual({ completed: 1, failed: 0 });
    expect(await reports()).toEqual([{ n: 1 }]);
  });

  it('the same check run again (a retried job) stores nothing new and returns the stored report', async () => {
    const [stored] = (await a.app
      .get(DataSource)
      .query('SELECT id, checked_at AS "checkedAt" FROM drift_reports')) as Array<{ id: string; checkedAt: Date }>;
    const model = (await b.app.get(ModelVersionRepository).findById(versionId))!;
    const again = await b.app.get(DriftCheckService).check(model, stored.checkedAt);
    expect(again.id).toBe(stored.id);
    expect(await reports()).toEqual([{ n: 1 }]);
  });

  it('the database refuses a second report for the same version and check time', async () => {
    const duplicate = a.app.get(DataSource).query(
      `INSERT INTO drift_reports (id, model_version_id, reference_id, checked_at, window_from, window_to, state,
           drift_streak, alerting, signals)
         SELECT gen_random_uuid(), model_version_id, reference_id, checked_at, window_from, window_to, state,
           drift_streak, alerting, signals FROM drift_reports`,
    );
    await expect(duplicate).rejects.toThrow(/uq_drift_reports_checked/);
  });
});
