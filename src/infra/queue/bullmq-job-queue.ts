import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { RequestContext } from '../../common/request-context';
import { JobCounts, JobQueue } from './job-queue';
import { HeldEnqueue, HeldEnqueues, isRedisUnavailable } from './held-enqueues';
import { JobRegistry } from './job-registry';
import { EnqueueOptions, JobDefinition, JobEnvelope, QueueName } from './jobs';
import { redisConnectionOptions } from './redis-connection';
import { InvalidJobPayloadError, runJob, UnknownJobError } from './run-job';

const DAY_S = 24 * 3600;
// During an outage every reconnect attempt reports the same error: once per source per interval.
const CONNECTION_WARNING_INTERVAL_MS = 30_000;

type Enqueue = Omit<HeldEnqueue, 'jobId'> & { jobId?: string };

/** BullMQ on Redis. Producers everywhere; consumers only where `consume` is set (worker role). */
@Injectable()
export class BullmqJobQueue extends JobQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('BullmqJobQueue');
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private closing = false;
  private readonly held = new HeldEnqueues((job) => this.add(job), this.logger);
  private readonly warned = new Map<string, { at: number; repeated: number }>();

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

  /**
   * With Redis unreachable, a job with a deterministic id is held in memory and added once Redis
   * answers (HeldEnqueues); the call succeeds. Any other failure rejects, as before.
   */
  async enqueue<P>(definition: JobDefinition<P>, payload: P, options: EnqueueOptions = {}): Promise<void> {
    const envelope: JobEnvelope = { payload, requestId: RequestContext.requestId() };
    const dueAt = Date.now() + (options.delayMs ?? 0);
    const job = { definition: definition as JobDefinition<unknown>, envelope, jobId: options.jobId, dueAt };
    try {
      await this.add(job);
    } catch (error) {
      // Only a deterministic id makes adding it later safe: a random one could run twice.
      if (this.closing || job.jobId === undefined || !isRedisUnavailable(error)) throw error;
      if (!this.held.hold({ ...job, jobId: job.jobId }, error)) throw error;
    }
  }

  async depth(): Promise<Record<string, number>> {
    const depth: Record<string, number> = {};
    for (const [name, queue] of this.queues) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      depth[name] = Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return depth;
  }

  async jobCounts(): Promise<Record<QueueName, JobCounts>> {
    if (this.closing) throw new Error('job queue is shutting down');
    const queues = Object.values(QueueName);
    const counts = await Promise.all(queues.map((name) => this.queue(name).getJobCounts()));
    return Object.fromEntries(queues.map((name, i) => [name, counts[i]])) as Record<QueueName, JobCounts>;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.held.stop();
    // Workers first: close() waits for active jobs to finish.
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
  }

  private async add({ definition, envelope, jobId, dueAt }: Enqueue): Promise<void> {
    const delay = dueAt - Date.now();
    await this.queue(definition.queue).add(definition.name, envelope, {
      jobId,
      delay: delay > 0 ? delay : undefined,
      attempts: definition.attempts ?? this.config.JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: definition.backoffMs ?? this.config.JOB_BACKOFF_MS },
      // Completed ids are kept a while so a deterministic id cannot run twice in that window.
      removeOnComplete: { age: 8 * DAY_S, count: 10_000 },
      removeOnFail: { age: 30 * DAY_S },
    });
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisConnectionOptions(this.config.REDIS_URL!, 'producer'),
        prefix: this.config.QUEUE_PREFIX,
      });
      queue.on('error', (error) => this.connectionWarning(`queue ${name}`, error));
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
    worker.on('error', (error) => this.connectionWarning(`worker ${name}`, error));
    this.workers.push(worker);
    this.queue(name);
  }

  private connectionWarning(source: string, error: Error): void {
    const now = Date.now();
    const last = this.warned.get(source);
    if (last && now - last.at < CONNECTION_WARNING_INTERVAL_MS) {
      last.repeated++;
      return;
    }
    this.warned.set(source, { at: now, repeated: 0 });
    this.logger.warn({ repeatedSinceLast: last?.repeated ?? 0 }, `${source}: ${error.message}`);
  }

  private async process(job: Job<JobEnvelope>): Promise<void> {
    const context = { jobId: job.id ?? 'unknown', attempt: job.attemptsMade + 1, requestId: job.data.requestId };
    try {
      await runJob(this.registry, this.logger, job.name, job.data, context);
      this.recordAttempt(job.queueName as QueueName, 'completed');
    } catch (error) {
      this.recordAttempt(job.queueName as QueueName, 'failed');
      if (error instanceof InvalidJobPayloadError || error instanceof UnknownJobError) {
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }
}
