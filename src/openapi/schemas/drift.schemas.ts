import { z } from 'zod';
import { named } from '../schema-registry';

const instant = z.iso.datetime();
const driftState = z.enum(['ok', 'drift', 'insufficient_data']);
const window = z.object({ from: instant, to: instant });
const histogram = z.object({ edges: z.array(z.number()), counts: z.array(z.number()) });

export const driftStatus = named(
  'DriftStatus',
  z.object({
    models: z.array(
      z.object({
        model: z.string(),
        version: z.string(),
        role: z.enum(['champion', 'challenger', 'retired']),
        state: driftState,
        checkedAt: instant.nullable(),
        signals: z.record(z.string(), driftState).describe('State per signal, e.g. pixel:c0, brightness:c0, class'),
        estimatedAccuracy: z
          .object({
            accuracy: z.number().nullable(),
            lower: z.number().nullable(),
            upper: z.number().nullable(),
            n: z.number().int(),
            reliable: z.boolean(),
            reason: z.string().nullable(),
            checkedAt: instant,
          })
          .nullable()
          .describe('The newest stored accuracy estimate (README "Estimated accuracy"); null until one exists'),
      }),
    ),
  }),
);

const signalAssessment = {
  signal: z.string(),
  state: driftState,
  kl: z.number().describe('D_KL(current || reference) in nats, pseudocount 0.5 per bin'),
  threshold: z.number(),
  expectedNullKl: z.number().nullable().describe('(k-1)/2 (1/n_ref + 1/n_cur); null when a window is empty'),
  pValue: z.number().nullable().describe('Pearson chi-square homogeneity test; null when a window is empty'),
  nCurrent: z.number(),
  nReference: z.number(),
  counted: z.boolean().describe('Whether the signal counts towards the overall state (DRIFT_SIGNALS)'),
};

export const driftDetail = named(
  'DriftDetail',
  z.object({
    model: z.string(),
    version: z.string(),
    state: driftState,
    reportId: z.uuid().nullable(),
    stored: z.boolean().describe('false when assessed on demand for the requested window'),
    checkedAt: instant.nullable(),
    window: window.nullable().describe('The range counted: on demand, the requested one widened to whole UTC minutes'),
    requested: window.optional().describe('On demand only: the range asked for (from/to as given)'),
    smoothing: z.object({ pseudocount: z.number(), units: z.string(), statistic: z.string() }),
    signals: z.array(
      z.object({
        ...signalAssessment,
        psi: z.number(),
        js: z.number(),
        minSamples: z.number(),
        current: histogram,
        reference: histogram,
      }),
    ),
  }),
);

export const driftReport = named(
  'DriftReport',
  z.object({
    id: z.uuid(),
    checkedAt: instant,
    window,
    state: driftState,
    alerting: z.boolean().describe('A drift.detected alert is outstanding after this check'),
    driftStreak: z.number().int(),
    signals: z.array(z.object(signalAssessment)),
  }),
);

export const driftHistory = named(
  'DriftHistory',
  z.object({ model: z.string(), version: z.string(), from: instant, to: instant, reports: z.array(driftReport) }),
);

export const driftReference = named(
  'DriftReference',
  z.object({
    id: z.uuid(),
    modelVersionId: z.uuid(),
    source: z.enum(['images', 'window']),
    windowFrom: instant.nullable(),
    windowTo: instant.nullable(),
    sampleCount: z.number().int().describe('Images behind the reference'),
    edgesVersion: z.number().int(),
    createdAt: instant,
  }),
);

export const driftSettings = named(
  'DriftSettings',
  z.object({ model: z.string(), version: z.string(), threshold: z.number().nullable() }),
);
