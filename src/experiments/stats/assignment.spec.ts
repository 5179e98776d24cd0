import { bucketOf, inChallengerShare } from './assignment';

describe('assignment', () => {
  it('is deterministic and salted by the experiment key', () => {
    expect(bucketOf('exp-1', 'user-7')).toBe(bucketOf('exp-1', 'user-7'));
    const units = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const a = units.map((u) => bucketOf('exp-1', u));
    const b = units.map((u) => bucketOf('exp-2', u));
    expect(a).not.toEqual(b);
  });

  it('splits units close to the planned share', () => {
    const units = Array.from({ length: 20_000 }, (_, i) => `unit-${i}`);
    const share = units.filter((u) => inChallengerShare('exp', u, 30)).length / units.length;
    expect(Math.abs(share - 0.3)).toBeLessThan(0.015);
  });
});
