import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RequestContext } from '../../src/common/request-context';
import { JobQueue } from '../../src/infra/queue/job-queue';
import { JobRegistry } from '../../src/infra/queue/job-registry';
import { defineJob, JobContext, QueueName } from '../../src/infra/queue/jobs';
import { describeWithRedis, redisUrl } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';

const flakyJob = defineJob({
  name: 'test.flaky',
  queue: QueueName.Maintenance,
  payload: z.object({ key: z.string(), failures: z.number().int() }),
  attempts: 5,
  backoffMs: 20,
});

interface Seen {
  key: string;
  context: JobContext;
}

function jobSuite(driver: 'inline' | 'bullmq', env: () => Record<string, string>) {
  let t: TestApp;
  const seen: Seen[] = [];
  const waiters = new Map<string, () => void>();

  beforeAll(async () => {
    t = await startTestApp({
      env: env(),
      beforeStart: (app) =>
        app.get(JobRegistry).handle(flakyJob, async (payload, context) => {
          seen.push({ key: payload.key, context });
          if (context.attempt <= payload.failures) throw new Error(`planned failure ${context.attempt}`);
          waiters.get(payload.key)?.();
        }),
    });
    expect(t.app.get(JobQueue).driver).toBe(driver);
  });
  afterAll(() => t.close());

  const done = (key: string) => new Promise<void>((resolve) => waiters.set(key, resolve));
  const attemptsOf = (key: string) => seen.filter((s) => s.key === key).map((s) => s.context.attempt);

  it('retries with backoff until the handler succeeds, carrying the request id', async () => {
    const finished = done('flaky');
    await RequestContext.run('req-42', () => t.app.get(JobQueue).enqueue(flakyJob, { key: 'flaky', failures: 2 }));
    await finished;
    expect(attemptsOf('flaky')).toEqual([1, 2, 3]);
    expect(seen.find((s) => s.key === 'flaky')?.context.requestId).toBe('req-42');
  });

  it('runs a deterministic job id once', async () => {
    const finished = done('dedupe');
    const queue = t.app.get(JobQueue);
    await queue.enqueue(flakyJob, { key: 'dedupe', failures: 0 }, { jobId: 'dedupe-1' });
    await queue.enqueue(flakyJob, { key: 'dedupe', failures: 0 }, { jobId: 'dedupe-1' });
    await finished;
    // A later job on the same queue proves the duplicate had its chance to run.
    const after = done('after');
    await queue.enqueue(flakyJob, { key: 'after', failures: 0 });
    await after;
    expect(attemptsOf('dedupe')).toEqual([1]);
  });

  it('does not retry a payload that fails validation', async () => {
    const queue = t.app.get(JobQueue);
    await queue.enqueue(flakyJob, { key: 'bad' } as never);
    const after = done('after-bad');
    await queue.enqueue(flakyJob, { key: 'after-bad', failures: 0 });
    await after;
    expect(attemptsOf('bad')).toEqual([]);
  });
}

describe('jobs, inline driver (no REDIS_URL)', () => {
  jobSuite('inline', () => ({}));
});

describeWithRedis('jobs, BullMQ driver', () => {
  jobSuite('bullmq', () => ({
    REDIS_URL: redisUrl!,
    JOBS_IN_API: 'true',
    QUEUE_PREFIX: `vigil-test-${randomBytes(4).toString('hex')}`,
  }));
});
