import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ExperimentMode = 'split' | 'shadow';
export type ExperimentStatus = 'running' | 'concluded' | 'stopped';

/** A champion/challenger test on one model name; at most one runs per model (partial unique index). */
@Entity('experiments')
@Index('ux_experiments_running_model', ['modelName'], { unique: true, where: `status = 'running'` })
export class ExperimentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Salt of the assignment hash. */
  @Column('text', { unique: true })
  key!: string;

  @Column('text', { name: 'model_name' })
  modelName!: string;

  @Column('uuid', { name: 'champion_version_id' })
  championVersionId!: string;

  @Column('uuid', { name: 'challenger_version_id' })
  challengerVersionId!: string;

  @Column('text')
  mode!: ExperimentMode;

  /** Percent of units, 0 < share < 100. */
  @Column('double precision', { name: 'traffic_share' })
  trafficShare!: number;

  @Column('double precision', { name: 'confidence_level' })
  confidenceLevel!: number;

  @Column('integer', { name: 'min_samples' })
  minSamples!: number;

  /** Least accuracy gain (0..1) that promotes the challenger. */
  @Column('double precision')
  margin!: number;

  @Column('text')
  status!: ExperimentStatus;

  @Column('text', { nullable: true })
  outcome!: string | null;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;
}

/** One analysis of an experiment: what was counted, how, and what it concluded. */
@Entity('experiment_decisions')
@Index('ix_experiment_decisions_experiment', ['experimentId', 'decidedAt'])
export class ExperimentDecisionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'experiment_id' })
  experimentId!: string;

  @CreateDateColumn({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  /** challenger_better | champion_holds | continue | held_srm | held_guardrail */
  @Column('text')
  verdict!: string;

  @Column('text')
  method!: string;

  @Column('jsonb')
  parameters!: Record<string, unknown>;

  @Column('jsonb')
  counts!: Record<string, number>;

  @Column('double precision', { nullable: true })
  difference!: number | null;

  @Column('double precision', { nullable: true })
  lower!: number | null;

  @Column('double precision', { nullable: true })
  upper!: number | null;

  /** Newcombe, McNemar, SRM and guardrail details. */
  @Column('jsonb')
  checks!: Record<string, unknown>;
}

/** Failed inferences per arm (client errors excluded), added to one at a time on the failure path. */
@Entity('experiment_arm_errors')
export class ExperimentArmErrorsEntity {
  @PrimaryColumn('uuid', { name: 'experiment_id' })
  experimentId!: string;

  /** control | treatment | shadow */
  @PrimaryColumn('text')
  arm!: string;

  /** bigint: TypeORM reads it as a string. */
  @Column('bigint')
  errors!: string;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
