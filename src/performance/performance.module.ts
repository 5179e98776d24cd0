import { Module } from '@nestjs/common';
import { EvaluationCoreModule } from '../evaluation/evaluation.module';
import { ModelsModule } from '../models/models.module';
import { ModelVersionsModule } from '../models/model-versions.module';
import { RecordingModule } from '../recording/recording.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CalibrationService } from './calibration.service';
import { LateLabelsRepository } from './late-labels.repository';
import { LateLabelsService } from './late-labels.service';
import { PerformanceCheckService } from './performance-check.service';
import { PerformanceController } from './performance.controller';
import { PerformanceEstimateModule } from './performance-estimate.module';
import { PerformanceJobHandlers, PerformanceScheduler } from './performance.jobs';
import { PerformanceReportService } from './performance-report.service';

const core = [
  CalibrationService,
  PerformanceCheckService,
  LateLabelsRepository,
  LateLabelsService,
  PerformanceJobHandlers,
];

/** Worker role: scheduled estimates (and their alert) and late-label re-evaluations. */
@Module({
  imports: [PerformanceEstimateModule, EvaluationCoreModule, WebhooksModule, ModelVersionsModule, RecordingModule],
  providers: core,
  exports: core,
})
export class PerformanceCoreModule {}

/** API role: calibration, the performance report, estimate-now, and the scheduler that enqueues the jobs. */
@Module({
  imports: [PerformanceCoreModule, PerformanceEstimateModule, ModelsModule, RecordingModule],
  controllers: [PerformanceController],
  providers: [PerformanceReportService, PerformanceScheduler],
})
export class PerformanceModule {}
