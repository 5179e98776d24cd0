import { BenchContext, Scenario } from './scenarios';
import { ServerProcess } from './servers';
import { ThreadConfig } from './settings';

export interface ThreadCandidate {
  threads: ThreadConfig;
  server: ServerProcess;
}

export interface ThreadComparison {
  threads: ThreadConfig;
  /** items/s per repetition, by scenario key. */
  itemsPerS: Record<string, number[]>;
}

/** The same monitoring-on service with each thread layout, alternating under the same loads. */
export async function compareThreadConfigs(
  ctx: BenchContext,
  candidates: ThreadCandidate[],
  scenarios: Scenario[],
): Promise<ThreadComparison[]> {
  const results = candidates.map((c) => ({
    threads: c.threads,
    itemsPerS: Object.fromEntries(scenarios.map((s) => [s.key, [] as number[]])),
  }));
  for (let r = 0; r < ctx.settings.threadReps; r++) {
    for (const scenario of scenarios) {
      for (let i = 0; i < candidates.length; i++) {
        const index = (i + r) % candidates.length;
        const run = await ctx.measureService(candidates[index].server, scenario);
        results[index].itemsPerS[scenario.key].push(run.load.itemsPerS);
        console.log(
          `  ${scenario.key} rep ${r + 1}: ${candidates[index].threads.label} ${run.load.itemsPerS.toFixed(1)} items/s`,
        );
      }
    }
  }
  return results;
}
