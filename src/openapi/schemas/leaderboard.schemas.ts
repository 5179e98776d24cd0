import { z } from 'zod';
import { named } from '../schema-registry';

const instant = z.iso.datetime();
const interval = z.object({ lower: z.number(), upper: z.number(), level: z.number() });
const accuracy = z.object({ correct: z.number().int(), accuracy: z.number(), interval });

export const leaderboardJobView = named(
  'LeaderboardJob',
  z.object({
    id: z.uuid(),
    model: z.string(),
    set: z.object({ id: z.uuid(), name: z.string() }),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    error: z.string().nullable(),
    createdAt: instant,
    measuredAt: instant.nullable(),
  }),
);

const entry = z.object({
  rank: z.number().int().describe('By top-1 accuracy, then p99 latency at batch 1'),
  id: z.uuid(),
  version: z.string(),
  role: z.enum(['champion', 'challenger']),
  champion: z.boolean(),
  kind: z.enum(['plain', 'variant', 'ensemble']),
  variantOf: z.string().nullable().describe('For a variant (INT8): its FP32 parent version'),
  members: z.array(z.string()).nullable().describe('For an ensemble: its member versions'),
  labels: z.number().int(),
  n: z.number().int().describe('Items of the set scored (those whose label every live version knows)'),
  top1: accuracy.describe('Top-1 accuracy with its 95% Wilson interval'),
  top5: accuracy.nullable().describe('Top-5 accuracy; null where the model has fewer than 5 labels'),
  vsChampion: z
    .object({
      championOnly: z.number().int().describe('Champion right, this version wrong'),
      challengerOnly: z.number().int().describe('This version right, champion wrong'),
      statistic: z.number(),
      pValue: z.number(),
      exact: z.boolean(),
    })
    .nullable()
    .describe("McNemar's paired test against the champion on the same items; null for the champion"),
  speed: z.object({
    batch1: z.object({ runs: z.number().int(), p50Ms: z.number(), p99Ms: z.number(), meanMs: z.number() }),
    batch32: z.object({ runs: z.number().int(), meanMs: z.number(), imagesPerSecond: z.number() }),
  }),
  fileBytes: z.number().int().describe('ONNX file size; for an ensemble, the sum of its members'),
  parameters: z
    .number()
    .int()
    .describe('Element count of the ONNX initializers; for an ensemble, the sum of its members'),
  provider: z.string().nullable(),
});

const recommendation = z.object({
  latencyBudgetMs: z.number().nullable().describe('null: no budget given'),
  basis: z.literal('p99 latency at batch 1'),
  version: z.string().nullable().describe('null only when the model has no champion'),
  champion: z.boolean().describe('The recommendation is to keep the champion'),
  reason: z.string(),
});

export const leaderboardView = named(
  'Leaderboard',
  z.object({
    id: z.uuid(),
    model: z.string(),
    set: z.object({ id: z.uuid(), name: z.string() }),
    measuredAt: instant.describe('When the versions were scored and timed'),
    host: z.object({ cpu: z.string(), cores: z.number().int() }),
    entries: z.array(entry),
    recommend: recommendation,
  }),
);

export const leaderboardListView = named(
  'LeaderboardList',
  z.object({ leaderboards: z.array(leaderboardView).describe('The latest of each set, most recently measured first') }),
);
