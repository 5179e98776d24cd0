import { Module } from '@nestjs/common';
import { HistogramAggregator } from './histogram-aggregator';
import { HistogramRepository } from './histogram.repository';
import { PartitionMaintenance } from './partition-maintenance';
import { PredictionLogWriter } from './prediction-log.writer';
import { TrafficRecorder } from './traffic-recorder';
import { PredictionRepository } from './prediction.repository';

/** What the serving path records: one row per prediction and the histogram counts of its inputs and outputs. */
@Module({
  providers: [
    PredictionRepository,
    PredictionLogWriter,
    PartitionMaintenance,
    HistogramRepository,
    HistogramAggregator,
    TrafficRecorder,
  ],
  exports: [PredictionRepository, PredictionLogWriter, HistogramRepository, HistogramAggregator, TrafficRecorder],
})
export class RecordingModule {}
