import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { MetricsService } from '../metrics/metrics.service';
import { PredictionLogWriter } from './prediction-log.writer';
import { PredictionRecord } from './prediction-record';
import { PredictionRepository } from './prediction.repository';

/** Stands in for Postgres: records every statement, fails while `down` is set. */
class FakeRepository {
  batches: PredictionRecord[][] = [];
  down = false;
  async insertBatch(records: readonly PredictionRecord[]): Promise<void> {
    if (this.down) throw new Error('connection refused');
    this.batches.push([...records]);
  }
  get rows(): PredictionRecord[] {
    return this.batches.flat();
  }
}

function record(i: number): PredictionRecord {
  return {
    id: randomUUID(),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    modelVersionId: randomUUID(),
    role: 'champion',
    predictedClass: i % 10,
    confidence: 0.9,
    latencyMs: 3,
    unitId: null,
    requestId: `req-${i}`,
    inputHash: `h${i}`,
  };
}

const records = (from: number, n: number) => Array.from({ length: n }, (_, k) => record(from + k));

function setup(env: Record<string, string> = {}) {
  const config = new AppConfig(
    loadConfig({ PREDICTION_FLUSH_MS: '50', PREDICTION_FLUSH_ROWS: '10', PREDICTION_BUFFER_MAX: '100', ...env }),
  );
  const repository = new FakeRepository();
  const metrics = new MetricsService();
  const writer = new PredictionLogWriter(repository as unknown as PredictionRepository, config, metrics);
  writer.onApplicationBootstrap();
  return { writer, repository, metrics };
}

const counter = async (metrics: MetricsService, name: 'predictionsLogged' | 'predictionsDropped') =>
  (await metrics[name].get()).values[0]?.value ?? 0;

