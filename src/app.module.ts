import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { LoggingModule } from './common/logging.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DriftCoreModule, DriftModule } from './drift/drift.module';
import { EnsemblesModule } from './ensembles/ensembles.module';
import { EvaluationCoreModule, EvaluationModule } from './evaluation/evaluation.module';
import { ExperimentsCoreModule, ExperimentsModule } from './experiments/experiments.module';
import { FeedbackModule } from './feedback/feedback.module';
import { HealthModule } from './health/health.module';
import { LeaderboardCoreModule, LeaderboardModule } from './leaderboard/leaderboard.module';
import { DatabaseModule } from './infra/database/database.module';
import { QueueModule } from './infra/queue/queue.module';
import { MetricsModule } from './metrics/metrics.module';
import { PerformanceCoreModule, PerformanceModule } from './performance/performance.module';
import { RecordingModule } from './recording/recording.module';
import { QuantizationCoreModule, QuantizationModule } from './quantization/quantization.module';
import { ServingModule } from './serving/serving.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export type ProcessRole = 'api' | 'worker';

/** The same feature modules for both processes; the role decides HTTP, cron and consumers. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, role: ProcessRole): DynamicModule {
    const consumesJobs = role === 'worker' || config.JOBS_IN_API;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule.forRoot({ migrate: true }),
        QueueModule.forRoot({ consume: consumesJobs }),
        MetricsModule,
        RecordingModule,
        WebhooksModule,
        ...(role === 'api'
          ? [
              ScheduleModule.forRoot(),
              AuthModule,
              HealthModule,
              ServingModule,
              FeedbackModule,
              DriftModule,
              EvaluationModule,
              PerformanceModule,
              ExperimentsModule,
              EnsemblesModule,
              QuantizationModule,
              LeaderboardModule,
              DashboardModule,
            ]
          : [
              DriftCoreModule,
              EvaluationCoreModule,
              PerformanceCoreModule,
              ExperimentsCoreModule,
              QuantizationCoreModule,
              LeaderboardCoreModule,
            ]),
      ],
      providers: role === 'api' ? [{ provide: APP_FILTER, useClass: AllExceptionsFilter }] : [],
    };
  }
}
