/** Quantization constants, in one place. */

/**
 * Fewest calibration images accepted. Ranges from a handful of images miss the tails of the
 * activations the model meets in traffic; 50 is far below the few hundred onnxruntime's
 * documentation suggests, and still refuses the obvious mistakes (a set of 5 images).
 */
export const MIN_CALIBRATION_IMAGES = 50;
/** More images change the ranges little and cost a pass each; the set's first ones (by file) are used. */
export const MAX_CALIBRATION_IMAGES = 1000;
export const CALIBRATION_BATCH = 16;
/** Bins of the percentile method's histogram over each tensor's min-max range. */
export const HISTOGRAM_BINS = 2048;
export const DEFAULT_PERCENTILE = 99.99;

/** Throughput of a variant against its parent: timed runs per batch size, after one warm-up. */
export const THROUGHPUT_RUNS = { 1: 50, 32: 10 } as const;
