import { z } from 'zod';

export const createExperimentSchema = z.object({
  challengerVersion: z.string().min(1),
  /** Percent of units the challenger answers (split) or shadows (shadow). */
  trafficShare: z.number().gt(0, 'must be above 0').lt(100, 'must be below 100'),
  mode: z.enum(['split', 'shadow']).default('split'),
  confidenceLevel: z.number().gt(0).lt(1).default(0.95),
  minSamples: z.number().int().min(1).max(100_000_000).default(100),
  margin: z.number().min(0).lt(1).default(0),
});
export type CreateExperiment = z.infer<typeof createExperimentSchema>;

export const decisionsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) });
