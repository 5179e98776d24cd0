import { DataSource } from 'typeorm';
import { DriftScheduler } from '../../src/drift/drift.jobs';
import { EdgesSync } from '../../src/drift/edges-sync';
import { InferenceRuntime } from '../../src/inference/inference-runtime';
import { digitImages, registerDigitsModel } from '../support/digits';
import { describeWithRedis } from '../support/redis';
import { Replicas, startReplicas } from '../support/replicas';
import { TestApp } from '../support/test-app';
import { eventually } from '../support/eventually';

describeWithRedis('drift with two API replicas sharing Postgres and Redis', () => {
  let replicas: Replicas;
  let a: TestApp;
  let b: TestApp;
  let versionId: string;

  beforeAll(async () => {
    replicas = await startReplicas();
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

  it('a reference set on one replica moves the other to the new bin edges', async () => {
    const form = new FormData();
    for (const image of digitImages('reference'))
      form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    expect(
      (await fetch(`${a.url}/v1/models/digits/versions/cnn-v1/drift/reference`, { method: 'POST', body: form })).status,
    ).toBe(201);
    expect(b.app.get(InferenceRuntime).edgesVersion(versionId)).toBe(1);
    await b.app.get(EdgesSync).sync();
    expect(b.app.get(InferenceRuntime).edgesVersion(versionId)).toBe(2);
  });

  it('both schedulers enqueue the same check: it runs once', async () => {
    const now = new Date();
    await Promise.all([a.app.get(DriftScheduler).enqueueChecks(now), b.app.get(DriftScheduler).enqueueChecks(now)]);
    const reports = () => a.app.get(DataSource).query('SELECT count(*)::int AS n FROM drift_reports');
    await eventually(reports, ([{ n }]) => n >= 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await reports()).toEqual([{ n: 1 }]);
  });
});
