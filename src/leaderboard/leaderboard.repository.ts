import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { LeaderboardEntity, MeasuringHost } from './leaderboard.entity';
import type { LeaderboardEntry } from './leaderboard-ranking';

@Injectable()
export class LeaderboardRepository {
  private readonly boards: Repository<LeaderboardEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.boards = dataSource.getRepository(LeaderboardEntity);
  }

  create(board: Pick<LeaderboardEntity, 'id' | 'modelName' | 'setId' | 'setName'>): Promise<LeaderboardEntity> {
    return this.boards.save(
      this.boards.create({ ...board, status: 'queued', entries: null, host: null, error: null, measuredAt: null }),
    );
  }

  find(id: string): Promise<LeaderboardEntity | null> {
    return this.boards.findOneBy({ id });
  }

  /** Claims a queued computation; false when another attempt has it already. */
  async claim(id: string): Promise<boolean> {
    const result = await this.boards.update({ id, status: 'queued' }, { status: 'running' });
    return (result.affected ?? 0) > 0;
  }

  async complete(id: string, entries: LeaderboardEntry[], host: MeasuringHost, measuredAt: Date): Promise<void> {
    await this.boards.update({ id }, { status: 'completed', entries, host, measuredAt });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.boards.update({ id }, { status: 'failed', error });
  }

  /** The latest completed leaderboard of the set (by measurement time). */
  latest(modelName: string, setId: string): Promise<LeaderboardEntity | null> {
    return this.boards.findOne({
      where: { modelName, setId, status: 'completed' },
      order: { measuredAt: 'DESC' },
    });
  }

  /** The latest completed leaderboard of every set of the model, most recently measured first. */
  latestPerSet(modelName: string): Promise<LeaderboardEntity[]> {
    return this.boards
      .createQueryBuilder('b')
      .distinctOn(['b.set_id'])
      .where('b.model_name = :modelName AND b.status = :status', { modelName, status: 'completed' })
      .orderBy('b.set_id')
      .addOrderBy('b.measured_at', 'DESC')
      .getMany()
      .then((rows) => rows.sort((a, b) => b.measuredAt!.getTime() - a.measuredAt!.getTime()));
  }
}
