import { Module } from '@nestjs/common';
import { uploadsModule } from '../common/upload-limits';
import { DriftCoreModule } from '../drift/drift.module';
import { ModelRunnerModule } from '../models/model-runner.module';
import { ModelsModule } from '../models/models.module';
import { PerformanceEstimateModule } from '../performance/performance-estimate.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { EvaluationController } from './evaluation.controller';
import { EvaluationScheduler, WeeklyEvaluationHandler } from './evaluation.jobs';
import { EvaluationRecordsWriter } from './evaluation-records.writer';
import { EvaluationSetRepository } from './evaluation-set.repository';
import { EvaluationSetService } from './evaluation-set.service';
import { EvaluationRepository } from './evaluation.repository';
import { EvaluationService } from './evaluation.service';
import { SetScorer } from './set-scorer';

const core = [
  EvaluationRepository,
  EvaluationSetRepository,
  SetScorer,
  EvaluationRecordsWriter,
  EvaluationService,
  WeeklyEvaluationHandler,
];

/** Worker role: the weekly evaluation job handler (sets are scored here, so the model runner too). */
@Module({
  imports: [ModelsModule, ModelRunnerModule, DriftCoreModule, WebhooksModule, PerformanceEstimateModule],
  providers: core,
  exports: core,
})
export class EvaluationCoreModule {}

/** API role: sets, manual evaluations, history and the cron that enqueues the weekly jobs. */
@Module({
  imports: [EvaluationCoreModule, ModelsModule, uploadsModule()],
  controllers: [EvaluationController],
  providers: [EvaluationSetService, EvaluationScheduler],
})
export class EvaluationModule {}
