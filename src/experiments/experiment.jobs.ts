import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { z } from 'zod';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../infra/queue/job-queue';
import { JobRegistry } from '../infra/queue/job-registry';
import { defineJob, QueueName } from '../infra/queue/jobs';
import { scheduleEvery } from '../infra/schedule/schedules';
import { ExperimentAnalyser } from './experiment-analyser.service';
import { ExperimentRepository } from './experiment.repository';

export const experimentAnalysisJob = defineJob({
  name: 'experiment.analyse',
  queue: QueueName.Experiments,
  payload: z.object({ experimentId: z.uuid() }),
});

/** Analyses a running experiment wherever jobs are consumed. */
@Injectable()
export class ExperimentAnalysisHandler implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly experiments: ExperimentRepository,
    private readonly analyser: ExperimentAnalyser,
  ) {}

  onModuleInit(): void {
    this.registry.handle(experimentAnalysisJob, async ({ experimentId }) => {
      const experiment = await this.experiments.findById(experimentId);
      if (!experiment || experiment.status !== 'running') return;
      await this.analyser.analyse(experiment);
    });
  }
}

/**
 * API role only: every EXPERIMENT_ANALYSIS_INTERVAL_MS, one job per running experiment with a
 * deterministic id (experiment + time slot), so replicas enqueue the same analysis once.
 */
@Injectable()
export class ExperimentScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ExperimentScheduler');

  constructor(
    private readonly queue: JobQueue,
    private readonly experiments: ExperimentRepository,
    private readonly schedules: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.EXPERIMENT_ANALYSIS_INTERVAL_MS;
    scheduleEvery(this.schedules, 'experiments.analyse', every, () => this.enqueueAnalyses(), this.logger);
  }

  async enqueueAnalyses(now = new Date()): Promise<void> {
    const slot = Math.floor(now.getTime() / this.config.EXPERIMENT_ANALYSIS_INTERVAL_MS);
    for (const experiment of await this.experiments.running()) {
      await this.queue.enqueue(
        experimentAnalysisJob,
        { experimentId: experiment.id },
        { jobId: `experiment-${experiment.id}-${slot}` },
      );
    }
  }
}
