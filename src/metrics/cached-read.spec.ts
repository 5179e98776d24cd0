import { CachedRead } from './cached-read';

describe('CachedRead', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(read: () => Promise<number>) {
    const errors: unknown[] = [];
    const cached = new CachedRead(read, { ttlMs: 5000, timeoutMs: 2000, initial: -1, onError: (e) => errors.push(e) });
    return { cached, errors };
  }

  it('shares one read between concurrent callers and serves it for the ttl', async () => {
    let reads = 0;
    const { cached } = setup(async () => ++reads);
    expect(await Promise.all([cached.get(), cached.get(), cached.get()])).toEqual([1, 1, 1]);
    await jest.advanceTimersByTimeAsync(4999);
    expect(await cached.get()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(await cached.get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('keeps the last good value when a read fails, and tries again only after the ttl', async () => {
    let fail = false;
    let reads = 0;
    const { cached, errors } = setup(async () => {
      reads += 1;
      if (fail) throw new Error('connection refused');
      return reads;
    });
    expect(await cached.get()).toBe(1);
    fail = true;
    await jest.advanceTimersByTimeAsync(5000);
    expect(await cached.get()).toBe(1);
    expect(await cached.get()).toBe(1);
    expect([reads, errors.length]).toEqual([2, 1]);
    fail = false;
    await jest.advanceTimersByTimeAsync(5000);
    expect(await cached.get()).toBe(3);
  });

  it('answers after timeoutMs with the last good value while the store hangs', async () => {
    const { cached, errors } = setup(() => new Promise<number>(() => undefined));
    const answer = cached.get();
    await jest.advanceTimersByTimeAsync(2000);
    expect(await answer).toBe(-1);
    expect(String(errors[0])).toMatch(/timed out after 2000 ms/);
  });
});
