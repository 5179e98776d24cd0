import { z } from 'zod';
import { named } from '../schema-registry';
import { windowEstimate } from './performance.schemas';

const instant = z.iso.datetime();
const interval = z.object({ lower: z.number(), upper: z.number(), level: z.number() });

export const evaluationSetResult = named(
  'EvaluationSetResult',
  z.object({
    id: z.uuid(),
    modelName: z.string(),
    name: z.string(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    errors: z.array(z.object({ file: z.string(), code: z.string(), message: z.string() })),
  }),
);

export const evaluationSetList = named(
  'EvaluationSetList',
  z.object({
    model: z.string(),
    sets: z.array(
      z.object({
        id: z.uuid(),
        modelName: z.string(),
        name: z.string(),
        itemCount: z.number().int(),
        createdAt: instant,
      }),
    ),
  }),
);

const counts = z.object({ correct: z.number().int(), n: z.number().int() });

const retrainingRule = z
  .object({
    rule: z.literal('self-starting-cusum'),
    parameters: z.object({
      k: z.number(),
      h: z.number(),
      shewhartZ: z.number(),
      maxDropPp: z.number(),
      minLabels: z.number().int(),
      level: z.number(),
    }),
    decision: z.enum([
      'fired',
      'dismissed_below_threshold',
      'evidence_accumulating',
      'no_evidence',
      'baseline',
      'insufficient_labels',
      'not_counted',
    ]),
    triggered: z.boolean(),
    reason: z.string(),
    observation: counts.nullable().describe('This evaluation plus labels carried from smaller earlier ones'),
    baseline: counts
      .extend({
        observations: z.number().int(),
        sinceEvaluationId: z.string().nullable(),
        accuracy: z.number(),
        interval,
      })
      .nullable()
      .describe('Pooled observations of the epoch (since promotion or the last trigger) before this one'),
    z: z.number().nullable().describe('Standardised drop against the baseline (pooled two-proportion z)'),
    statistic: z.number().describe('CUSUM after this observation'),
    threshold: z.number().describe('Decision limit h of the CUSUM'),
    dropPp: z.number().nullable(),
    dropInterval: interval.nullable(),
    changeEstimate: z
      .object({
        dropPp: z.number(),
        interval,
        sinceEvaluationId: z.string().nullable(),
        n: z.number().int(),
        baselineAccuracy: z.number(),
        baselineN: z.number().int(),
      })
      .nullable()
      .describe('Drop since the estimated change point, which must exceed maxDropPp for the rule to fire'),
    carriedLabels: z.number().int().describe('Labels waiting to join the next observation'),
  })
  .describe('The retraining rule (README "Evaluation")');

export const evaluationView = named(
  'Evaluation',
  z.object({
    id: z.uuid(),
    model: z.string(),
    version: z.string(),
    kind: z.enum(['weekly', 'manual', 'revision']).describe('revision: the week re-evaluated after late labels'),
    isoWeek: z.string(),
    window: z.object({ from: instant, to: instant }),
    source: z.string().describe('feedback (logged predictions with labels) or set:<set id>'),
    n: z.number().int(),
    correct: z.number().int(),
    accuracy: z.number(),
    accuracyInterval: interval.describe('Wilson interval'),
    perClass: z.array(
      z.object({
        label: z.string(),
        precision: z.number().nullable(),
        recall: z.number().nullable(),
        support: z.number().int(),
      }),
    ),
    confusion: z.array(z.array(z.number().int())),
    baseline: z
      .object({
        evaluationId: z.uuid().nullable(),
        accuracy: z.number(),
        n: z.number().nullable(),
        correct: z.number().nullable(),
      })
      .nullable(),
    dropPp: z.number().nullable().describe('Accuracy drop against the baseline, in percentage points'),
    dropInterval: interval.nullable(),
    retrainingRequested: z.boolean(),
    driftState: z.string().nullable(),
    rule: retrainingRule.nullable(),
    revisionOf: z.uuid().nullable().describe("The week's first record, which a revision keeps"),
    revision: z.number().int().describe('0 for a first record, then 1, 2, ...'),
    estimate: windowEstimate.nullable().describe('Accuracy estimated from confidence histograms over the window'),
    createdAt: instant,
  }),
);

export const evaluationRun = named(
  'EvaluationRun',
  z.object({ model: z.string(), version: z.string(), evaluations: z.array(evaluationView) }),
);

export const evaluationHistory = named(
  'EvaluationHistory',
  z.object({ model: z.string(), evaluations: z.array(evaluationView) }),
);
