import { Interval, normalQuantile } from '../../evaluation/stats';
import { IsotonicFit, predictIsotonic } from './isotonic';

/** One stored histogram of top-1 confidence: bins (-inf, e0), [e0, e1), ..., [e_last, +inf). */
export interface ConfidenceHistogram {
  edges: readonly number[];
  counts: readonly number[];
}

export interface CalibrationModel {
  curve: IsotonicFit;
  /** Bootstrap replicates of the curve (the calibration's own uncertainty). */
  replicates: readonly IsotonicFit[];
  /** The calibration set's confidences, sorted: where inside a bin the calibration data sits. */
  sortedConfidences: readonly number[];
}

export interface AccuracyEstimate {
  /** Predictions in the window (histogram counts). */
  n: number;
  accuracy: number;
  interval: Interval;
  /** Standard deviations of the two parts of the interval. */
  binomialSd: number;
  calibrationSd: number;
  /**
   * What any placement of the window's predictions inside their bins could give: the curve is
   * non-decreasing, so a bin's accuracy lies between the curve at its lower and upper edge.
   */
  binningBounds: { lower: number; upper: number };
}

interface Bin {
  lower: number;
  upper: number;
  representative: number;
}

/**
 * Each bin's representative confidence: the mean confidence of the calibration points inside it
 * (under no shift the window's predictions sit inside a bin like the calibration data does), or
 * the bin's midpoint when no calibration point falls in it. Open outer bins are closed at 0 and 1.
 */
export function binRepresentatives(edges: readonly number[], sortedConfidences: readonly number[]): Bin[] {
  const bins: Bin[] = [];
  let j = 0;
  for (let b = 0; b <= edges.length; b++) {
    const lower = b === 0 ? 0 : Math.max(0, edges[b - 1]);
    const upper = b === edges.length ? 1 : Math.min(1, edges[b]);
    let sum = 0;
    let count = 0;
    while (j < sortedConfidences.length && (b === edges.length || sortedConfidences[j] < edges[b])) {
      sum += sortedConfidences[j++];
      count++;
    }
    bins.push({ lower, upper: Math.max(lower, upper), representative: count > 0 ? sum / count : (lower + upper) / 2 });
  }
  return bins;
}

/**
 * Estimated accuracy of a window from its confidence histograms only: sum over bins of
 * count x calibrated accuracy at the bin's representative confidence, / n. Interval: normal, with
 * the variance of the window's realised accuracy given the calibrated probabilities (a sum of
 * Bernoullis, sum c g (1 - g) / n^2) plus the variance of the estimate over the bootstrap
 * replicates of the calibration curve. Null when the window holds no prediction.
 */
export function estimateAccuracy(
  histograms: readonly ConfidenceHistogram[],
  calibration: CalibrationModel,
  level: number,
): AccuracyEstimate | null {
  let n = 0;
  let expected = 0;
  let bernoulliVariance = 0;
  let lowest = 0;
  let highest = 0;
  const replicateSums = new Array<number>(calibration.replicates.length).fill(0);
  for (const histogram of histograms) {
    const bins = binRepresentatives(histogram.edges, calibration.sortedConfidences);
    bins.forEach((bin, b) => {
      const count = histogram.counts[b] ?? 0;
      if (count === 0) return;
      const g = predictIsotonic(calibration.curve, bin.representative);
      n += count;
      expected += count * g;
      bernoulliVariance += count * g * (1 - g);
      lowest += count * predictIsotonic(calibration.curve, bin.lower);
      highest += count * predictIsotonic(calibration.curve, bin.upper);
      calibration.replicates.forEach(
        (curve, r) => (replicateSums[r] += count * predictIsotonic(curve, bin.representative)),
      );
    });
  }
  if (n === 0) return null;
  const accuracy = expected / n;
  const binomialSd = Math.sqrt(bernoulliVariance) / n;
  const calibrationSd = standardDeviation(replicateSums.map((s) => s / n));
  const half = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(binomialSd ** 2 + calibrationSd ** 2);
  return {
    n,
    accuracy,
    interval: { lower: Math.max(0, accuracy - half), upper: Math.min(1, accuracy + half), level },
    binomialSd,
    calibrationSd,
    binningBounds: { lower: lowest / n, upper: highest / n },
  };
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}
