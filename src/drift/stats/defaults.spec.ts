import {
  DEFAULT_CONTINUOUS_BIN_COUNT,
  DEFAULT_MIN_SAMPLES,
  MIN_SAMPLES_FLOOR,
  minReferenceSamples,
  minSamplesFor,
  modelMinSamples,
  nullKlQuantile,
  REFERENCE_TO_WINDOW_RATIO,
} from './defaults';
import { expectedNullKl, nullKlStandardDeviation } from './null-distribution';

describe('minSamplesFor', () => {
  // scripts/golden/drift_golden.py: max(300, ceil(q / threshold)), q = chi2.isf(1e-4, k-1), or for
  // a reference with empty bins the larger quantile-binned limit (48.18 for k = 12).
  it.each([
    [12, true, 0.15, 322],
    [12, true, 0.1, 482],
    [12, true, 0.05, 964],
    [12, false, 0.15, 300],
    [10, false, 0.15, 300],
  ])('k=%i, empty reference bins %s, threshold %f: %i images', (k, emptyReferenceBins, threshold, n) => {
    expect(minSamplesFor(k, { threshold, emptyReferenceBins })).toBe(n);
  });

  // chi2.isf(1e-4, k-1) / 0.15 from scipy: 225 (k=10), 250 (k=12), 339 (k=20), 7826 (k=1000)
  it.each([
    [20, 339],
    [1000, 7826],
  ])('k=%i classes need %i images', (k, n) => {
    expect(minSamplesFor(k)).toBe(n);
  });

  it('scales the bound with the threshold, never below the floor', () => {
    expect(minSamplesFor(12, { threshold: 0.05 })).toBe(748);
    expect(minSamplesFor(12, { threshold: 1, emptyReferenceBins: true })).toBe(MIN_SAMPLES_FLOOR);
    expect(Math.ceil(nullKlQuantile(12, { emptyReferenceBins: true }) / 0.5)).toBe(97);
  });

  it('keeps the default null KL far below the threshold', () => {
    const k = DEFAULT_CONTINUOUS_BIN_COUNT;
    const n = DEFAULT_MIN_SAMPLES;
    expect(n).toBe(322);
    // E[KL] + 4 SD at equal windows of 322: 0.034 + 4 * 0.015 = 0.09 < 0.15
    expect(expectedNullKl(k, n, n) + 4 * nullKlStandardDeviation(k, n, n)).toBeLessThan(0.15);
  });

  it('rejects fewer than 2 bins and a non-positive threshold', () => {
    expect(() => minSamplesFor(1)).toThrow(RangeError);
    expect(() => minSamplesFor(12, { threshold: 0 })).toThrow(/threshold/);
  });
});

describe('window and reference minimums of a model', () => {
  it('takes the largest window minimum over the quantile-binned signals and the class', () => {
    expect(modelMinSamples(10)).toBe(322);
    expect(modelMinSamples(10, 0.1)).toBe(482);
    expect(modelMinSamples(1000)).toBe(7826);
  });

  it('asks the reference for the ratio times the window minimum, or the configured size', () => {
    expect(minReferenceSamples(322)).toBe(REFERENCE_TO_WINDOW_RATIO * 322);
    expect(minReferenceSamples(322, 500)).toBe(500);
    expect(minReferenceSamples(322, 100)).toBe(322);
  });
});
