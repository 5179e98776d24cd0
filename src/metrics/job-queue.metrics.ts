import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { JobQueue } from '../infra/queue/job-queue';
import { QueueName } from '../infra/queue/jobs';
import { CachedRead } from './cached-read';
import { MetricsService } from './metrics.service';

const OUTCOMES = ['completed', 'failed'] as const;
const COUNTS_TTL_MS = 5000;
const COUNTS_TIMEOUT_MS = 1000;

/** Jobs per queue and state (BullMQ's counts in Redis, or the inline driver's), and this process's attempts. */
@Injectable()
export class JobQueueMetrics {
  private readonly logger = new Logger('JobQueueMetrics');

  constructor(metrics: MetricsService, jobs: JobQueue) {
    const counts = new CachedRead(() => jobs.jobCounts(), {
      ttlMs: COUNTS_TTL_MS,
      timeoutMs: COUNTS_TIMEOUT_MS,
      initial: {} as Record<QueueName, Record<string, number | undefined>>,
      onError: (error) => {
        metrics.stateReadErrors.inc({ source: 'job_queue' });
        this.logger.warn({ err: error }, 'metrics: reading job counts failed; serving the last values');
      },
    });
    new Gauge({
      name: 'vigil_queue_jobs',
      help: 'Jobs per queue and state. BullMQ: counts in Redis (completed and failed: those still retained). Inline driver: waiting and active in this process',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        const snapshot = await counts.get();
        this.reset();
        for (const [queue, states] of Object.entries(snapshot)) {
          for (const [state, count] of Object.entries(states)) this.set({ queue, state }, count ?? 0);
        }
      },
    });
    new Counter({
      name: 'vigil_job_attempts_total',
      help: 'Job attempts this process ran, by queue and outcome (completed, failed); a retry is another attempt',
      labelNames: ['queue', 'outcome'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        // Every queue from the start: rate() needs a series before its first attempt.
        for (const queue of Object.values(QueueName)) for (const outcome of OUTCOMES) this.inc({ queue, outcome }, 0);
        for (const { queue, outcome, count } of jobs.attemptCounts()) this.inc({ queue, outcome }, count);
      },
    });
  }
}
