import { Global, Module } from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { JobQueueMetrics } from './job-queue.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { StoredStateMetrics } from './stored-state.metrics';
import { StoredStateRepository } from './stored-state.repository';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, HttpMetricsMiddleware, StoredStateRepository, StoredStateMetrics, JobQueueMetrics],
  exports: [MetricsService],
})
export class MetricsModule {}
