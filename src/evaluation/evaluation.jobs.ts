import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { z } from 'zod';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../infra/queue/job-queue';
import { JobRegistry } from '../infra/queue/job-registry';
import { defineJob, QueueName } from '../infra/queue/jobs';
import { ModelVersionRepository } from '../models/model-version.repository';
import { EvaluationService } from './evaluation.service';
import { previousWeek } from './stats';

export const weeklyEvaluationJob = defineJob({
  name: 'evaluation.weekly',
  queue: QueueName.Evaluation,
  payload: z.object({
    modelName: z.string().min(1),
    isoWeek: z.string().regex(/^\d{4}-W\d{2}$/),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
  }),
});

/** Runs the weekly evaluation of a model's champion wherever jobs are consumed. */
@Injectable()
export class WeeklyEvaluationHandler implements OnModuleInit {
  private readonly logger = new Logger('WeeklyEvaluation');

  constructor(
    private readonly registry: JobRegistry,
    private readonly versions: ModelVersionRepository,
    private readonly evaluations: EvaluationService,
  ) {}

  onModuleInit(): void {
    this.registry.handle(weeklyEvaluationJob, async ({ modelName, isoWeek, from, to }) => {
      const champion = await this.versions.champion(modelName);
      if (!champion) return;
      try {
        await this.evaluations.evaluate(champion, { kind: 'weekly', isoWeek, from: new Date(from), to: new Date(to) });
      } catch (error) {
        // Nothing to evaluate is an outcome, not a failure worth retrying.
        if ((error as { code?: string }).code !== 'no_labels') throw error;
        this.logger.log({ model: modelName, isoWeek }, 'nothing to evaluate this week');
      }
    });
  }
}

/**
 * API role only: on EVAL_CRON (UTC) one job per model with a champion, id = model + ISO week, so
 * replicas enqueue the same evaluation once. No logic here; the database enforces it again.
 */
@Injectable()
export class EvaluationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EvaluationScheduler');
  private job?: CronJob;

  constructor(
    private readonly queue: JobQueue,
    private readonly versions: ModelVersionRepository,
    private readonly schedules: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.EVAL_SCHEDULE_ENABLED) return;
    this.job = CronJob.from({
      cronTime: this.config.EVAL_CRON,
      timeZone: 'UTC',
      onTick: () => void this.enqueueWeekly().catch((err: unknown) => this.logger.error({ err }, 'enqueue failed')),
    });
    this.schedules.addCronJob('evaluation.weekly', this.job);
    this.job.start();
  }

  onApplicationShutdown(): void {
    void this.job?.stop();
  }

  async enqueueWeekly(now = new Date()): Promise<void> {
    const week = previousWeek(now);
    const payload = { isoWeek: week.week, from: week.from.toISOString(), to: week.to.toISOString() };
    const champions = (await this.versions.active()).filter((v) => v.role === 'champion');
    for (const model of champions) {
      await this.queue.enqueue(
        weeklyEvaluationJob,
        { modelName: model.name, ...payload },
        { jobId: `evaluation-${model.name}-${week.week}` },
      );
    }
  }
}
