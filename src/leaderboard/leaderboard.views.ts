import { LeaderboardEntity } from './leaderboard.entity';
import type { Recommendation } from './leaderboard-ranking';

export function jobView(board: LeaderboardEntity) {
  return {
    id: board.id,
    model: board.modelName,
    set: { id: board.setId, name: board.setName },
    status: board.status,
    error: board.error,
    createdAt: board.createdAt.toISOString(),
    measuredAt: board.measuredAt?.toISOString() ?? null,
  };
}

/** A completed leaderboard as answered: its entries and the recommendation asked for. */
export function leaderboardViewOf(board: LeaderboardEntity, recommend: Recommendation) {
  return {
    id: board.id,
    model: board.modelName,
    set: { id: board.setId, name: board.setName },
    measuredAt: board.measuredAt!.toISOString(),
    host: board.host!,
    entries: board.entries!,
    recommend,
  };
}