describe('PredictionLogWriter', () => {
  let logError: jest.SpyInstance;
  let logWarn: jest.SpyInstance;
  beforeEach(() => {
    jest.useFakeTimers();
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    logWarn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('writes full batches as soon as they are buffered and the rest on the timer', async () => {
    const { writer, repository, metrics } = setup();
    writer.append(records(0, 25));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.batches.map((b) => b.length)).toEqual([10, 10]);
    await jest.advanceTimersByTimeAsync(50);
    expect(repository.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(repository.rows.map((r) => r.requestId)).toEqual(records(0, 25).map((r) => r.requestId));
    expect(writer.stats()).toEqual({ buffered: 0, written: 25, dropped: 0 });
    expect(await counter(metrics, 'predictionsLogged')).toBe(25);
    expect((await metrics.predictionLogBuffered.get()).values[0].value).toBe(0);
    await writer.beforeApplicationShutdown();
  });

  it('keeps rows through an outage and retries with capped exponential backoff', async () => {
    const { writer, repository } = setup();
    repository.down = true;
    const attempts: number[] = [];
    const insert = jest.spyOn(repository, 'insertBatch').mockImplementation(async (rows) => {
      attempts.push(Date.now());
      if (repository.down) throw new Error('connection refused');
      repository.batches.push([...rows]);
    });
    writer.append(records(0, 5));
    await jest.advanceTimersByTimeAsync(50); // first attempt on the timer tick
    await jest.advanceTimersByTimeAsync(100 + 200 + 400 + 800 + 1600 + 2000 + 2000);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
    expect(gaps).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
    expect(writer.stats()).toEqual({ buffered: 5, written: 0, dropped: 0 });

    repository.down = false;
    await jest.advanceTimersByTimeAsync(2000);
    expect(insert).toHaveBeenCalledTimes(9);
    expect(repository.rows.map((r) => r.requestId)).toEqual(records(0, 5).map((r) => r.requestId));
    expect(writer.stats()).toEqual({ buffered: 0, written: 5, dropped: 0 });
    await writer.beforeApplicationShutdown();
  });

  it('drops the oldest rows beyond PREDICTION_BUFFER_MAX and counts them', async () => {
    const { writer, repository, metrics } = setup();
    repository.down = true;
    writer.append(records(0, 60));
    await jest.advanceTimersByTimeAsync(0); // the size-triggered write fails and its rows return
    writer.append(records(60, 60));
    expect(writer.stats()).toEqual({ buffered: 100, written: 0, dropped: 20 });
    expect(await counter(metrics, 'predictionsDropped')).toBe(20);
    expect(logWarn).toHaveBeenCalledWith(expect.objectContaining({ dropped: 20 }), expect.any(String));
    expect((await metrics.predictionLogBuffered.get()).values[0].value).toBe(100);

    repository.down = false;
    await writer.flush();
    expect(repository.rows.map((r) => r.requestId)).toEqual(records(20, 100).map((r) => r.requestId));
    expect(repository.batches.every((b) => b.length <= 10)).toBe(true);
    expect(writer.stats()).toEqual({ buffered: 0, written: 100, dropped: 20 });
    await writer.beforeApplicationShutdown();
  });

  it('flush() rejects while Postgres refuses and keeps the rows for the next try', async () => {
    const { writer, repository } = setup();
    writer.append(records(0, 3));
    repository.down = true;
    await expect(writer.flush()).rejects.toThrow('connection refused');
    expect(writer.stats().buffered).toBe(3);
    repository.down = false;
    await writer.flush();
    expect(repository.rows).toHaveLength(3);
    await writer.beforeApplicationShutdown();
  });

  it('runs one write at a time', async () => {
    const { writer, repository } = setup();
    let active = 0;
    let maxActive = 0;
    jest.spyOn(repository, 'insertBatch').mockImplementation(async (rows) => {
      maxActive = Math.max(maxActive, ++active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      repository.batches.push([...rows]);
      active--;
    });
    writer.append(records(0, 35));
    const flushes = Promise.all([writer.flush(), writer.flush()]);
    await jest.advanceTimersByTimeAsync(100);
    await flushes;
    expect(maxActive).toBe(1);
    expect(repository.rows).toHaveLength(35);
    await writer.beforeApplicationShutdown();
  });

  it('retries at shutdown until the rows are written', async () => {
    const { writer, repository } = setup();
    repository.down = true;
    writer.append(records(0, 4));
    const shutdown = writer.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(300);
    repository.down = false;
    await jest.advanceTimersByTimeAsync(2000);
    await shutdown;
    expect(repository.rows).toHaveLength(4);
  });

  it('gives up after SHUTDOWN_TIMEOUT_MS at shutdown', async () => {
    const { writer, repository } = setup({ SHUTDOWN_TIMEOUT_MS: '5000' });
    repository.down = true;
    writer.append(records(0, 4));
    let done = false;
    const shutdown = writer.beforeApplicationShutdown().then(() => (done = true));
    await jest.advanceTimersByTimeAsync(4900);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    await shutdown;
    expect(writer.stats()).toEqual({ buffered: 4, written: 0, dropped: 0 });
    expect(logError).toHaveBeenCalledWith(expect.objectContaining({ unwritten: 4 }), expect.any(String));
  });

  it('close() writes rows appended while it retries and returns what is left', async () => {
    const { writer, repository } = setup();
    repository.down = true;
    writer.append(records(0, 4));
    const closing = writer.close(Date.now() + 60_000);
    await jest.advanceTimersByTimeAsync(150);
    writer.append(records(4, 3));
    repository.down = false;
    await jest.advanceTimersByTimeAsync(2000);
    expect(await closing).toBe(0);
    expect(repository.rows.map((r) => r.requestId)).toEqual(records(0, 7).map((r) => r.requestId));
    // No timer writes after close: a later append stays buffered until the next close().
    writer.append(records(7, 1));
    await jest.advanceTimersByTimeAsync(1000);
    expect(repository.rows).toHaveLength(7);
    expect(await writer.close(Date.now())).toBe(0);
    expect(repository.rows).toHaveLength(8);
  });

  it('does nothing when PREDICTION_LOG_ENABLED is false', async () => {
    const { writer, repository } = setup({ PREDICTION_LOG_ENABLED: 'false' });
    writer.append(records(0, 30));
    await writer.flush();
    expect(repository.batches).toEqual([]);
    expect(writer.stats()).toEqual({ buffered: 0, written: 0, dropped: 0 });
  });
});
