import { z } from 'zod';
import { named } from '../schema-registry';

const instant = z.iso.datetime();

export const experimentView = named(
  'Experiment',
  z.object({
    id: z.uuid(),
    key: z.string().describe('Hashed with the x-unit-id header for sticky assignment'),
    model_name: z.string(),
    champion_version_id: z.uuid(),
    challenger_version_id: z.uuid(),
    mode: z.enum(['split', 'shadow']),
    traffic_share: z.number(),
    confidence_level: z.number(),
    min_samples: z.number().int(),
    margin: z.number(),
    status: z.enum(['running', 'concluded', 'stopped']),
    outcome: z.string().nullable(),
    started_at: instant,
    ended_at: instant.nullable(),
  }),
);

export const experimentDecision = named(
  'ExperimentDecision',
  z.object({
    verdict: z.enum(['challenger_better', 'champion_holds', 'continue', 'held_srm', 'held_guardrail']),
    method: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    counts: z.record(z.string(), z.number()),
    difference: z.number().nullable().describe('Challenger minus champion accuracy'),
    interval: z.object({ lower: z.number(), upper: z.number() }).nullable(),
    checks: z.record(z.string(), z.unknown()).describe('Newcombe, McNemar, sample-ratio and guardrail checks'),
    decided_at: instant.nullable(),
  }),
);

export const experimentList = named(
  'ExperimentList',
  z.object({ model: z.string(), experiments: z.array(experimentView) }),
);

export const experimentStatus = named(
  'ExperimentStatus',
  experimentView.extend({ decisions: z.array(experimentDecision) }),
);

export const experimentAnalysis = named('ExperimentAnalysis', experimentView.extend({ analysis: experimentDecision }));
