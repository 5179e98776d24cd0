import { randomUUID } from 'node:crypto';
import { JobQueue } from '../../src/infra/queue/job-queue';
import { JobRegistry } from '../../src/infra/queue/job-registry';
import { MetricsService } from '../../src/metrics/metrics.service';
import { partitionMaintenanceJob } from '../../src/recording/partition-maintenance';
import { PredictionLogWriter } from '../../src/recording/prediction-log.writer';
import { PredictionRecord } from '../../src/recording/prediction-record';
import { partitionName, PredictionRepository, utcDay } from '../../src/recording/prediction.repository';
import { startTestApp, TestApp } from '../support/test-app';

const DAY_MS = 24 * 3600 * 1000;

function prediction(modelVersionId: string, createdAt: Date, i = 0): PredictionRecord {
  return {
    id: randomUUID(),
    createdAt,
    modelVersionId,
    role: i % 2 ? 'challenger' : 'champion',
    predictedClass: i % 10,
    confidence: 0.5,
    latencyMs: 4.25,
    unitId: i % 3 ? `unit-${i}` : null,
    requestId: `req-${i}`,
    inputHash: `hash-${i}`,
  };
}

const many = (modelVersionId: string, n: number, at: (i: number) => Date) =>
  Array.from({ length: n }, (_, i) => prediction(modelVersionId, at(i), i));

async function counterValue(t: TestApp, name: 'predictionsLogged' | 'predictionsDropped') {
  return (await t.app.get(MetricsService)[name].get()).values[0]?.value ?? 0;
}

/** The bootstrap enqueues partition maintenance; let it finish so it cannot race the test. */
async function maintenanceSettled(t: TestApp) {
  const queue = t.app.get(JobQueue);
  for (let i = 0; i < 200 && (await queue.depth()).maintenance; i++) await new Promise((r) => setTimeout(r, 25));
  expect((await queue.depth()).maintenance ?? 0).toBe(0);
}

describe('prediction log (real Postgres)', () => {
  let t: TestApp;
  let repository: PredictionRepository;
  let writer: PredictionLogWriter;

  beforeAll(async () => {
    t = await startTestApp();
    repository = t.app.get(PredictionRepository);
    writer = t.app.get(PredictionLogWriter);
    await maintenanceSettled(t);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('writes a burst of 5,000 predictions in few statements into the daily partition', async () => {
    const mv = randomUUID();
    const insert = jest.spyOn(repository, 'insertBatch');
    const now = new Date();
    const records = many(mv, 5000, () => now);
    for (const record of records) writer.append([record]);
    await writer.flush();

    expect(await repository.count(mv)).toBe(5000);
    expect(insert.mock.calls.length).toBeLessThanOrEqual(Math.ceil(5000 / t.config.PREDICTION_FLUSH_ROWS) + 2);
    expect(insert.mock.calls.every(([batch]) => batch.length <= t.config.PREDICTION_FLUSH_ROWS)).toBe(true);
    const partitions = await repository.countByPartition();
    expect(partitions[partitionName(utcDay(now))]).toBe(5000);
    expect(partitions.predictions_default ?? 0).toBe(0);
    expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 0 });
    expect(await counterValue(t, 'predictionsLogged')).toBe(5000);

    const [row] = await repository.findByIds([records[7].id]);
    expect(row).toEqual({
      id: records[7].id,
      createdAt: now,
      modelVersionId: mv,
      role: 'challenger',
      predictedClass: 7,
    });
  });

  it('a retried batch neither duplicates nor fails', async () => {
    const mv = randomUUID();
    const records = many(mv, 3, () => new Date());
    await repository.insertBatch(records);
    await repository.insertBatch(records);
    expect(await repository.count(mv)).toBe(3);
  });

  it('moves rows out of the default partition when their day gets a partition', async () => {
    const mv = randomUUID();
    const day = utcDay(new Date(Date.now() - 100 * DAY_MS));
    await repository.insertBatch(many(mv, 4, (i) => new Date(day.getTime() + i * 3600_000)));
    expect((await repository.countByPartition()).predictions_default).toBe(4);

    expect(await repository.ensureDailyPartitions(day, 1)).toEqual([partitionName(day)]);
    expect(await repository.ensureDailyPartitions(day, 1)).toEqual([]); // idempotent
    const partitions = await repository.countByPartition();
    expect(partitions[partitionName(day)]).toBe(4);
    expect(partitions.predictions_default ?? 0).toBe(0);
    expect(await repository.count(mv)).toBe(4);
    await repository.dropPartitionsBefore(new Date(day.getTime() + DAY_MS));
  });

  it('partition maintenance removes predictions past retention (30 days) and keeps recent ones', async () => {
    expect(t.config.PREDICTION_RETENTION_DAYS).toBe(30);
    const mv = randomUUID();
    const now = Date.now();
    const fortyDaysAgo = new Date(now - 40 * DAY_MS);
    // One old day in its own partition, one in the default partition, plus rows to keep.
    await repository.ensureDailyPartitions(fortyDaysAgo, 1);
    await repository.insertBatch(many(mv, 5, () => fortyDaysAgo));
    await repository.insertBatch(many(mv, 6, () => new Date(now - 35 * DAY_MS)));
    await repository.insertBatch(many(mv, 7, () => new Date(now - 29 * DAY_MS)));
    await repository.insertBatch(many(mv, 8, () => new Date(now)));
    expect(await repository.count(mv)).toBe(26);
    const before = await repository.countByPartition();
    expect(before[partitionName(utcDay(fortyDaysAgo))]).toBe(5);
    expect(before.predictions_default).toBe(13);

    const registration = t.app.get(JobRegistry).get(partitionMaintenanceJob.name)!;
    await registration.handler({}, { jobId: 'test', attempt: 1 });

    expect(await repository.count(mv)).toBe(15);
    const after = await repository.countByPartition();
    expect(after[partitionName(utcDay(fortyDaysAgo))]).toBeUndefined();
    expect(after.predictions_default).toBe(7);
    expect(after[partitionName(utcDay(new Date(now)))]).toBeGreaterThanOrEqual(8);
    // Partitions from yesterday to three days ahead exist after the job.
    const names = await t.app.get(PredictionRepository).ensureDailyPartitions(new Date(now - DAY_MS), 5);
    expect(names).toEqual([]);
  });
});

