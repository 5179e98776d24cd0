import { Module } from '@nestjs/common';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { InferenceRuntime } from './inference-runtime';

@Module({ imports: [MonitoringModule], providers: [InferenceRuntime], exports: [InferenceRuntime] })
export class InferenceModule {}
