import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { BullmqJobQueue } from './bullmq-job-queue';
import { InlineJobQueue } from './inline-job-queue';
import { JobQueue } from './job-queue';
import { JobRegistry } from './job-registry';
import { RedisProbe } from './redis-probe';

@Global()
@Module({})
export class QueueModule {
  /** `consume`: this process runs BullMQ workers (the worker role, or the API with JOBS_IN_API). */
  static forRoot(options: { consume: boolean }): DynamicModule {
    return {
      module: QueueModule,
      providers: [
        JobRegistry,
        RedisProbe,
        {
          provide: JobQueue,
          inject: [JobRegistry, AppConfig],
          useFactory: (registry: JobRegistry, config: AppConfig) =>
            config.REDIS_URL
              ? new BullmqJobQueue(registry, config, options.consume)
              : new InlineJobQueue(registry, config),
        },
      ],
      exports: [JobQueue, JobRegistry, RedisProbe],
    };
  }
}
