import { OncePerKey } from './once-per-key';

describe('OncePerKey', () => {
  it('makes a value once for callers that ask while it is being made', async () => {
    const values = new OncePerKey<number>();
    let made = 0;
    const make = () => new Promise<number>((resolve) => setTimeout(() => resolve(++made), 5));
    const answers = await Promise.all([values.obtain('a', make), values.obtain('a', make), values.obtain('a', make)]);
    expect(answers).toEqual([1, 1, 1]);
    expect(await values.obtain('a', make)).toBe(1);
    expect(values.get('a')).toBe(1);
    expect(made).toBe(1);
  });

  it('forgets a failed make, so the next caller tries again', async () => {
    const values = new OncePerKey<string>();
    await expect(values.obtain('m', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(values.has('m')).toBe(false);
    expect(await values.obtain('m', async () => 'loaded')).toBe('loaded');
    expect(values.delete('m')).toBe(true);
    expect(values.get('m')).toBeUndefined();
  });
});
