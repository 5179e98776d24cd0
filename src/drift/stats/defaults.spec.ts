import { DEFAULT_CONTINUOUS_BIN_COUNT, DEFAULT_MIN_SAMPLES, MIN_SAMPLES_FLOOR, minSamplesFor } from './defaults';
import { expectedNullKl, nullKlStandardDeviation } from './null-distribution';

describe('minSamplesFor', () => {
  // chi2.isf(1e-4, k-1) / 0.15 from scipy: 225 (k=10), 250 (k=12), 339 (k=20), 7826 (k=1000)
  it.each([
    [10, 300],
    [12, 300],
    [20, 339],
    [1000, 7826],
  ])('k=%i needs %i images', (k, n) => {
    expect(minSamplesFor(k)).toBe(n);
  });

  it('scales the chi-square bound with the threshold, never below the floor', () => {
    expect(minSamplesFor(12, 0.05)).toBe(748);
    expect(minSamplesFor(12, 1)).toBe(MIN_SAMPLES_FLOOR);
  });

  it('keeps the default null KL far below the threshold', () => {
    const k = DEFAULT_CONTINUOUS_BIN_COUNT;
    const n = DEFAULT_MIN_SAMPLES;
    expect(n).toBe(300);
    // E[KL] + 4 SD at equal windows of 300: 0.037 + 4 * 0.016 = 0.10 < 0.15
    expect(expectedNullKl(k, n, n) + 4 * nullKlStandardDeviation(k, n, n)).toBeLessThan(0.15);
  });

  it('rejects fewer than 2 bins and a non-positive threshold', () => {
    expect(() => minSamplesFor(1)).toThrow(RangeError);
    expect(() => minSamplesFor(12, 0)).toThrow(/threshold/);
  });
});
