import { z } from 'zod';
import { named } from '../schema-registry';

const instant = z.iso.datetime();
const interval = z.object({ lower: z.number(), upper: z.number(), level: z.number() });
const window = z.object({ from: instant, to: instant });

// Shapes used both as a component and nullable inside another answer are built twice: a nullable
// $ref is not valid OpenAPI 3.0 (redocly's nullable-type-sibling).
const calibrationFields = () =>
  z.object({
    id: z.uuid(),
    model: z.string(),
    version: z.string(),
    source: z.string().describe("'set:<id>' or 'feedback'"),
    window: window.nullable().describe('The feedback window; null for a set'),
    n: z.number().int(),
    correct: z.number().int(),
    accuracy: z.number().describe('Accuracy on the calibration data (the baseline when no evaluation has one)'),
    eceBefore: z.number().describe('Expected calibration error of the raw top-1 confidence (15 equal-width bins)'),
    eceAfter: z.number().describe('ECE after calibration, out of fold (5 folds)'),
    parameters: z.object({
      method: z.literal('isotonic'),
      eceBins: z.number().int(),
      eceFolds: z.number().int(),
      bootstrapReplicates: z.number().int(),
      bootstrapSeed: z.number().int(),
    }),
    curve: z
      .object({ x: z.array(z.number()), y: z.array(z.number()) })
      .describe('Isotonic thresholds: calibrated accuracy, linear between points, clipped outside'),
    createdAt: instant,
  });

export const calibrationResult = named('Calibration', calibrationFields());

/** The estimate of a window, inline wherever it appears (records, reports). */
export const windowEstimate = z
  .object({
    calibrationId: z.uuid(),
    window,
    n: z.number().int().describe('Predictions in the window (confidence histogram counts)'),
    accuracy: z
      .number()
      .nullable()
      .describe('Sum over bins of count x calibrated accuracy / n; null without predictions'),
    interval: interval.nullable().describe('Binomial spread plus the bootstrap spread of the calibration'),
    binomialSd: z.number().nullable(),
    calibrationSd: z.number().nullable(),
    binningBounds: z
      .object({ lower: z.number(), upper: z.number() })
      .nullable()
      .describe('The estimate at the lower and upper edge of every bin (the curve is monotone)'),
    uncountedPredictions: z.number().describe('Counts stored under bin edges no longer known, left out'),
    reliable: z.boolean().describe('false when input signals drifted in the window, or no drift check assessed them'),
    reason: z.enum(['input_drift', 'drift_not_assessed']).nullable(),
    reasonText: z.string().nullable(),
    driftingSignals: z.array(z.string()),
  })
  .describe('Accuracy estimated from confidence histograms (README "Estimated accuracy")');

export const estimateRecord = named(
  'StoredAccuracyEstimate',
  z.object({
    id: z.uuid(),
    checkedAt: instant,
    window,
    n: z.number().int(),
    accuracy: z.number().nullable(),
    lower: z.number().nullable(),
    upper: z.number().nullable(),
    reliable: z.boolean(),
    reason: z.string().nullable(),
    baselineAccuracy: z.number().nullable(),
    alerted: z.boolean().describe('performance.estimated_drop was sent for this estimate'),
  }),
);

export const performanceReport = named(
  'PerformanceReport',
  z.object({
    model: z.string(),
    version: z.string(),
    window,
    estimated: windowEstimate.nullable().describe('null until the version has a calibration'),
    realized: z
      .object({ n: z.number().int(), correct: z.number().int(), accuracy: z.number(), interval })
      .nullable()
      .describe('Labelled predictions made in the window (Wilson interval); null without labels'),
    coverage: z.object({
      predictions: z.number(),
      labelled: z.number().int(),
      fraction: z.number().nullable(),
    }),
    baseline: z
      .object({ accuracy: z.number(), n: z.number().int(), source: z.enum(['retraining_rule', 'calibration']) })
      .nullable(),
    calibration: calibrationFields().nullable(),
    weeks: z.array(
      z.object({
        isoWeek: z.string(),
        from: instant,
        to: instant,
        predictions: z.number(),
        labelled: z.number(),
        coverage: z.number().nullable(),
        realizedAccuracy: z.number().nullable(),
        labelDelaySeconds: z
          .object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() })
          .nullable()
          .describe('From prediction to label (a corrected label from its correction)'),
      }),
    ),
    history: z.array(estimateRecord).describe('Stored (scheduled or requested) estimates in the window, newest first'),
  }),
);
