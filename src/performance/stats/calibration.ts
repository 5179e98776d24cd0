import { mulberry32 } from '../../drift/stats/seeded-random';
import { fitSorted, IsotonicFit, predictIsotonic } from './isotonic';

/** Labelled predictions: each one's top-1 confidence and whether the prediction was right. */
export interface CalibrationPoints {
  confidence: number[];
  correct: boolean[];
}

/** Equal-width bins on [0, 1] for the expected calibration error (Guo et al. 2017 use 15). */
export const ECE_BINS = 15;
/** Folds for the out-of-sample ECE after calibration (in-sample it would flatter the fit). */
export const ECE_FOLDS = 5;
export const CALIBRATION_SEED = 16;

/**
 * ECE = sum over bins of (n_b / n) |accuracy_b - mean probability_b|, bins [b/B, (b+1)/B) with the
 * last one closed at 1.
 */
export function expectedCalibrationError(probability: readonly number[], correct: readonly boolean[], bins = ECE_BINS) {
  const n = probability.length;
  if (n === 0) return 0;
  const sums = Array.from({ length: bins }, () => ({ n: 0, correct: 0, probability: 0 }));
  for (let i = 0; i < n; i++) {
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(probability[i] * bins)))];
    bin.n++;
    bin.probability += probability[i];
    if (correct[i]) bin.correct++;
  }
  return sums.reduce(
    (ece, b) => (b.n === 0 ? ece : ece + (b.n / n) * Math.abs(b.correct / b.n - b.probability / b.n)),
    0,
  );
}

/** Points sorted by confidence, then correctness (the order sklearn fits in). */
export function sortedPoints(points: CalibrationPoints): CalibrationPoints {
  const order = points.confidence
    .map((_, i) => i)
    .sort((a, b) => points.confidence[a] - points.confidence[b] || +points.correct[a] - +points.correct[b]);
  return { confidence: order.map((i) => points.confidence[i]), correct: order.map((i) => points.correct[i]) };
}

export function fitCalibrationCurve(points: CalibrationPoints, weights?: readonly number[]): IsotonicFit {
  const sorted = sortedPoints(points);
  const w = weights ?? sorted.confidence.map(() => 1);
  return fitSorted(sorted.confidence, sorted.correct.map(Number), w);
}

export interface CalibrationSummary {
  fit: IsotonicFit;
  n: number;
  correct: number;
  eceBefore: number;
  /** Out of fold: each fold's points mapped by the curve fitted on the other folds. */
  eceAfter: number;
}

export function calibrate(points: CalibrationPoints): CalibrationSummary {
  const n = points.confidence.length;
  if (n < 2) throw new RangeError('calibration needs at least two labelled predictions');
  const random = mulberry32(CALIBRATION_SEED);
  const fold = points.confidence.map(() => Math.floor(random() * ECE_FOLDS));
  const outOfFold = new Array<number>(n).fill(0);
  for (let f = 0; f < ECE_FOLDS; f++) {
    const training = pick(points, (i) => fold[i] !== f);
    if (training.confidence.length === 0) continue;
    const curve = fitCalibrationCurve(training);
    for (let i = 0; i < n; i++) if (fold[i] === f) outOfFold[i] = predictIsotonic(curve, points.confidence[i]);
  }
  return {
    fit: fitCalibrationCurve(points),
    n,
    correct: points.correct.filter(Boolean).length,
    eceBefore: expectedCalibrationError(points.confidence, points.correct),
    eceAfter: expectedCalibrationError(outOfFold, points.correct),
  };
}

/**
 * Bootstrap replicates of the calibration curve: the points resampled with replacement (as
 * multinomial weights on the sorted points, so each refit is O(n)), seeded, so an estimate's
 * interval is reproducible from the stored points.
 */
export function bootstrapCurves(points: CalibrationPoints, replicates: number, seed: number): IsotonicFit[] {
  const sorted = sortedPoints(points);
  const n = sorted.confidence.length;
  const y = sorted.correct.map(Number);
  const random = mulberry32(seed);
  const curves: IsotonicFit[] = [];
  for (let r = 0; r < replicates; r++) {
    const weights = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) weights[Math.floor(random() * n)]++;
    curves.push(fitSorted(sorted.confidence, y, weights));
  }
  return curves;
}

function pick(points: CalibrationPoints, keep: (i: number) => boolean): CalibrationPoints {
  const index = points.confidence.map((_, i) => i).filter(keep);
  return { confidence: index.map((i) => points.confidence[i]), correct: index.map((i) => points.correct[i]) };
}
