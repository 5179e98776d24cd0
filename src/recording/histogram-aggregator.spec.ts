import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { HistogramAggregator } from './histogram-aggregator';
import { HistogramMinuteRow, HistogramRepository } from './histogram.repository';

class FakeRepository {
  statements: HistogramMinuteRow[][] = [];
  down = false;
  async upsertAdditive(rows: readonly HistogramMinuteRow[]): Promise<void> {
    if (this.down) throw new Error('connection refused');
    this.statements.push(rows.map((r) => ({ ...r, counts: [...r.counts] })));
  }
}

const mv = '00000000-0000-4000-8000-000000000001';
const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 22, 15, s));

function setup(env: Record<string, string> = {}) {
  const config = new AppConfig(loadConfig({ HISTOGRAM_FLUSH_MS: '1000', ...env }));
  const repository = new FakeRepository();
  const aggregator = new HistogramAggregator(repository as unknown as HistogramRepository, config);
  return { aggregator, repository };
}

describe('HistogramAggregator', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('adds bins per (model version, edges version, signal, UTC minute) and flushes in one statement', async () => {
    const { aggregator, repository } = setup();
    aggregator.add(mv, 1, { brightness: [1, 2, 3], class: [0, 1] }, at(5));
    aggregator.add(mv, 1, { brightness: [10, 0, 1] }, at(59));
    aggregator.add(mv, 1, { brightness: [100, 0, 0] }, at(60)); // next minute
    aggregator.add(mv, 2, { brightness: [7, 7, 7] }, at(6)); // other edges version
    await aggregator.flush();
    expect(repository.statements).toHaveLength(1);
    const rows = repository.statements[0].map((r) => [r.edgesVersion, r.signal, r.minute.toISOString(), r.counts]);
    expect(rows).toEqual([
      [1, 'brightness', '2026-11-27T22:15:00.000Z', [11, 2, 4]],
      [1, 'class', '2026-11-27T22:15:00.000Z', [0, 1]],
      [1, 'brightness', '2026-11-27T22:16:00.000Z', [100, 0, 0]],
      [2, 'brightness', '2026-11-27T22:15:00.000Z', [7, 7, 7]],
    ]);
    expect(aggregator.pendingRows()).toBe(0);
  });

  it('does not alias the caller arrays', async () => {
    const { aggregator, repository } = setup();
    const counts = { pixel: [1, 1] };
    aggregator.add(mv, 1, counts, at(0));
    aggregator.add(mv, 1, counts, at(1));
    await aggregator.flush();
    expect(counts.pixel).toEqual([1, 1]);
    expect(repository.statements[0][0].counts).toEqual([2, 2]);
  });

  it('merges a failed flush back so nothing is lost, then writes the sum', async () => {
    const { aggregator, repository } = setup();
    aggregator.add(mv, 1, { pixel: [1, 2] }, at(0));
    repository.down = true;
    await expect(aggregator.flush()).rejects.toThrow('connection refused');
    aggregator.add(mv, 1, { pixel: [3, 4] }, at(30));
    repository.down = false;
    await aggregator.flush();
    expect(repository.statements).toEqual([
      [{ modelVersionId: mv, edgesVersion: 1, signal: 'pixel', minute: at(0), counts: [4, 6] }],
    ]);
  });

  it('flushes on its timer and at shutdown', async () => {
    jest.useFakeTimers();
    try {
      const { aggregator, repository } = setup();
      aggregator.onApplicationBootstrap();
      aggregator.add(mv, 1, { pixel: [1] }, at(0));
      await jest.advanceTimersByTimeAsync(999);
      expect(repository.statements).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(repository.statements).toHaveLength(1);
      aggregator.add(mv, 1, { pixel: [2] }, at(0));
      await aggregator.beforeApplicationShutdown();
      expect(repository.statements.map((s) => s[0].counts)).toEqual([[1], [2]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('retries at shutdown until written, and gives up at the deadline', async () => {
    jest.useFakeTimers();
    try {
      const { aggregator, repository } = setup();
      aggregator.add(mv, 1, { pixel: [1, 2] }, at(0));
      repository.down = true;
      const closing = aggregator.close(Date.now() + 60_000);
      await jest.advanceTimersByTimeAsync(250);
      repository.down = false;
      await jest.advanceTimersByTimeAsync(2000);
      expect(await closing).toBe(0);
      expect(repository.statements.map((s) => s[0].counts)).toEqual([[1, 2]]);

      aggregator.add(mv, 1, { pixel: [5] }, at(0));
      repository.down = true;
      const gaveUp = aggregator.close(Date.now() + 1000);
      await jest.advanceTimersByTimeAsync(1000);
      expect(await gaveUp).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('skips counts that are not non-negative integers', async () => {
    const { aggregator, repository } = setup();
    aggregator.add(mv, 1, { good: [1], bad: [1, Number.NaN], negative: [-1] }, at(0));
    await aggregator.flush();
    expect(repository.statements[0].map((r) => r.signal)).toEqual(['good']);
  });

  it('is a no-op when HISTOGRAMS_ENABLED is false', async () => {
    const { aggregator, repository } = setup({ HISTOGRAMS_ENABLED: 'false' });
    aggregator.add(mv, 1, { pixel: [1] }, at(0));
    await aggregator.flush();
    expect(repository.statements).toEqual([]);
  });
});
