import { chiSquareUpperQuantile } from './chi-square';
import { quantileSignalNullQuantile, quantileSignalNullSf } from './quantile-signal-null';

// scripts/golden/drift_golden.py (print_quantile_signal_null): the same limit summed with scipy's
// chi2 and geom; x is chi2.isf(1e-4, k-1), the bound the chi-square approximation would use.
const NULL_GOLDEN = [
  { binCount: 3, x: 18.420680743952364, sf: 0.005126953115222932, quantile: 35.73035430668568 },
  { binCount: 4, x: 21.10751346616021, sf: 0.0035595507776380398, quantile: 37.88151511406575 },
  { binCount: 5, x: 23.512742444990838, sf: 0.0027687053070859727, quantile: 39.0252394210937 },
  { binCount: 7, x: 27.856341236013918, sf: 0.0019427705679290928, quantile: 41.61217433287175 },
  { binCount: 12, x: 37.366986437997, sf: 0.0010574011187332055, quantile: 48.17856221392454 },
  { binCount: 20, x: 50.795489665621886, sf: 0.0005882340028246688, quantile: 58.782247993165576 },
];

describe('null of n*KL for quantile-binned signals', () => {
  it.each(NULL_GOLDEN)('k=$binCount matches scipy', ({ binCount, x, sf, quantile }) => {
    expect(quantileSignalNullSf(x, binCount, 0.5)).toBeCloseTo(sf, 12);
    expect(quantileSignalNullQuantile(1e-4, binCount, 0.5) / quantile).toBeCloseTo(1, 7);
  });

  it('has a tail 5-50x heavier than chi-square(k-1) at its 1e-4 quantile', () => {
    for (const { binCount, sf } of NULL_GOLDEN) {
      expect(sf).toBeGreaterThan(5e-4);
      expect(chiSquareUpperQuantile(1e-4, binCount - 1)).toBeLessThan(quantileSignalNullQuantile(1e-4, binCount, 0.5));
    }
  });

  it('is a survival function: 1 at 0, decreasing', () => {
    expect(quantileSignalNullSf(0, 12, 0.5)).toBeCloseTo(1, 10);
    expect(quantileSignalNullSf(30, 12, 0.5)).toBeGreaterThan(quantileSignalNullSf(40, 12, 0.5));
  });

  it('rejects fewer than 3 bins, a zero pseudocount and a tail out of range', () => {
    expect(() => quantileSignalNullSf(1, 2, 0.5)).toThrow(/at least 3 bins/);
    expect(() => quantileSignalNullSf(1, 12, 0)).toThrow(/pseudocount/);
    expect(() => quantileSignalNullQuantile(0, 12, 0.5)).toThrow(/upperTail/);
  });
});
