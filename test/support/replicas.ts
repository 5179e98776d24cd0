import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from './database';
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
