import { z } from 'zod';

export const computeLeaderboardSchema = z.strictObject({
  set: z.string().min(1).max(200).describe('The evaluation set to rank the versions on (its id)'),
});

/** The largest budget accepted: an hour; anything above is a typo, not a latency. */
export const MAX_LATENCY_BUDGET_MS = 3_600_000;

export const leaderboardQuerySchema = z.object({
  set: z.string().min(1).max(200).describe('The evaluation set (its id)'),
  latency_budget_ms: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .positive({ error: 'must be above 0 ms' })
    .max(MAX_LATENCY_BUDGET_MS, { error: `must be at most ${MAX_LATENCY_BUDGET_MS} ms (an hour)` })
    .optional()
    .describe("Latency budget for `recommend`, compared with each version's p99 latency at batch 1 (ms)"),
});
