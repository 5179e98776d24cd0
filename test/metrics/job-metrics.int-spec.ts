import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { JobQueue } from '../../src/infra/queue/job-queue';
import { JobRegistry } from '../../src/infra/queue/job-registry';
import { defineJob, QueueName } from '../../src/infra/queue/jobs';
import { eventually } from '../support/eventually';
import { describeWithRedis, redisUrl } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';
import { parseExposition, Sample, valueOf } from './exposition';

// The experiments queue: nothing else enqueues there while no experiment runs.
const probeJob = defineJob({
  name: 'test.metrics-probe',
  queue: QueueName.Experiments,
  payload: z.object({ key: z.string(), failures: z.number().int() }),
  attempts: 3,
  backoffMs: 20,
});

function jobMetricsSuite(driver: 'inline' | 'bullmq', env: () => Record<string, string>) {
  let t: TestApp;
  const runs = new Map<string, number>();
  const waiters = new Map<string, () => void>();

  beforeAll(async () => {
    t = await startTestApp({
      env: env(),
      beforeStart: (app) =>
        app.get(JobRegistry).handle(probeJob, async ({ key, failures }) => {
          const attempt = (runs.get(key) ?? 0) + 1;
          runs.set(key, attempt);
          if (attempt <= failures) throw new Error(`planned failure ${attempt}`);
          waiters.get(key)?.();
        }),
    });
    expect(t.app.get(JobQueue).driver).toBe(driver);
  });
  afterAll(() => t.close());

  const scrape = async () => parseExposition(await (await fetch(`${t.url}/metrics`)).text());
  const attempts = (samples: Sample[], outcome: string) =>
    valueOf(samples, 'vigil_job_attempts_total', { queue: 'experiments', outcome });
  const jobs = (samples: Sample[], state: string) =>
    valueOf(samples, 'vigil_queue_jobs', { queue: 'experiments', state });

  it('counts attempts per queue and outcome: a retry is a failed attempt, then a completed one', async () => {
    const done = new Promise<void>((resolve) => waiters.set('flaky', resolve));
    await t.app.get(JobQueue).enqueue(probeJob, { key: 'flaky', failures: 1 });
    await done;
    const samples = await scrape();
    expect(attempts(samples, 'failed')).toBe(1);
    expect(attempts(samples, 'completed')).toBe(1);
    expect(valueOf(samples, 'vigil_job_attempts_total', { queue: 'drift', outcome: 'failed' })).toBe(0);
  });

  it('counts jobs per queue and state: a delayed job waits in the experiments queue', async () => {
    await t.app.get(JobQueue).enqueue(probeJob, { key: 'later', failures: 0 }, { delayMs: 60_000 });
    const waitingState = driver === 'inline' ? 'waiting' : 'delayed';
    const samples = await eventually(scrape, (s) => jobs(s, waitingState) === 1);
    expect(jobs(samples, 'active')).toBe(0);
    if (driver === 'bullmq') expect([jobs(samples, 'completed'), jobs(samples, 'failed')]).toEqual([1, 0]);
    for (const queue of Object.values(QueueName)) {
      expect(valueOf(samples, 'vigil_queue_jobs', { queue, state: 'waiting' })).toBeDefined();
    }
  });
}

describe('job metrics, inline driver', () => {
  jobMetricsSuite('inline', () => ({}));
});

describeWithRedis('job metrics, BullMQ driver', () => {
  jobMetricsSuite('bullmq', () => ({
    REDIS_URL: redisUrl!,
    JOBS_IN_API: 'true',
    QUEUE_PREFIX: `vigil-test-${randomBytes(4).toString('hex')}`,
  }));
});
