import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { RequestContext } from '../../common/request-context';
import { JobCounts, JobQueue } from './job-queue';
import { JobRegistry } from './job-registry';
import { EnqueueOptions, JobDefinition, QueueName } from './jobs';
import { InvalidJobPayloadError, runJob, UnknownJobError } from './run-job';

/**
 * Runs jobs in this process with the same retries and backoff as BullMQ. For a single node
 * without Redis: a job that is pending when the process dies is lost, which is why facts live
 * in Postgres and periodic sweeps re-enqueue what is unfinished.
 */
@Injectable()
export class InlineJobQueue extends JobQueue implements BeforeApplicationShutdown {
  readonly driver = 'inline' as const;
  private readonly logger = new Logger('InlineJobQueue');
  private readonly pending = new Map<string, QueueName>();
  private readonly active = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async enqueue<P>(definition: JobDefinition<P>, payload: P, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new Error('job queue is shutting down');
    const jobId = options.jobId ?? randomUUID();
    if (this.pending.has(jobId)) return;
    this.pending.set(jobId, definition.queue);
    const envelope = { payload, requestId: RequestContext.requestId() };
    this.schedule(options.delayMs ?? 0, () => this.attempt(definition, envelope, jobId, 1));
  }

  async depth(): Promise<Record<string, number>> {
    const depth: Record<string, number> = {};
    for (const queue of this.pending.values()) depth[queue] = (depth[queue] ?? 0) + 1;
    return depth;
  }

  async jobCounts(): Promise<Record<QueueName, JobCounts>> {
    const counts = {} as Record<QueueName, { waiting: number; active: number }>;
    for (const queue of Object.values(QueueName)) counts[queue] = { waiting: 0, active: 0 };
    for (const [jobId, queue] of this.pending) counts[queue][this.active.has(jobId) ? 'active' : 'waiting'] += 1;
    return counts;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(delayMs: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const execution = run().finally(() => this.running.delete(execution));
      this.running.add(execution);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(
    definition: JobDefinition<unknown>,
    envelope: { payload: unknown; requestId?: string },
    jobId: string,
    attempt: number,
  ) {
    this.active.add(jobId);
    try {
      await runJob(this.registry, this.logger, definition.name, envelope, {
        jobId,
        attempt,
        requestId: envelope.requestId,
      });
      this.pending.delete(jobId);
      this.recordAttempt(definition.queue, 'completed');
    } catch (error) {
      this.recordAttempt(definition.queue, 'failed');
      const attempts = definition.attempts ?? this.config.JOB_ATTEMPTS;
      const permanent = error instanceof InvalidJobPayloadError || error instanceof UnknownJobError;
      if (permanent || attempt >= attempts || this.closed) {
        this.pending.delete(jobId);
        this.logger.error({ job: definition.name, jobId, attempt, err: error }, 'job failed permanently');
        return;
      }
      const backoff = (definition.backoffMs ?? this.config.JOB_BACKOFF_MS) * 2 ** (attempt - 1);
      this.schedule(backoff, () => this.attempt(definition, envelope, jobId, attempt + 1));
    } finally {
      this.active.delete(jobId);
    }
  }
}
