/** Leaderboard constants, in one place. */

/** A challenger's advantage counts when McNemar's test against the champion gives p below this. */
export const SIGNIFICANCE = 0.05;

/**
 * Timed runs per batch size, after one warm-up each. 200 runs at batch 1 leave two runs above
 * the nearest-rank p99, so one stray scheduling hiccup does not become the p99 by itself.
 */
export const LEADERBOARD_RUNS = { 1: 200, 32: 10 } as const;
