import { StaleOnErrorCache } from './stale-on-error-cache';

describe('StaleOnErrorCache', () => {
  const down = () => Promise.reject(new Error('connection refused'));

  it('reads once per ttl', async () => {
    const cache = new StaleOnErrorCache<number>(() => 60_000, 'test');
    const load = jest.fn().mockResolvedValue(1);
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('serves the last value while refreshes fail, retrying once per ttl, then the new one', async () => {
    const cache = new StaleOnErrorCache<string>(() => 0, 'test');
    expect(await cache.get('a', async () => 'champion-v1')).toBe('champion-v1');
    const failing = jest.fn(down);
    expect(await cache.get('a', failing)).toBe('champion-v1');
    expect(await cache.get('a', failing)).toBe('champion-v1');
    expect(failing).toHaveBeenCalledTimes(2);
    expect(await cache.get('a', async () => 'champion-v2')).toBe('champion-v2');
  });

  it('propagates the failure when there is nothing to fall back on', async () => {
    const cache = new StaleOnErrorCache<string>(() => 0, 'test');
    await expect(cache.get('a', down)).rejects.toThrow('connection refused');
    await cache.get('b', async () => 'x');
    cache.delete('b');
    await expect(cache.get('b', down)).rejects.toThrow('connection refused');
  });
});
