import { chiSquareUpperQuantile } from './chi-square';

/** DESIGN: drift is KL(current || reference) > 0.15 nats, configurable per model. */
export const DEFAULT_KL_THRESHOLD = 0.15;

/** DESIGN: 0.5 per bin on both sides (Jeffreys-style), renormalised. */
export const DEFAULT_PSEUDOCOUNT = 0.5;

/**
 * Quantile bins per continuous signal; with the empty underflow/overflow bins a signal has 12.
 * More bins see finer shape changes but raise the null KL ((k-1)/2 per 1/n) and so the minimum n;
 * deciles catch a 1-SD mean shift or a doubled SD in every simulated check at n = 300 (README).
 */
export const DEFAULT_QUANTILE_BINS = 10;
export const DEFAULT_CONTINUOUS_BIN_COUNT = DEFAULT_QUANTILE_BINS + 2;

/**
 * Per-signal, per-check false-alarm probability the chi-square part of minSamplesFor is sized for.
 * A model has ~11 signals (3 channels x pixel/brightness/contrast, class, confidence); even if
 * each hit this rate independently, an overall check would false-alarm in ~0.1% of cases.
 */
export const TARGET_FALSE_ALARM_RATE = 1e-4;

/**
 * Power floor: a class-prior shift with KL = 1.5x the threshold (0.3 of the mass leaving the top
 * class of 10) is caught in 98.4% of checks at 200-225 images with equal windows; at 300, ~99%
 * with equal windows and 99.85% with a 10x larger reference (README).
 */
export const MIN_SAMPLES_FLOOR = 300;

/**
 * Smallest window size n (images, both windows) for a signal with `binCount` bins. Under no drift
 * KL ~= X2/2 (1/n_ref + 1/n_cur) with X2 ~ chi-square(k-1); the worst case for a given
 * min(n_ref, n_cur) is n_ref = n_cur = n, where KL ~= X2 / n, so the threshold is crossed with
 * probability <= rate once n >= chi2_{1-rate}(k-1) / threshold. A larger reference only helps.
 * The chi-square bound is 250 for k = 12 and 225 for 10 classes, so the floor rules for the
 * defaults; it takes over for many bins (k = 20 -> 339, 1000 classes -> 7,826).
 */
export function minSamplesFor(
  binCount: number,
  threshold = DEFAULT_KL_THRESHOLD,
  falseAlarmRate = TARGET_FALSE_ALARM_RATE,
): number {
  if (!Number.isInteger(binCount) || binCount < 2) {
    throw new RangeError(`binCount must be an integer >= 2, got ${binCount}`);
  }
  if (!(threshold > 0) || !Number.isFinite(threshold))
    throw new RangeError(`threshold must be positive, got ${threshold}`);
  const key = `${binCount}:${threshold}:${falseAlarmRate}`;
  let n = minSamplesCache.get(key);
  if (n === undefined) {
    const chiSquareBound = Math.ceil(chiSquareUpperQuantile(falseAlarmRate, binCount - 1) / threshold);
    n = Math.max(MIN_SAMPLES_FLOOR, chiSquareBound);
    minSamplesCache.set(key, n);
  }
  return n;
}

// The quantile takes a bisection; every drift check of a signal asks for the same few values.
const minSamplesCache = new Map<string, number>();

/** 300 for the default 12-bin continuous signals and for models with up to ~16 classes. */
export const DEFAULT_MIN_SAMPLES = minSamplesFor(DEFAULT_CONTINUOUS_BIN_COUNT);
