/** Constants of the accuracy estimate (README "Estimated accuracy"), in one place. */

/** Bootstrap replicates of the calibration curve behind the estimate's calibration uncertainty. */
export const BOOTSTRAP_REPLICATES = 200;
export const BOOTSTRAP_SEED = 1916;
/** Fewer labelled predictions than this cannot make a calibration worth trusting. */
export const MIN_CALIBRATION_POINTS = 100;
/** A calibration holds at most this many points (a seeded subsample beyond it): keeps refits fast. */
export const MAX_CALIBRATION_POINTS = 50_000;
/** Weeks back that label coverage is measured and late labels can re-evaluate a week. */
export const LATE_LABEL_WEEKS = 8;
/** Name of the top-1 confidence signal's kind in a version's signal specs. */
export const CONFIDENCE_KIND = 'confidence';
