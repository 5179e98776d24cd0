import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobCounts, JobQueue } from '../../src/infra/queue/job-queue';
import { QueueName } from '../../src/infra/queue/jobs';
import { createTestDatabase } from './database';
import { eventually } from './eventually';
import { redisUrl } from './redis';
import { startTestApp, TestApp } from './test-app';

export interface Replicas {
  a: TestApp;
  b: TestApp;
  close(): Promise<void>;
}

/**
 * Two API replicas as in production: one Postgres, one Redis (a prefix of their own), one model
 * store (DATA_DIR on a shared volume), both consuming jobs.
 */
export async function startReplicas(extraEnv: Record<string, string> = {}): Promise<Replicas> {
  const database = await createTestDatabase();
  const env = {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-shared-')),
    REDIS_URL: redisUrl!,
    JOBS_IN_API: 'true',
    QUEUE_PREFIX: `vigil-test-${randomBytes(4).toString('hex')}`,
    ...extraEnv,
  };
  const a = await startTestApp({ env, database });
  const b = await startTestApp({ env, database });
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await database.drop();
    },
  };
}

/**
 * Waits until every job of `queue` has finished (nothing waiting, active, delayed or prioritized
 * in Redis, at least one completed or failed) and returns the queue's counts. Call it after the
 * enqueues it should cover have resolved: then nothing is left that could still run.
 */
export async function settledJobs(app: TestApp, queue: QueueName): Promise<JobCounts> {
  const pending = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused'];
  return eventually(
    async () => (await app.app.get(JobQueue).jobCounts())[queue],
    (counts) => (counts.completed ?? 0) + (counts.failed ?? 0) > 0 && pending.every((state) => !counts[state]),
  );
}
