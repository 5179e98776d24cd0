import { EnqueueOptions, JobDefinition } from './jobs';

/** The one job abstraction. Drivers: BullMQ (REDIS_URL set) and inline (single process). */
export abstract class JobQueue {
  abstract readonly driver: 'bullmq' | 'inline';

  abstract enqueue<P>(definition: JobDefinition<P>, payload: P, options?: EnqueueOptions): Promise<void>;

  /** Waiting + active + delayed jobs per queue, for health and metrics. */
  abstract depth(): Promise<Record<string, number>>;
}
