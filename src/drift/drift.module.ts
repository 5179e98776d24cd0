import { Module } from '@nestjs/common';
import { uploadsModule } from '../common/upload-limits';
import { ModelRunnerModule } from '../models/model-runner.module';
import { ModelsModule } from '../models/models.module';
import { ModelVersionsModule } from '../models/model-versions.module';
import { RecordingModule } from '../recording/recording.module';
import { PerformanceEstimateModule } from '../performance/performance-estimate.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DriftAlerts } from './drift-alerts';
import { DriftCheckService } from './drift-check.service';
import { DriftController } from './drift.controller';
import { DriftCheckHandler, DriftScheduler } from './drift.jobs';
import { DriftReferenceService } from './drift-reference.service';
import { DriftRepository } from './drift.repository';
import { EdgesSync } from './edges-sync';

const core = [DriftRepository, DriftCheckService, DriftAlerts, DriftCheckHandler];

/** Worker role: the check job handler only. */
@Module({ imports: [ModelVersionsModule, RecordingModule, WebhooksModule], providers: core, exports: core })
export class DriftCoreModule {}

/** API role: references, status endpoints and the scheduler that enqueues checks. */
@Module({
  imports: [
    DriftCoreModule,
    ModelsModule,
    ModelRunnerModule,
    RecordingModule,
    PerformanceEstimateModule,
    uploadsModule(),
  ],
  controllers: [DriftController],
  providers: [DriftReferenceService, DriftScheduler, EdgesSync],
})
export class DriftModule {}
