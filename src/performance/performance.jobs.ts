import { Injectable, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { z } from 'zod';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../infra/queue/job-queue';
import { JobRegistry } from '../infra/queue/job-registry';
import { defineJob, QueueName } from '../infra/queue/jobs';
import { ModelVersionRepository } from '../models/model-version.repository';
import { PerVersionSlotScheduler } from '../models/per-version-scheduler';
import { LateLabelsService } from './late-labels.service';
import { PerformanceCheckService } from './performance-check.service';

const payload = z.object({ modelVersionId: z.uuid(), at: z.iso.datetime() });

export const performanceCheckJob = defineJob({ name: 'performance.check', queue: QueueName.Evaluation, payload });
export const lateLabelsJob = defineJob({ name: 'labels.late', queue: QueueName.Evaluation, payload });

/** Runs the scheduled accuracy estimates and late-label checks wherever jobs are consumed. */
@Injectable()
export class PerformanceJobHandlers implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly versions: ModelVersionRepository,
    private readonly checks: PerformanceCheckService,
    private readonly lateLabels: LateLabelsService,
  ) {}

  onModuleInit(): void {
    this.registry.handle(performanceCheckJob, async ({ modelVersionId, at }) => {
      const version = await this.versions.findById(modelVersionId);
      if (version && version.role !== 'retired') await this.checks.check(version, new Date(at));
    });
    this.registry.handle(lateLabelsJob, async ({ modelVersionId, at }) => {
      const version = await this.versions.findById(modelVersionId);
      if (version && version.role !== 'retired') await this.lateLabels.check(version, new Date(at));
    });
  }
}

/**
 * API role only, beside the drift checks and on their interval: one estimate and one late-label job
 * per active version and time slot, with deterministic ids so replicas enqueue each once. No logic here.
 */
@Injectable()
export class PerformanceScheduler extends PerVersionSlotScheduler {
  constructor(
    private readonly queue: JobQueue,
    versions: ModelVersionRepository,
    schedules: SchedulerRegistry,
    config: AppConfig,
  ) {
    super(versions, schedules, 'performance.check', config.DRIFT_CHECK_INTERVAL_MS);
  }

  protected async enqueueFor(modelVersionId: string, at: string, slot: number): Promise<void> {
    const payload = { modelVersionId, at };
    await this.queue.enqueue(performanceCheckJob, payload, { jobId: `performance-${modelVersionId}-${slot}` });
    await this.queue.enqueue(lateLabelsJob, payload, { jobId: `late-labels-${modelVersionId}-${slot}` });
  }
}
