import { Module } from '@nestjs/common';
import { HistogramAggregator } from './histogram-aggregator';
import { HistogramRepository } from './histogram.repository';

@Module({
  providers: [HistogramRepository, HistogramAggregator],
  exports: [HistogramRepository, HistogramAggregator],
})
export class MonitoringModule {}
