import { Module } from '@nestjs/common';
import { ModelRunnerModule } from '../models/model-runner.module';
import { ModelsModule } from '../models/models.module';
import { RecordingModule } from '../recording/recording.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ArmErrorRecorder } from './arm-error-recorder';
import { ExperimentAnalyser } from './experiment-analyser.service';
import { ExperimentController } from './experiment.controller';
import { ExperimentEventsFactory } from './experiment-events';
import { ExperimentAnalysisHandler, ExperimentScheduler } from './experiment.jobs';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentRouter } from './experiment-router';
import { ExperimentService } from './experiment.service';

const core = [
  ExperimentRepository,
  ExperimentRouter,
  ExperimentEventsFactory,
  ExperimentAnalyser,
  ExperimentAnalysisHandler,
  ArmErrorRecorder,
];

/** Worker role: analyses; API role adds routing users (serving), the HTTP API and the schedule. */
@Module({
  imports: [ModelsModule, ModelRunnerModule, RecordingModule, WebhooksModule],
  providers: core,
  exports: core,
})
export class ExperimentsCoreModule {}

@Module({
  imports: [ExperimentsCoreModule, ModelsModule, ModelRunnerModule, WebhooksModule],
  controllers: [ExperimentController],
  providers: [ExperimentService, ExperimentScheduler],
})
export class ExperimentsModule {}
