import { Injectable, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { z } from 'zod';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../infra/queue/job-queue';
import { JobRegistry } from '../infra/queue/job-registry';
import { defineJob, QueueName } from '../infra/queue/jobs';
import { ModelVersionRepository } from '../models/model-version.repository';
import { PerVersionSlotScheduler } from '../models/per-version-scheduler';
import { DriftCheckService } from './drift-check.service';

export const driftCheckJob = defineJob({
  name: 'drift.check',
  queue: QueueName.Drift,
  payload: z.object({ modelVersionId: z.uuid(), at: z.iso.datetime() }),
});

/** Runs scheduled drift checks wherever jobs are consumed. */
@Injectable()
export class DriftCheckHandler implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly versions: ModelVersionRepository,
    private readonly checks: DriftCheckService,
  ) {}

  onModuleInit(): void {
    this.registry.handle(driftCheckJob, async ({ modelVersionId, at }) => {
      const model = await this.versions.findById(modelVersionId);
      if (!model || model.role === 'retired') return;
      await this.checks.check(model, new Date(at));
    });
  }
}

/**
 * API role only: every DRIFT_CHECK_INTERVAL_MS, one job per active model version with a
 * deterministic id (version + time slot), so replicas enqueue the same check once. No logic here.
 */
@Injectable()
export class DriftScheduler extends PerVersionSlotScheduler {
  constructor(
    private readonly queue: JobQueue,
    versions: ModelVersionRepository,
    schedules: SchedulerRegistry,
    config: AppConfig,
  ) {
    super(versions, schedules, 'drift.check', config.DRIFT_CHECK_INTERVAL_MS);
  }

  protected async enqueueFor(modelVersionId: string, at: string, slot: number): Promise<void> {
    await this.queue.enqueue(driftCheckJob, { modelVersionId, at }, { jobId: `drift-${modelVersionId}-${slot}` });
  }
}
