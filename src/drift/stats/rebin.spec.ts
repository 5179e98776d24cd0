import { rebin } from './rebin';

describe('rebin', () => {
  const fine = [0, 1, 2, 3, 4];
  const counts = [5, 10, 30, 0, 60, 7];

  it('is exact when coarse edges are fine edges', () => {
    expect(rebin(counts, fine, [1, 3])).toEqual([15, 30, 67]);
  });

  it('splits a fine bin in proportion to the overlap', () => {
    // [1,2) is cut at 1.5: 15 + 15
    expect(rebin(counts, fine, [0, 1.5, 4])).toEqual([5, 25, 75, 7]);
  });

  it('places fine underflow just below and overflow at the fine range boundary', () => {
    expect(rebin(counts, fine, [-1, 2])).toEqual([0, 45, 67]);
  });

  it('preserves the total', () => {
    const out = rebin(counts, fine, [0.3, 0.7, 2.2, 3.9]);
    expect(out.reduce((s, c) => s + c, 0)).toBeCloseTo(112, 12);
  });

  it('validates both edge sets', () => {
    expect(() => rebin([1, 2], fine, [1])).toThrow(/counts/);
    expect(() => rebin(counts, fine, [2, 2])).toThrow(/strictly increasing/);
  });
});
