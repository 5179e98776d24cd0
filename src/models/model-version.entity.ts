import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { InputSpec, SignalSpec } from '../inference/runtime/types';
import type { Voting } from '../ensembles/voting';

export type ModelRole = 'champion' | 'challenger' | 'retired';

@Entity('model_versions')
@Unique('uq_model_versions_name_version', ['name', 'version'])
// At most one champion per model name: routing must never have to choose.
@Index('uq_model_versions_champion', ['name'], { unique: true, where: `"role" = 'champion'` })
export class ModelVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  version!: string;

  @Column('text')
  role!: ModelRole;

  @Column('text', { name: 'file_sha256' })
  fileSha256!: string;

  @Column('jsonb')
  labels!: string[];

  @Column('jsonb', { name: 'input_spec' })
  inputSpec!: InputSpec;

  /** Bin edges of every monitored signal; replaced when a reference is set. */
  @Column('jsonb', { name: 'signal_specs' })
  signalSpecs!: SignalSpec[];

  /** Bumped whenever signalSpecs change, so counts binned differently are never added up. */
  @Column('integer', { name: 'edges_version', default: 1 })
  edgesVersion!: number;

  /** KL threshold for this version's drift checks; null = DRIFT_KL_THRESHOLD. */
  @Column('real', { name: 'drift_threshold', nullable: true })
  driftThreshold!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'promoted_at', nullable: true })
  promotedAt!: Date | null;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt!: Date | null;

  /** Set for an ensemble version (members in ensemble_members; no file of its own); null otherwise. */
  @Column('text', { name: 'ensemble_voting', nullable: true })
  ensembleVoting!: Voting | null;
}
