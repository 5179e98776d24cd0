import { EnqueueOptions, JobDefinition, QueueName } from './jobs';

/** Job states as BullMQ names them; the inline driver reports `waiting` and `active` only. */
export type JobCounts = Partial<Record<string, number>>;
export type JobAttemptOutcome = 'completed' | 'failed';

/** The one job abstraction. Drivers: BullMQ (REDIS_URL set) and inline (single process). */
export abstract class JobQueue {
  abstract readonly driver: 'bullmq' | 'inline';
  private readonly attempts = new Map<QueueName, Record<JobAttemptOutcome, number>>();

  abstract enqueue<P>(definition: JobDefinition<P>, payload: P, options?: EnqueueOptions): Promise<void>;

  /** Waiting + active + delayed jobs per queue, for health and metrics. */
  abstract depth(): Promise<Record<string, number>>;

  /** Shutdown: stops consuming, waits for running jobs, closes connections. Safe to call twice. */
  abstract close(): Promise<void>;

  /** Jobs per state for every queue: BullMQ's counts in Redis, or this process's inline jobs. */
  abstract jobCounts(): Promise<Record<QueueName, JobCounts>>;

  /** Attempts this process ran since it started, per queue and outcome (retries count again). */
  attemptCounts(): Array<{ queue: QueueName; outcome: JobAttemptOutcome; count: number }> {
    return [...this.attempts].flatMap(([queue, counts]) =>
      (['completed', 'failed'] as const).map((outcome) => ({ queue, outcome, count: counts[outcome] })),
    );
  }

  protected recordAttempt(queue: QueueName, outcome: JobAttemptOutcome): void {
    let counts = this.attempts.get(queue);
    if (!counts) this.attempts.set(queue, (counts = { completed: 0, failed: 0 }));
    counts[outcome] += 1;
  }
}
