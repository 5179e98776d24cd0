import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody, ApiModelParams, ApiQueryFrom, ApiResult } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import { leaderboardJobView, leaderboardListView, leaderboardView } from '../openapi/schemas/leaderboard.schemas';
import { computeLeaderboardSchema, leaderboardQuerySchema } from './leaderboard.dto';
import { LeaderboardService } from './leaderboard.service';
import { jobView, leaderboardViewOf } from './leaderboard.views';

@ApiTags('Models')
@Controller('v1/models/:name')
export class LeaderboardController {
  constructor(private readonly leaderboards: LeaderboardService) {}

  @Post('leaderboard')
  @HttpCode(202)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Compute a leaderboard on an evaluation set',
    description:
      'A job scores every live version (plain, INT8 variant, ensemble) on the set and times each through the ' +
      'inference worker pool on this host (batch 1 and 32). Poll GET .../leaderboards/{id}; the result is ' +
      'read with GET .../leaderboard?set=.',
  })
  @ApiModelParams()
  @ApiJsonBody(requestRef('ComputeLeaderboardRequest', computeLeaderboardSchema))
  @ApiResult(202, leaderboardJobView, 'The job, queued')
  @ApiErrors(400, 404)
  async compute(@Param('name') name: string, @Body() body: unknown) {
    const { set } = parseInput(computeLeaderboardSchema, body ?? {});
    return jobView(await this.leaderboards.start(name, set));
  }

  @Get('leaderboard')
  @RequireScope('read')
  @ApiOperation({
    summary: 'The latest leaderboard on an evaluation set',
    description:
      'Every live version ranked by top-1 accuracy: top-1 (and top-5) with Wilson intervals, McNemar against ' +
      'the champion on the same items, p50/p99 latency at batch 1 and images/s at batch 32 as measured at ' +
      '`measuredAt`, file size, parameters, provider. `recommend`: the most accurate version whose p99 at ' +
      'batch 1 is within `latency_budget_ms` and that beats the champion significantly (higher top-1, McNemar ' +
      'p < 0.05), else the champion, with the reason.',
  })
  @ApiModelParams()
  @ApiQueryFrom(leaderboardQuerySchema)
  @ApiResult(200, leaderboardView, 'The leaderboard and the recommendation for the budget')
  @ApiErrors(400, 404)
  async latest(@Param('name') name: string, @Query() query: unknown) {
    const { set, latency_budget_ms: budget } = parseInput(leaderboardQuerySchema, query, 'query');
    const { board, recommendation } = await this.leaderboards.latest(name, set, budget ?? null);
    return leaderboardViewOf(board, recommendation);
  }

  @Get('leaderboards')
  @RequireScope('read')
  @ApiOperation({ summary: 'The latest leaderboard of every evaluation set (recommendation without a budget)' })
  @ApiModelParams()
  @ApiResult(200, leaderboardListView, 'Most recently measured first')
  @ApiErrors(404)
  async list(@Param('name') name: string) {
    const latest = await this.leaderboards.latestPerSet(name);
    return { leaderboards: latest.map(({ board, recommendation }) => leaderboardViewOf(board, recommendation)) };
  }

  @Get('leaderboards/:id')
  @RequireScope('read')
  @ApiOperation({ summary: 'Progress of a leaderboard computation' })
  @ApiModelParams()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResult(200, leaderboardJobView, 'The job; once completed, read the result with GET .../leaderboard?set=')
  @ApiErrors(400, 404)
  async job(@Param('name') name: string, @Param('id', new ParseUUIDPipe()) id: string) {
    return jobView(await this.leaderboards.find(name, id));
  }
}
