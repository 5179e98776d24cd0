import { bucketOf, inChallengerShare } from './assignment';

// From Python's hashlib (scripts/golden/assignment_golden.py), not from this code: a change that
// reassigns units (hash, byte order, separator, modulus, string encoding) fails here.
const GOLDEN: Array<[string, string, number]> = [
  ['exp-1', 'user-7', 6358],
  ['exp-2', 'user-7', 8018],
  ['exp-1', 'user-8', 4625],
  ['digits-ab-2026', '3f2a9c0e-5b1d-4e7a-9c2f-8d6b1a0e4c37', 6186],
  ['k', '', 7820],
  ['', 'u', 4330],
  ['key:with:colons', 'unit', 1391],
  ['café', 'ünit-☃', 4569],
  ['exp', 'unit-0', 2058],
  ['exp', 'unit-19999', 9132],
];

describe('assignment', () => {
  it.each(GOLDEN)('experiment %j, unit %j: bucket %d, as hashlib computes it', (key, unit, bucket) => {
    expect(bucketOf(key, unit)).toBe(bucket);
  });

  it('gives the challenger buckets below share x 100: 2999 is in a 30 % share, 3000 is out', () => {
    // Golden units at the boundary, from the same script.
    expect([bucketOf('exp', 'unit-4400'), bucketOf('exp', 'unit-12965')]).toEqual([2999, 3000]);
    expect(inChallengerShare('exp', 'unit-4400', 30)).toBe(true);
    expect(inChallengerShare('exp', 'unit-12965', 30)).toBe(false);
  });

  it('is salted by the experiment key', () => {
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
