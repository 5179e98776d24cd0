import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HistogramAggregator } from '../../src/recording/histogram-aggregator';
import { HistogramRepository } from '../../src/recording/histogram.repository';
import { startTestApp, TestApp } from '../support/test-app';

const minute = (m: number, s = 0) => new Date(Date.UTC(2026, 10, 27, 10, m, s));

describe('histogram counts (real Postgres)', () => {
  let t: TestApp;
  let aggregator: HistogramAggregator;
  let repository: HistogramRepository;

  beforeAll(async () => {
    // No timer flushes during the tests: every statement is one the test asked for.
    t = await startTestApp({ env: { HISTOGRAM_FLUSH_MS: '600000' } });
    aggregator = t.app.get(HistogramAggregator);
    repository = t.app.get(HistogramRepository);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  async function storedRows(mv: string) {
    const rows: Array<{ signal: string; edges_version: number; minute: Date; counts: string[]; total: string }> =
      await t.app
        .get(DataSource)
        .query(
          'SELECT signal, edges_version, minute, counts, total FROM histogram_counts WHERE model_version_id = $1 ORDER BY edges_version, signal, minute',
          [mv],
        );
    return rows.map((r) => ({
      signal: r.signal,
      edgesVersion: r.edges_version,
      minute: r.minute.toISOString(),
      counts: r.counts.map(Number),
      total: Number(r.total),
    }));
  }

  it('adds flushes for the same minute together, as two replicas would', async () => {
    const mv = randomUUID();
    const upsert = jest.spyOn(repository, 'upsertAdditive');
    aggregator.add(mv, 1, { 'pixel.c0': [1, 2, 3, 4], class: [5, 0, 1] }, minute(0, 10));
    await aggregator.flush();
    aggregator.add(mv, 1, { 'pixel.c0': [10, 0, 30, 1], class: [0, 2, 0] }, minute(0, 50));
    await aggregator.flush();
    expect(upsert).toHaveBeenCalledTimes(2);

    expect(await storedRows(mv)).toEqual([
      { signal: 'class', edgesVersion: 1, minute: minute(0).toISOString(), counts: [5, 2, 1], total: 8 },
      { signal: 'pixel.c0', edgesVersion: 1, minute: minute(0).toISOString(), counts: [11, 2, 33, 5], total: 51 },
    ]);
  });

  it('sums any window element-wise in SQL and keeps edges versions apart', async () => {
    const mv = randomUUID();
    aggregator.add(mv, 1, { brightness: [1, 0, 2] }, minute(1));
    aggregator.add(mv, 1, { brightness: [0, 4, 0], contrast: [7, 7] }, minute(2, 30));
    aggregator.add(mv, 1, { brightness: [100, 100, 100] }, minute(3)); // outside [1, 3)
    aggregator.add(mv, 1, { brightness: [1000, 0, 0] }, minute(0, 59)); // outside too
    aggregator.add(mv, 2, { brightness: [9, 9, 9, 9] }, minute(2)); // other edges version
    await aggregator.flush();
    aggregator.add(mv, 1, { brightness: [3, 3, 3] }, minute(1, 1)); // a second replica's flush
    await aggregator.flush();

    expect(await repository.sumCounts(mv, 1, minute(1), minute(3))).toEqual({
      brightness: { counts: [4, 7, 5], total: 16 },
      contrast: { counts: [7, 7], total: 14 },
    });
    expect(await repository.sumCounts(mv, 2, minute(0), minute(10))).toEqual({
      brightness: { counts: [9, 9, 9, 9], total: 36 },
    });
    expect(await repository.sumCounts(mv, 1, minute(0), minute(10))).toEqual({
      brightness: { counts: [1104, 107, 105], total: 1316 },
      contrast: { counts: [7, 7], total: 14 },
    });
    expect(await repository.sumCounts(mv, 3, minute(0), minute(10))).toEqual({});
  });

  it('keeps counts through a failed flush and writes them once Postgres answers', async () => {
    const mv = randomUUID();
    jest.spyOn(repository, 'upsertAdditive').mockRejectedValueOnce(new Error('connection refused'));
    aggregator.add(mv, 1, { pixel: [2, 2] }, minute(5));
    await expect(aggregator.flush()).rejects.toThrow('connection refused');
    aggregator.add(mv, 1, { pixel: [1, 0] }, minute(5, 30));
    await aggregator.flush();
    expect(await repository.sumCounts(mv, 1, minute(5), minute(6))).toEqual({ pixel: { counts: [3, 2], total: 5 } });
  });
});
