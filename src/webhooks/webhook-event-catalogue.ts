import { z } from 'zod';

/*
 * Every event Vigil sends, with the schema of its `data` and a version. A breaking change to a
 * payload adds a new version; receivers read `version` before `data`.
 */

const modelRef = z.object({ name: z.string(), version: z.string(), versionId: z.uuid() });

/** How every event names a model version. */
export function modelRefOf(version: { id: string; name: string; version: string }): z.infer<typeof modelRef> {
  return { name: version.name, version: version.version, versionId: version.id };
}
const window = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });
const interval = z.object({ lower: z.number(), upper: z.number(), level: z.number().gt(0).lt(1) });

const driftDetected = z.object({
  model: modelRef,
  signal: z.string(),
  /** D_KL(current ‖ reference) in nats, with its expected value under no drift and a p-value. */
  kl: z.number().nonnegative(),
  threshold: z.number().positive(),
  expectedNullKl: z.number().nonnegative(),
  pValue: z.number().min(0).max(1),
  sampleSize: z.object({ reference: z.number().int(), current: z.number().int() }),
  window,
  reportId: z.uuid().optional(),
});

const driftResolved = driftDetected.extend({ driftStartedAt: z.iso.datetime({ offset: true }).optional() });

/** Accuracy estimated from confidence histograms over the same window (README "Estimated accuracy"). */
const estimatedAccuracy = z.object({
  accuracy: z.number().min(0).max(1),
  interval,
  n: z.number().int().nonnegative(),
  reliable: z.boolean(),
  reason: z.string().nullable(),
});

const evaluationCompleted = z.object({
  model: modelRef,
  evaluationId: z.uuid(),
  window,
  accuracy: z.number().min(0).max(1),
  baselineAccuracy: z.number().min(0).max(1).nullable(),
  labelled: z.number().int().nonnegative(),
  retrainingRequested: z.boolean(),
  /** Optional additions (version 1 stays compatible): what was evaluated and the drift state then. */
  source: z.string().optional(),
  isoWeek: z.string().optional(),
  accuracyInterval: interval.optional(),
  dropPp: z.number().nullable().optional(),
  driftState: z.string().nullable().optional(),
  /** The retraining rule's decision on this record (README "Evaluation"). */
  ruleDecision: z.string().optional(),
  estimatedAccuracy: estimatedAccuracy.nullable().optional(),
  /** Set on a re-evaluation after late labels: the week's first record (README "Late labels"). */
  revisionOf: z.uuid().nullable().optional(),
});

const retrainingRequested = z.object({
  model: modelRef,
  evaluationId: z.uuid(),
  reason: z.string(),
  accuracy: z.number().min(0).max(1),
  baselineAccuracy: z.number().min(0).max(1),
  /** Accuracy drop in percentage points, its interval, and the trigger threshold. */
  dropPp: z.number(),
  dropInterval: interval,
  thresholdPp: z.number(),
  sampleSize: z.object({ current: z.number().int(), baseline: z.number().int() }),
  /** Optional additions (version 1 stays compatible). */
  source: z.string().optional(),
  isoWeek: z.string().optional(),
  window: window.optional(),
  driftState: z.string().nullable().optional(),
  estimatedAccuracy: estimatedAccuracy.nullable().optional(),
  /** The decision rule, its parameters and the evidence it fired on (README "Evaluation"). */
  rule: z
    .object({
      name: z.string(),
      parameters: z.record(z.string(), z.number()),
      statistic: z.number(),
      threshold: z.number(),
      z: z.number(),
      shewhartLimit: z.number(),
      changeSinceEvaluationId: z.uuid().nullable(),
    })
    .optional(),
});

/** The estimate's upper bound is below the baseline by more than thresholdPp, on a reliable estimate. */
const performanceEstimatedDrop = z.object({
  model: modelRef,
  estimateId: z.uuid(),
  isoWeek: z.string(),
  window,
  estimatedAccuracy: z.number().min(0).max(1),
  interval,
  baselineAccuracy: z.number().min(0).max(1),
  /** 'retraining_rule': the pooled baseline of the feedback evaluations; 'calibration': the calibration set's accuracy. */
  baselineSource: z.enum(['retraining_rule', 'calibration']),
  /** Baseline minus the estimate, and minus its upper bound (what must exceed thresholdPp), in pp. */
  dropPp: z.number(),
  upperBoundDropPp: z.number(),
  thresholdPp: z.number(),
  sampleSize: z.number().int().nonnegative(),
  calibrationId: z.uuid(),
  reliable: z.literal(true),
});

const experimentConcluded = z.object({
  experimentId: z.uuid(),
  key: z.string(),
  modelName: z.string(),
  champion: modelRef,
  challenger: modelRef,
  decision: z.enum(['challenger_better', 'champion_holds', 'inconclusive', 'stopped']),
  method: z.string(),
  difference: z.number().nullable(),
  interval: interval.nullable(),
  counts: z.record(z.string(), z.number().int()),
});

const modelPromoted = z.object({
  model: modelRef,
  previousChampion: modelRef.nullable(),
  reason: z.enum(['experiment', 'manual']),
  experimentId: z.uuid().nullable(),
});

const webhookTest = z.object({ endpointId: z.uuid(), message: z.string() });

export const webhookEventCatalogue = {
  'drift.detected': { version: 1, data: driftDetected },
  'drift.resolved': { version: 1, data: driftResolved },
  'evaluation.completed': { version: 1, data: evaluationCompleted },
  'retraining.requested': { version: 1, data: retrainingRequested },
  'performance.estimated_drop': { version: 1, data: performanceEstimatedDrop },
  'experiment.concluded': { version: 1, data: experimentConcluded },
  'model.promoted': { version: 1, data: modelPromoted },
  'webhook.test': { version: 1, data: webhookTest },
} as const;

type Catalogue = typeof webhookEventCatalogue;
export type WebhookEventType = keyof Catalogue;
export type WebhookEventData<T extends WebhookEventType> = z.input<Catalogue[T]['data']>;

export const webhookEventTypes = Object.keys(webhookEventCatalogue) as WebhookEventType[];

/** Types an endpoint can subscribe to; the test event goes only where it is asked for. */
export const subscribableEventTypes = webhookEventTypes.filter((type) => type !== 'webhook.test');

export const ALL_EVENTS = '*';

export function isWebhookEventType(value: string): value is WebhookEventType {
  return Object.hasOwn(webhookEventCatalogue, value);
}

/** The body every receiver gets (Standard Webhooks shape plus `id` and `version`). */
export interface WebhookEnvelope {
  id: string;
  type: WebhookEventType;
  version: number;
  timestamp: string;
  data: unknown;
}

/** Validates `data` against its schema (a programming error if it fails) and builds the envelope. */
export function buildEnvelope<T extends WebhookEventType>(
  id: string,
  type: T,
  data: WebhookEventData<T>,
  at: Date,
): WebhookEnvelope {
  const entry = webhookEventCatalogue[type];
  const parsed = entry.data.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid ${type} payload: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return { id, type, version: entry.version, timestamp: at.toISOString(), data: parsed.data };
}
