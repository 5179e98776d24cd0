import { chiSquareUpperQuantile } from './chi-square';
import { quantileSignalNullQuantile } from './quantile-signal-null';

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
 * Per-signal, per-check false-alarm probability the null part of minSamplesFor is sized for.
 * Checks of a rolling window overlap, so this is not the alert rate: alerts per model-month come
 * from the alert simulation (alert-simulation.ts, README "Drift").
 */
export const TARGET_FALSE_ALARM_RATE = 1e-4;

/**
 * Power floor: a class-prior shift with KL = 1.5x the threshold (0.3 of the mass leaving the top
 * class of 10) is caught in 98.4% of checks at 200-225 images with equal windows; at 300, ~99%
 * with equal windows and 99.85% with a 10x larger reference (README).
 */
export const MIN_SAMPLES_FLOOR = 300;

/**
 * A reference this many times the smallest window. A reference is drawn once per model version
 * and every check compares against it, so an unlucky one is a persistent offset. Simulated false
 * `drift.detected` per model-month at the minimum window (alert-simulation.spec.ts, README):
 * ratio 1: 0.12, 1.5: 0.012, 2: 0.0016, 3: none in 5,000 months. 5 leaves room for models with
 * more signals than the 5 simulated (an RGB model has 11).
 */
export const REFERENCE_TO_WINDOW_RATIO = 5;

export interface MinSamplesOptions {
  threshold?: number;
  falseAlarmRate?: number;
  /**
   * The reference leaves bins empty (the underflow/overflow bins of a quantile-binned signal):
   * n*KL then has a heavier tail than chi-square (quantile-signal-null.ts) and the bound uses it.
   */
  emptyReferenceBins?: boolean;
}

/**
 * Smallest window size n (images, both windows) for a signal with `binCount` bins. The worst case
 * for a given min(n_ref, n_cur) is n_ref = n_cur = n, where KL ~= X / n; the threshold is crossed
 * with probability <= rate once n >= q_{1-rate} / threshold, q the upper quantile of X:
 * chi-square(k-1) when the reference fills every bin (250 for 10 classes at 0.15), the heavier
 * quantile-binned limit when it leaves bins empty (48.2 / 0.15 -> 322 for k = 12; chi-square
 * would say 250, which false-alarms ~1e-3 of checks there). Never below the power floor.
 */
export function minSamplesFor(binCount: number, options: MinSamplesOptions = {}): number {
  const threshold = options.threshold ?? DEFAULT_KL_THRESHOLD;
  if (!(threshold > 0) || !Number.isFinite(threshold))
    throw new RangeError(`threshold must be positive, got ${threshold}`);
  return Math.max(MIN_SAMPLES_FLOOR, Math.ceil(nullKlQuantile(binCount, options) / threshold));
}

/** The upper (1 - rate) quantile of n*KL under no drift that minSamplesFor divides by the threshold. */
export function nullKlQuantile(binCount: number, options: Omit<MinSamplesOptions, 'threshold'> = {}): number {
  const { falseAlarmRate = TARGET_FALSE_ALARM_RATE, emptyReferenceBins = false } = options;
  if (!Number.isInteger(binCount) || binCount < 2) {
    throw new RangeError(`binCount must be an integer >= 2, got ${binCount}`);
  }
  const key = `${binCount}:${falseAlarmRate}:${emptyReferenceBins}`;
  let quantile = nullQuantileCache.get(key);
  if (quantile === undefined) {
    quantile = chiSquareUpperQuantile(falseAlarmRate, binCount - 1);
    if (emptyReferenceBins && binCount >= 3) {
      quantile = Math.max(quantile, quantileSignalNullQuantile(falseAlarmRate, binCount, DEFAULT_PSEUDOCOUNT));
    }
    nullQuantileCache.set(key, quantile);
  }
  return quantile;
}

// The quantiles take a bisection; every drift check of a signal asks for the same few values.
const nullQuantileCache = new Map<string, number>();

/** The largest window minimum over an image model's signals: quantile-binned ones and the class. */
export function modelMinSamples(classCount: number, threshold = DEFAULT_KL_THRESHOLD): number {
  return Math.max(
    minSamplesFor(DEFAULT_CONTINUOUS_BIN_COUNT, { threshold, emptyReferenceBins: true }),
    minSamplesFor(Math.max(2, classCount), { threshold }),
  );
}

/**
 * Images a reference needs: REFERENCE_TO_WINDOW_RATIO x the window minimum in force, or the
 * configured number, never below the window minimum (a smaller reference can give no verdict).
 */
export function minReferenceSamples(windowMinimum: number, configured?: number): number {
  return Math.max(windowMinimum, configured ?? REFERENCE_TO_WINDOW_RATIO * windowMinimum);
}

/** 322 for the default 12-bin continuous signals (empty outer bins); 300 for up to ~16 classes. */
export const DEFAULT_MIN_SAMPLES = minSamplesFor(DEFAULT_CONTINUOUS_BIN_COUNT, { emptyReferenceBins: true });
