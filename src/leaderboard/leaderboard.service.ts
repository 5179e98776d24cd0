import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { notFound } from '../common/domain-error';
import { EvaluationSetEntity } from '../evaluation/evaluation-set.entity';
import { EvaluationSetRepository } from '../evaluation/evaluation-set.repository';
import { JobQueue } from '../infra/queue/job-queue';
import { ModelRegistry } from '../models/model-registry.service';
import { LeaderboardEntity } from './leaderboard.entity';
import { leaderboardJob } from './leaderboard.jobs';
import { LeaderboardMeasurer } from './leaderboard-measurer';
import { rankVersions, recommend } from './leaderboard-ranking';
import { LeaderboardRepository } from './leaderboard.repository';

/** Leaderboards: computed by a job (every live version scored and timed), stored, read with a recommendation. */
@Injectable()
export class LeaderboardService {
  private readonly logger = new Logger('Leaderboard');

  constructor(
    private readonly registry: ModelRegistry,
    private readonly sets: EvaluationSetRepository,
    private readonly boards: LeaderboardRepository,
    private readonly measurer: LeaderboardMeasurer,
    private readonly queue: JobQueue,
  ) {}

  async start(name: string, setId: string): Promise<LeaderboardEntity> {
    const set = await this.set(name, setId);
    const board = await this.boards.create({ id: randomUUID(), modelName: name, setId: set.id, setName: set.name });
    await this.queue.enqueue(leaderboardJob, { leaderboardId: board.id }, { jobId: `leaderboard-${board.id}` });
    return board;
  }

  /** The job's work; its outcome (entries or error) is stored on the row, never retried. */
  async run(id: string): Promise<void> {
    if (!(await this.boards.claim(id))) return; // done already, or picked up twice
    const board = (await this.boards.find(id))!;
    try {
      const live = (await this.registry.list(board.modelName)).filter((v) => v.role !== 'retired');
      if (live.length === 0) throw new Error(`model ${board.modelName} has no live version`);
      const measured = await this.measurer.measure(live, await this.sets.items(board.setId));
      const host = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
      await this.boards.complete(id, rankVersions(measured), host, new Date());
      this.logger.log({ model: board.modelName, set: board.setId, versions: live.length }, 'leaderboard measured');
    } catch (error) {
      await this.boards.fail(id, error instanceof Error ? error.message : String(error));
      this.logger.warn({ leaderboardId: id, err: error }, 'leaderboard failed');
    }
  }

  /** The latest stored leaderboard of the set, with the recommendation for the budget. */
  async latest(name: string, setId: string, budgetMs: number | null) {
    const set = await this.set(name, setId);
    const board = await this.boards.latest(name, set.id);
    if (!board)
      throw notFound(
        'leaderboard_not_measured',
        `no leaderboard of model ${name} on set ${set.id} has been measured yet; ` +
          `compute one with POST /v1/models/${name}/leaderboard {"set": "${set.id}"}`,
      );
    return { board, recommendation: recommend(board.entries!, budgetMs) };
  }

  /** The latest of every set (the dashboard's table). */
  async latestPerSet(name: string) {
    await this.knownModel(name);
    return (await this.boards.latestPerSet(name)).map((board) => ({
      board,
      recommendation: recommend(board.entries!, null),
    }));
  }

  async find(name: string, id: string): Promise<LeaderboardEntity> {
    const board = await this.boards.find(id);
    if (!board || board.modelName !== name)
      throw notFound('leaderboard_not_found', `model ${name} has no leaderboard ${id}`);
    return board;
  }

  private async set(name: string, setId: string): Promise<EvaluationSetEntity> {
    const sets = await this.sets.list(name);
    if (sets.length === 0) await this.knownModel(name);
    const set = sets.find((s) => s.id === setId);
    if (!set) throw notFound('evaluation_set_not_found', `model ${name} has no evaluation set ${setId}`);
    return set;
  }

  /** An unknown model is named as such rather than as a missing set. */
  private async knownModel(name: string): Promise<void> {
    if ((await this.registry.list(name)).length === 0) throw notFound('model_not_found', `no model named ${name}`);
  }
}
