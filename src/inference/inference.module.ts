import { Module } from '@nestjs/common';
import { InferenceRuntime } from './inference-runtime';

/** The worker pool and batchers; imported by models/model-runner.module.ts only. */
@Module({ providers: [InferenceRuntime], exports: [InferenceRuntime] })
export class InferenceModule {}
