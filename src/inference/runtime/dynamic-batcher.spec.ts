import { DynamicBatcher, type DynamicBatcherOptions } from './dynamic-batcher';
import { BatchResultMismatchError, QueueFullError } from './errors';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** runBatch whose batches stay pending until the test settles them. */
function controlledRunner() {
  const batches: Array<{ items: number[]; done: Deferred<number[]> }> = [];
  const runBatch = jest.fn((items: number[]) => {
    const done = deferred<number[]>();
    batches.push({ items, done });
    return done.promise;
  });
  const finish = (i: number) => batches[i].done.resolve(batches[i].items.map((x) => x * 10));
  return { batches, runBatch, finish };
}

function batcher(overrides: Partial<DynamicBatcherOptions<number, number>>) {
  return new DynamicBatcher<number, number>({
    maxBatchSize: 4,
    maxDelayMs: 10,
    maxQueue: 100,
    maxConcurrentBatches: 1,
    runBatch: async (items) => items.map((x) => x * 10),
    ...overrides,
  });
}

const tick = () => jest.advanceTimersByTimeAsync(0);

describe('DynamicBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('dispatches as soon as maxBatchSize items wait, without waiting for the delay', async () => {
    const { runBatch, batches } = controlledRunner();
    const b = batcher({ maxBatchSize: 3, maxDelayMs: 1000, runBatch });
    [1, 2, 3, 4].forEach((x) => void b.submit(x));
    await tick();
    expect(batches.map((x) => x.items)).toEqual([[1, 2, 3]]);
    expect(b.stats()).toEqual({ queued: 1, running: 1 });
  });

  it('dispatches a partial batch maxDelayMs after the first waiting item', async () => {
    const { runBatch, batches } = controlledRunner();
    const b = batcher({ maxBatchSize: 4, maxDelayMs: 10, runBatch });
    void b.submit(1);
    await jest.advanceTimersByTimeAsync(5);
    void b.submit(2);
    await jest.advanceTimersByTimeAsync(4);
    expect(runBatch).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(batches.map((x) => x.items)).toEqual([[1, 2]]);
  });

  it('accumulates items while every slot is busy (natural batching under load)', async () => {
    const { runBatch, batches, finish } = controlledRunner();
    const b = batcher({ maxBatchSize: 8, maxDelayMs: 0, maxConcurrentBatches: 1, runBatch });
    const first = b.submit(1);
    await tick();
    const rest = [2, 3, 4, 5, 6].map((x) => b.submit(x));
    await jest.advanceTimersByTimeAsync(50);
    expect(b.stats()).toEqual({ queued: 5, running: 1 });
    finish(0);
    await tick();
    expect(batches.map((x) => x.items)).toEqual([[1], [2, 3, 4, 5, 6]]);
    finish(1);
    await expect(first).resolves.toBe(10);
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40, 50, 60]);
  });

  it('runs up to maxConcurrentBatches batches at once', async () => {
    const { runBatch, batches } = controlledRunner();
    const b = batcher({ maxBatchSize: 2, maxConcurrentBatches: 2, runBatch });
    [1, 2, 3, 4, 5, 6].forEach((x) => void b.submit(x));
    await jest.advanceTimersByTimeAsync(100);
    expect(batches.map((x) => x.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b.stats()).toEqual({ queued: 2, running: 2 });
  });

  it('splits results back to each item in order', async () => {
    const b = batcher({ maxBatchSize: 3 });
    const results = Promise.all([7, 8, 9].map((x) => b.submit(x)));
    await tick();
    await expect(results).resolves.toEqual([70, 80, 90]);
  });

  it('rejects every item of a failed batch and keeps serving', async () => {
    let calls = 0;
    const b = batcher({
      maxBatchSize: 2,
      runBatch: async (items) => {
        if (calls++ === 0) throw new Error('boom');
        return items;
      },
    });
    const failed = [1, 2].map((x) => b.submit(x));
    const settled = Promise.allSettled(failed);
    await tick();
    expect((await settled).map((s) => s.status)).toEqual(['rejected', 'rejected']);
    await expect(failed[0]).rejects.toThrow('boom');
    const ok = Promise.all([3, 4].map((x) => b.submit(x)));
    await tick();
    await expect(ok).resolves.toEqual([3, 4]);
  });

  it('rejects items when runBatch throws synchronously or returns the wrong count', async () => {
    const throwing = () => {
      throw new Error('sync');
    };
    const sync = batcher({ maxBatchSize: 1, runBatch: throwing });
    const a = sync.submit(1).catch((e: unknown) => e);
    const short = batcher({ maxBatchSize: 2, runBatch: async () => [1] });
    const b = Promise.allSettled([short.submit(1), short.submit(2)]);
    await tick();
    expect(await a).toEqual(new Error('sync'));
    for (const s of await b) {
      expect(s.status).toBe('rejected');
      expect((s as PromiseRejectedResult).reason).toBeInstanceOf(BatchResultMismatchError);
    }
  });

  it('rejects at once with QueueFullError when maxQueue items are waiting', async () => {
    const { runBatch } = controlledRunner();
    const b = batcher({ maxBatchSize: 1, maxDelayMs: 0, maxQueue: 2, runBatch });
    void b.submit(1);
    await tick();
    void b.submit(2);
    void b.submit(3);
    const err = await b.submit(4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueFullError);
    expect(err).toMatchObject({ code: 'queue_full', retryAfterSeconds: 1 });
    expect(b.stats()).toEqual({ queued: 2, running: 1 });
  });

  it('drain() flushes waiting items and resolves once nothing is queued or running', async () => {
    const { runBatch, batches, finish } = controlledRunner();
    const b = batcher({ maxBatchSize: 2, maxDelayMs: 60_000, runBatch });
    [1, 2, 3].forEach((x) => void b.submit(x));
    let drained = false;
    const drain = b.drain().then(() => (drained = true));
    await tick();
    finish(0);
    await tick();
    expect(batches.map((x) => x.items)).toEqual([[1, 2], [3]]); // [3] went without the 60 s delay
    expect(drained).toBe(false);
    finish(1);
    await drain;
    expect(b.stats()).toEqual({ queued: 0, running: 0 });
  });

  it('drain() on an idle batcher resolves immediately', async () => {
    await expect(batcher({}).drain()).resolves.toBeUndefined();
  });
});
