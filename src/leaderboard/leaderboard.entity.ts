import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { LeaderboardEntry } from './leaderboard-ranking';

export type LeaderboardStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface MeasuringHost {
  cpu: string;
  cores: number;
}

/** One computation of a model's leaderboard on one evaluation set: the job and, once done, its entries. */
@Entity('leaderboards')
@Index('ix_leaderboards_model_set', ['modelName', 'setId', 'measuredAt'])
export class LeaderboardEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_leaderboards' })
  id!: string;

  @Column('text', { name: 'model_name' })
  modelName!: string;

  @Column('uuid', { name: 'set_id' })
  setId!: string;

  @Column('text', { name: 'set_name' })
  setName!: string;

  @Column('text')
  status!: LeaderboardStatus;

  /** Ranked, best first; null until completed. */
  @Column('jsonb', { nullable: true })
  entries!: LeaderboardEntry[] | null;

  @Column('jsonb', { nullable: true })
  host!: MeasuringHost | null;

  @Column('text', { nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the versions were scored and timed. */
  @Column('timestamptz', { name: 'measured_at', nullable: true })
  measuredAt!: Date | null;
}
