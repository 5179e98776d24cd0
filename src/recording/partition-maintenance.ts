import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { z } from 'zod';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../infra/queue/job-queue';
import { JobRegistry } from '../infra/queue/job-registry';
import { defineJob, QueueName } from '../infra/queue/jobs';
import { PredictionRepository, utcDay } from './prediction.repository';

const DAY_MS = 24 * 3600 * 1000;
// Yesterday (late rows, clock skew) through three days ahead: a missed day of jobs changes nothing.
const DAYS_BEHIND = 1;
const DAYS_AHEAD_TOTAL = 5;

export const partitionMaintenanceJob = defineJob({
  name: 'maintenance.partitions',
  queue: QueueName.Maintenance,
  payload: z.object({}),
});

/** Job id per UTC hour, so every replica's cron and bootstrap enqueue the same job once. */
export function partitionJobId(at: Date): string {
  // BullMQ rejects ':' in custom ids.
  return `maintenance.partitions-${at.toISOString().slice(0, 13)}`;
}

/** Keeps daily prediction partitions ahead of time and drops those past retention. */
@Injectable()
export class PartitionMaintenance implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('PartitionMaintenance');

  constructor(
    private readonly repository: PredictionRepository,
    private readonly registry: JobRegistry,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.handle(partitionMaintenanceJob, () => this.run(new Date()));
  }

  /** Partitions exist before the first request; failures only mean rows land in the default partition. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.ensurePartitions(new Date());
    } catch (error) {
      this.logger.warn({ err: error }, 'could not create prediction partitions at start; the job retries');
    }
    await this.enqueue();
  }

  @Cron(CronExpression.EVERY_HOUR)
  async enqueue(): Promise<void> {
    const jobId = partitionJobId(new Date());
    await this.queue
      .enqueue(partitionMaintenanceJob, {}, { jobId })
      .catch((error: unknown) => this.logger.warn({ jobId, err: error }, 'could not enqueue partition maintenance'));
  }

  async run(now: Date): Promise<void> {
    const created = await this.ensurePartitions(now);
    const cutoff = new Date(now.getTime() - this.config.PREDICTION_RETENTION_DAYS * DAY_MS);
    const dropped = await this.repository.dropPartitionsBefore(cutoff);
    if (created.length || dropped.length) {
      this.logger.log({ created, dropped, cutoff: cutoff.toISOString() }, 'prediction partitions maintained');
    }
  }

  private ensurePartitions(now: Date): Promise<string[]> {
    const from = new Date(utcDay(now).getTime() - DAYS_BEHIND * DAY_MS);
    return this.repository.ensureDailyPartitions(from, DAYS_AHEAD_TOTAL);
  }
}
