import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DriftScheduler } from '../../src/drift/drift.jobs';
import { EdgesSync } from '../../src/drift/edges-sync';
import { InferenceRuntime } from '../../src/inference/inference-runtime';
import { createTestDatabase } from '../support/database';
import { digitImages, registerDigitsModel } from '../support/digits';
import { describeWithRedis, redisUrl } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually } from '../webhooks/webhook-receiver';

describeWithRedis('drift with two API replicas sharing Postgres and Redis', () => {
  let database: { url: string; drop: () => Promise<void> };
  let a: TestApp;
  let b: TestApp;
  let versionId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Replicas share Postgres, Redis and the model store (DATA_DIR on a shared volume).
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-shared-')),
      REDIS_URL: redisUrl!,
      JOBS_IN_API: 'true',
      QUEUE_PREFIX: `vigil-test-${randomBytes(4).toString('hex')}`,
    };
    a = await startTestApp({ env, database });
    b = await startTestApp({ env, database });
    const registered = await registerDigitsModel(a.url, 'cnn');
    versionId = ((await registered.json()) as { id: string }).id;
    const answered = await fetch(`${b.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: digitImages('heldback')[0].bytes,
    });
    expect(answered.status).toBe(200);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

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
