import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { RequestContext } from '../../common/request-context';
import { JobQueue } from './job-queue';
import { JobRegistry } from './job-registry';
import { EnqueueOptions, JobDefinition, JobEnvelope, QueueName } from './jobs';
import { redisConnectionOptions } from './redis-connection';
import { InvalidJobPayloadError, runJob, UnknownJobError } from './run-job';

const DAY_S = 24 * 3600;

/** BullMQ on Redis. Producers everywhere; consumers only where `consume` is set (worker role). */
@Injectable()
export class BullmqJobQueue extends JobQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('BullmqJobQueue');
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
    private readonly consume: boolean,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (!this.consume) return;
    for (const queue of this.registry.queues()) this.startWorker(queue);
    this.logger.log(`consuming queues: ${this.registry.queues().join(', ') || '(none registered)'}`);
  }

  async enqueue<P>(definition: JobDefinition<P>, payload: P, options: EnqueueOptions = {}): Promise<void> {
    const envelope: JobEnvelope = { payload, requestId: RequestContext.requestId() };
    await this.queue(definition.queue).add(definition.name, envelope, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: definition.attempts ?? this.config.JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: definition.backoffMs ?? this.config.JOB_BACKOFF_MS },
      // Completed ids are kept a while so a deterministic id cannot run twice in that window.
      removeOnComplete: { age: 8 * DAY_S, count: 10_000 },
      removeOnFail: { age: 30 * DAY_S },
    });
  }

  async depth(): Promise<Record<string, number>> {
    const depth: Record<string, number> = {};
    for (const [name, queue] of this.queues) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      depth[name] = Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return depth;
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Workers first: close() waits for active jobs to finish.
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisConnectionOptions(this.config.REDIS_URL!, 'producer'),
        prefix: this.config.QUEUE_PREFIX,
      });
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private startWorker(name: QueueName): void {
    const worker = new Worker(name, (job: Job<JobEnvelope>) => this.process(job), {
      connection: redisConnectionOptions(this.config.REDIS_URL!, 'worker'),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: 4,
    });
    worker.on('error', (error) => this.logger.warn(`worker ${name}: ${error.message}`));
    this.workers.push(worker);
    this.queue(name);
  }

  private async process(job: Job<JobEnvelope>): Promise<void> {
    const context = { jobId: job.id ?? 'unknown', attempt: job.attemptsMade + 1, requestId: job.data.requestId };
    try {
      await runJob(this.registry, this.logger, job.name, job.data, context);
    } catch (error) {
      if (error instanceof InvalidJobPayloadError || error instanceof UnknownJobError) {
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }
}
