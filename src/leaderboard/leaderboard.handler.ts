import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../infra/queue/job-registry';
import { leaderboardJob } from './leaderboard.jobs';
import { LeaderboardService } from './leaderboard.service';

/** Runs leaderboard computations wherever jobs are consumed. */
@Injectable()
export class LeaderboardHandler implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly service: LeaderboardService,
  ) {}

  onModuleInit(): void {
    this.registry.handle(leaderboardJob, ({ leaderboardId }) => this.service.run(leaderboardId));
  }
}
