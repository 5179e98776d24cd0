import { Logger } from '@nestjs/common';
import { JobDefinition, JobEnvelope } from './jobs';

/** One enqueue Redis refused: added again, with what is left of its delay, once Redis answers. */
export interface HeldEnqueue {
  definition: JobDefinition<unknown>;
  envelope: JobEnvelope;
  jobId: string;
  /** Epoch ms at which the job is due (enqueue time + delay). */
  dueAt: number;
}

const RETRY_MS = 1000;
const MAX_HELD = 10_000;

/** ioredis / BullMQ errors that mean "Redis did not answer", not "Redis refused this job". */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? '';
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code) ||
    /Stream isn't writeable|Connection is closed|connect ECONNREFUSED/.test(error.message)
  );
}

/**
 * Enqueues with a deterministic job id that failed because Redis was unreachable. Crons enqueue
 * once per period (the weekly evaluation once a week), so a refused enqueue would otherwise be
 * lost; the id makes adding it later safe (replicas holding the same job add it once). Held in
 * this process only: a restart before Redis is back loses them (see RELIABILITY.md).
 */
export class HeldEnqueues {
  private readonly held = new Map<string, HeldEnqueue>();
  private timer?: NodeJS.Timeout;
  private retrying = false;

  constructor(
    private readonly add: (job: HeldEnqueue) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.held.size;
  }

  /** false when the hold is full: the caller reports the failure as before. */
  hold(job: HeldEnqueue, error: unknown): boolean {
    if (!this.held.has(job.jobId) && this.held.size >= MAX_HELD) return false;
    if (this.held.size === 0) {
      this.logger.warn({ jobId: job.jobId, err: error }, 'Redis unreachable: holding enqueued jobs until it answers');
    }
    this.held.set(job.jobId, job);
    this.schedule();
    return true;
  }

  /** Shutdown: no more retries; returns how many jobs were never added. */
  stop(): number {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.size > 0) {
      const jobIds = [...this.held.keys()].slice(0, 20);
      this.logger.warn({ held: this.held.size, jobIds }, 'jobs held for Redis were never enqueued');
    }
    return this.held.size;
  }

  private schedule(): void {
    if (this.timer || this.retrying) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.retry();
    }, RETRY_MS);
    this.timer.unref();
  }

  /** In order; stops at the first sign that Redis is still away. */
  private async retry(): Promise<void> {
    this.retrying = true;
    let added = 0;
    try {
      for (const [jobId, job] of this.held) {
        try {
          await this.add(job);
          added++;
        } catch (error) {
          if (isRedisUnavailable(error)) break;
          this.logger.error({ jobId, job: job.definition.name, err: error }, 'held job refused by Redis; dropped');
        }
        this.held.delete(jobId);
      }
    } finally {
      this.retrying = false;
    }
    if (added > 0) this.logger.log({ added, stillHeld: this.held.size }, 'Redis answers again: held jobs enqueued');
    if (this.held.size > 0) this.schedule();
  }
}
