import { Module } from '@nestjs/common';
import { PartitionMaintenance } from './partition-maintenance';
import { PredictionLogWriter } from './prediction-log.writer';
import { PredictionRepository } from './prediction.repository';

@Module({
  providers: [PredictionRepository, PredictionLogWriter, PartitionMaintenance],
  exports: [PredictionRepository, PredictionLogWriter],
})
export class PredictionsModule {}
