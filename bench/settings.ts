import { join } from 'node:path';

/** Repository root, from dist/bench (compiled) as well as bench/ (ts-node). */
export const repoRoot = join(__dirname, __dirname.includes(`${join('dist', 'bench')}`) ? '../..' : '..');

export interface ThreadConfig {
  workers: number;
  intraOpThreads: number;
  label: string;
}

/** The two sensible splits of a 2-core machine; the bench measures both and keeps the faster. */
export const THREAD_CONFIGS: readonly ThreadConfig[] = [
  { workers: 1, intraOpThreads: 2, label: '1 worker x 2 threads' },
  { workers: 2, intraOpThreads: 1, label: '2 workers x 1 thread' },
];

/** The faster layout in full runs on the 2-core dev machine (see BENCHMARKS.md). */
export const PREFERRED_THREADS = THREAD_CONFIGS[1];

export interface BenchSettings {
  quick: boolean;
  /** Unmeasured load before every measured HTTP run. */
  warmupS: number;
  measureS: number;
  /** Load on every target and scenario once, before the measured repetitions. */
  prewarmS: number;
  rawS: number;
  reps: number;
  /** 0 (quick mode): no layout comparison, PREFERRED_THREADS is used. */
  threadReps: number;
  /** Repetitions of the framework floor (the trivial route on node:http, Nest + Express, Nest + Fastify). */
  floorReps: number;
  /** BENCH_SCENARIOS=key,key runs only those scenarios (the keys in run.ts); unset: all of them. */
  only?: string[];
  /** Server on which the bench creates (and drops) its own database. */
  serverDatabaseUrl: string;
  healthRatePerS: number;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1';
  return {
    quick,
    warmupS: 1,
    prewarmS: quick ? 1.5 : 3,
    measureS: quick ? 3 : 5,
    rawS: quick ? 1.5 : 2,
    reps: quick ? 1 : 3,
    threadReps: quick ? 0 : 2,
    floorReps: quick ? 1 : 2,
    ...(env.BENCH_SCENARIOS && { only: env.BENCH_SCENARIOS.split(',').map((key) => key.trim()) }),
    serverDatabaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    healthRatePerS: 20,
  };
}