describe('prediction log while Postgres refuses writes', () => {
  let t: TestApp;
  let repository: PredictionRepository;
  let writer: PredictionLogWriter;

  beforeAll(async () => {
    t = await startTestApp({ env: { PREDICTION_BUFFER_MAX: '100', PREDICTION_FLUSH_ROWS: '40' } });
    repository = t.app.get(PredictionRepository);
    writer = t.app.get(PredictionLogWriter);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('loses nothing once writes succeed again', async () => {
    const mv = randomUUID();
    const outage = new Error('connection terminated unexpectedly');
    const insert = jest
      .spyOn(repository, 'insertBatch')
      .mockRejectedValueOnce(outage)
      .mockRejectedValueOnce(outage)
      .mockRejectedValueOnce(outage);
    const records = many(mv, 90, () => new Date());
    writer.append(records.slice(0, 30));
    writer.append(records.slice(30, 60));
    writer.append(records.slice(60));
    let failures = 0;
    for (;;) {
      try {
        await writer.flush();
        break;
      } catch (error) {
        expect(error).toBe(outage);
        if (++failures > 3) throw new Error('flush kept failing after the outage');
      }
    }
    expect(await repository.count(mv)).toBe(90);
    expect((await repository.findByIds(records.map((r) => r.id))).length).toBe(90);
    expect(insert.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(writer.stats()).toEqual({ buffered: 0, written: 90, dropped: 0 });
    expect(await counterValue(t, 'predictionsLogged')).toBe(90);
  });

  it('beyond PREDICTION_BUFFER_MAX drops the oldest rows and counts them', async () => {
    const mv = randomUUID();
    const insert = jest.spyOn(repository, 'insertBatch').mockRejectedValue(new Error('connection refused'));
    const records = many(mv, 250, () => new Date());
    // Appends while every write fails: each failed batch returns to the front of the buffer.
    for (let i = 0; i < 250; i += 25) {
      writer.append(records.slice(i, i + 25));
      await writer.flush().catch(() => undefined);
    }
    expect(writer.stats()).toMatchObject({ buffered: 100, dropped: 150 });
    expect(await counterValue(t, 'predictionsDropped')).toBe(150);
    expect((await t.app.get(MetricsService).predictionLogBuffered.get()).values[0].value).toBe(100);

    insert.mockRestore();
    await writer.flush();
    const kept = await repository.findByIds(records.map((r) => r.id));
    expect(kept.map((r) => r.id).sort()).toEqual(
      records
        .slice(150)
        .map((r) => r.id)
        .sort(),
    );
    expect(writer.stats()).toEqual({ buffered: 0, written: 190, dropped: 150 });
  });
});
