import golden from './calibration.golden.json';
import { binRepresentatives, bootstrapCurves, calibrate, estimateAccuracy, expectedCalibrationError } from '.';
import { fitIsotonic, poolAdjacentViolators, predictIsotonic } from './isotonic';

/**
 * Golden values from scikit-learn's IsotonicRegression(increasing=True, out_of_bounds='clip') and
 * a numpy ECE, computed independently by scripts/golden/calibration_golden.py.
 */
describe('isotonic regression equals scikit-learn', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s: thresholds and predictions to 1e-9', (_, c) => {
    const fit = fitIsotonic(c.x, c.y, c.weights ?? undefined);
    expect(fit.x).toHaveLength(c.thresholdsX.length);
    fit.x.forEach((x, i) => expect(Math.abs(x - c.thresholdsX[i])).toBeLessThan(1e-9));
    fit.y.forEach((y, i) => expect(Math.abs(y - c.thresholdsY[i])).toBeLessThan(1e-9));
    c.grid.forEach((t, i) => expect(Math.abs(predictIsotonic(fit, t) - c.predictions[i])).toBeLessThan(1e-9));
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s: ECE of the raw confidences', (_, c) => {
    expect(Math.abs(expectedCalibrationError(c.x, c.y.map(Boolean)) - c.ece)).toBeLessThan(1e-12);
  });

  it('pools violators into their weighted mean and leaves monotone data alone', () => {
    expect(poolAdjacentViolators([1, 0], [1, 3])).toEqual([0.25, 0.25]);
    expect(poolAdjacentViolators([0, 0.5, 1], [1, 1, 1])).toEqual([0, 0.5, 1]);
    expect(poolAdjacentViolators([0.2, 0.9, 0.1, 0.5], [1, 1, 1, 1])).toEqual([0.2, 0.5, 0.5, 0.5]);
  });
});

describe('calibration and the estimate', () => {
  const golden0 = golden.cases[0];
  const points = { confidence: golden0.x, correct: golden0.y.map(Boolean) };

  it('reports a lower ECE after calibration (out of fold) on miscalibrated confidences', () => {
    const summary = calibrate(points);
    expect(summary.eceBefore).toBeCloseTo(golden0.ece, 12);
    expect(summary.eceAfter).toBeLessThan(summary.eceBefore);
    expect(summary.n).toBe(600);
  });

  it('bootstrap curves are seeded: the same seed gives the same curves', () => {
    expect(bootstrapCurves(points, 3, 7)).toEqual(bootstrapCurves(points, 3, 7));
    expect(bootstrapCurves(points, 3, 7)).not.toEqual(bootstrapCurves(points, 3, 8));
  });

  it('maps bins to the mean calibration confidence inside them, or their midpoint', () => {
    const bins = binRepresentatives([0.5, 0.8], [0.2, 0.4, 0.85, 0.95]);
    expect(bins).toEqual([
      { lower: 0, upper: 0.5, representative: 0.30000000000000004 },
      { lower: 0.5, upper: 0.8, representative: 0.65 },
      { lower: 0.8, upper: 1, representative: 0.8999999999999999 },
    ]);
  });

  it('estimates count x calibrated accuracy / n, with an interval and binning bounds around it', () => {
    const curve = { x: [0.5, 0.9], y: [0.5, 0.9] };
    const model = { curve, replicates: [curve, curve], sortedConfidences: [0.6, 0.7, 0.95] };
    const estimate = estimateAccuracy([{ edges: [0.5, 0.8], counts: [0, 30, 70] }], model, 0.95)!;
    // bin 1 -> g(0.65) = 0.65, bin 2 -> g(0.95) = 0.9 (clipped at the last threshold)
    expect(estimate.accuracy).toBeCloseTo((30 * 0.65 + 70 * 0.9) / 100, 12);
    expect(estimate.calibrationSd).toBe(0);
    expect(estimate.binomialSd).toBeCloseTo(Math.sqrt(30 * 0.65 * 0.35 + 70 * 0.9 * 0.1) / 100, 12);
    expect(estimate.interval.lower).toBeLessThan(estimate.accuracy);
    expect(estimate.binningBounds).toEqual({ lower: (30 * 0.5 + 70 * 0.8) / 100, upper: (30 * 0.8 + 70 * 0.9) / 100 });
    expect(estimateAccuracy([{ edges: [0.5], counts: [0, 0] }], model, 0.95)).toBeNull();
  });
});
