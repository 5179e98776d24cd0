import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ClassMetrics, StoredRuleOutcome } from './stats';

export type EvaluationKind = 'weekly' | 'manual';

/** One model version's accuracy over one source (the week's feedback or a set), and the rule's outcome. */
@Entity('evaluations')
@Index('ix_evaluations_model_created', ['modelName', 'createdAt'])
// The weekly job runs once per model, week and source, whichever replica gets there first.
@Index('uq_evaluations_weekly', ['modelName', 'isoWeek', 'source'], { unique: true, where: `"kind" = 'weekly'` })
export class EvaluationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  @Column('text', { name: 'model_name' })
  modelName!: string;

  @Column('text', { name: 'model_version' })
  modelVersion!: string;

  @Column('text')
  kind!: EvaluationKind;

  @Column('text', { name: 'iso_week' })
  isoWeek!: string;

  @Column('timestamptz', { name: 'window_from' })
  windowFrom!: Date;

  @Column('timestamptz', { name: 'window_to' })
  windowTo!: Date;

  /** 'feedback' or 'set:<id>'. */
  @Column('text')
  source!: string;

  @Column('integer')
  n!: number;

  @Column('integer')
  correct!: number;

  @Column('double precision')
  accuracy!: number;

  @Column('jsonb', { name: 'accuracy_interval' })
  accuracyInterval!: { lower: number; upper: number; level: number };

  @Column('jsonb', { name: 'per_class' })
  perClass!: ClassMetrics[];

  /** confusion[actual][predicted], in the model's label order. */
  @Column('jsonb')
  confusion!: number[][];

  @Column('uuid', { name: 'baseline_evaluation_id', nullable: true })
  baselineEvaluationId!: string | null;

  @Column('double precision', { name: 'baseline_accuracy', nullable: true })
  baselineAccuracy!: number | null;

  @Column('integer', { name: 'baseline_n', nullable: true })
  baselineN!: number | null;

  @Column('integer', { name: 'baseline_correct', nullable: true })
  baselineCorrect!: number | null;

  @Column('double precision', { name: 'drop_pp', nullable: true })
  dropPp!: number | null;

  @Column('jsonb', { name: 'drop_interval', nullable: true })
  dropInterval!: { lower: number; upper: number; level: number } | null;

  @Column('boolean', { name: 'retraining_requested' })
  retrainingRequested!: boolean;

  @Column('text', { name: 'drift_state', nullable: true })
  driftState!: string | null;

  /** The retraining rule's outcome for this record and its state after it (null before issue 18). */
  @Column('jsonb', { nullable: true })
  rule!: StoredRuleOutcome | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** At most one retraining request per model and ISO week: the primary key enforces it. */
@Entity('retraining_requests')
export class RetrainingRequestEntity {
  @PrimaryColumn('text', { name: 'model_name' })
  modelName!: string;

  @PrimaryColumn('text', { name: 'iso_week' })
  isoWeek!: string;

  @Column('uuid', { name: 'evaluation_id' })
  evaluationId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
