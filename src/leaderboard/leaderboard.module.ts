import { Module } from '@nestjs/common';
import { EvaluationCoreModule } from '../evaluation/evaluation.module';
import { ModelRunnerModule } from '../models/model-runner.module';
import { ModelStore } from '../models/model-store';
import { ModelsModule } from '../models/models.module';
import { LeaderboardController } from './leaderboard.controller';
import { LeaderboardHandler } from './leaderboard.handler';
import { LeaderboardMeasurer } from './leaderboard-measurer';
import { LeaderboardRepository } from './leaderboard.repository';
import { LeaderboardService } from './leaderboard.service';

/** Worker role: the leaderboard job handler (scores and times versions, so the runtime too). */
@Module({
  imports: [ModelsModule, ModelRunnerModule, EvaluationCoreModule],
  providers: [LeaderboardRepository, LeaderboardMeasurer, LeaderboardService, LeaderboardHandler, ModelStore],
  exports: [LeaderboardService],
})
export class LeaderboardCoreModule {}

/** API role: start a computation, read the latest leaderboard of a set. */
@Module({
  imports: [LeaderboardCoreModule],
  controllers: [LeaderboardController],
})
export class LeaderboardModule {}
