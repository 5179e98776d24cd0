import type { Interval } from '../evaluation/stats';

/** Why an estimate cannot be trusted, in a word; the text says which signals. */
export type UnreliableReason = 'input_drift' | 'drift_not_assessed';

/** Estimated accuracy of one version over one window, with whether it can be trusted (API, records, alerts). */
export interface WindowEstimate {
  calibrationId: string;
  window: { from: string; to: string };
  /** Predictions counted (confidence histograms of the window). */
  n: number;
  /** Null when the window holds no prediction. */
  accuracy: number | null;
  interval: Interval | null;
  binomialSd: number | null;
  calibrationSd: number | null;
  /** The estimate under the most extreme placements of predictions inside their bins. */
  binningBounds: { lower: number; upper: number } | null;
  /** Counts stored under bin edges no longer known (left out). */
  uncountedPredictions: number;
  reliable: boolean;
  reason: UnreliableReason | null;
  reasonText: string | null;
  driftingSignals: string[];
}
