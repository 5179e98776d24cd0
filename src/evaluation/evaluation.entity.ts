import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { WindowEstimate } from '../performance/window-estimate';
import type { ClassMetrics, StoredRuleOutcome } from './stats';

/** 'revision': a week re-evaluated after late labels; the week's first record is kept. */
export type EvaluationKind = 'weekly' | 'manual' | 'revision';

/** One model version's accuracy over one source (the week's feedback or a set), and the rule's outcome. */
@Entity('evaluations')
@Index('ix_evaluations_model_created', ['modelName', 'createdAt'])
// The weekly job runs once per model, week and source, whichever replica gets there first.
@Index('uq_evaluations_weekly', ['modelName', 'isoWeek', 'source'], { unique: true, where: `"kind" = 'weekly'` })
// One revision number per record revised, whichever replica re-evaluates the week.
@Index('uq_evaluations_revision', ['revisionOf', 'revision'], { unique: true, where: '"revision_of" IS NOT NULL' })
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

  /** The week's first record when this one is a revision after late labels (README "Late labels"). */
  @Column('uuid', { name: 'revision_of', nullable: true })
  revisionOf!: string | null;

  /** 0 for a first record, 1, 2 ... for its revisions. */
  @Column('integer', { default: 0 })
  revision!: number;

  /** Accuracy estimated from the window's confidence histograms, beside the realised one. */
  @Column('jsonb', { nullable: true })
  estimate!: WindowEstimate | null;

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
