import { chiSquareUpperQuantile } from './chi-square';

/** DESIGN: drift is KL(current || reference) > 0.15 nats, configurable per model. */
export const DEFAULT_KL_THRESHOLD = 0.15;

/** DESIGN: 0.5 per bin on both sides (Jeffreys-style), renormalised. */
export const DEFAULT_PSEUDOCOUNT = 0.5;

/**
 * Quantile bins per continuous signal; with the empty underflow/overflow bins a signal has 12.
 * More bins see finer shape changes but raise the null KL ((k-1)/2 per 1/n) and so the minimum n;
 * 10 deciles detect a 1-SD mean shift or a doubled SD at n = 250 almost surely (see README).
 */
export const DEFAULT_QUANTILE_BINS = 10;
export const DEFAULT_CONTINUOUS_BIN_COUNT = DEFAULT_QUANTILE_BINS + 2;

/** Second guard on drift: the homogeneity p-value must also be below this (see drift-decision). */
export const DEFAULT_ALPHA = 0.001;

/**
 * Per-signal, per-check false-alarm probability the minimum sample size is sized for. A model has
 * ~11 signals (3 channels x pixel/brightness/contrast, class, confidence), so even if every signal
 * hit this rate independently an overall check would false-alarm in ~0.1% of cases.
 */
export const TARGET_FALSE_ALARM_RATE = 1e-4;

/**
 * Smallest window size n (images, both windows) at which i.i.d. traffic crosses the KL threshold
 * with probability <= falseAlarmRate. Under no drift KL ~= X2/2 (1/n_ref + 1/n_cur) with
 * X2 ~ chi-square(k-1); the worst case for a given min(n_ref, n_cur) is n_ref = n_cur = n, where
 * KL ~= X2 / n, so we need n >= chi2_{1-rate}(k-1) / threshold. A larger reference only helps.
 * k=12 -> 250; k=10 classes -> 225; k=1000 classes -> ~7,800.
 */
export function minSamplesFor(
  binCount: number,
  threshold = DEFAULT_KL_THRESHOLD,
  falseAlarmRate = TARGET_FALSE_ALARM_RATE,
): number {
  if (!Number.isInteger(binCount) || binCount < 2) throw new RangeError(`binCount must be an integer >= 2, got ${binCount}`);
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError(`threshold must be positive, got ${threshold}`);
  return Math.ceil(chiSquareUpperQuantile(falseAlarmRate, binCount - 1) / threshold);
}

/** 250 for the default 12-bin continuous signals. */
export const DEFAULT_MIN_SAMPLES = minSamplesFor(DEFAULT_CONTINUOUS_BIN_COUNT);
