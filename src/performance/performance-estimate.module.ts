import { Module } from '@nestjs/common';
import { RecordingModule } from '../recording/recording.module';
import { AccuracyEstimator } from './accuracy-estimator';
import { CalibrationRepository } from './calibration.repository';
import { EstimateStatuses } from './estimate-status';
import { PerformanceEstimateRepository } from './performance-estimate.repository';
import { WindowDataRepository } from './window-data.repository';

const providers = [
  CalibrationRepository,
  WindowDataRepository,
  PerformanceEstimateRepository,
  AccuracyEstimator,
  EstimateStatuses,
];

/** The estimate itself (no evaluation, no webhooks): what evaluations and the drift status read. */
@Module({ imports: [RecordingModule], providers, exports: providers })
export class PerformanceEstimateModule {}
