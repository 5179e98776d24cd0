import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { WindowEstimate } from './window-estimate';

/** One scheduled (or requested) estimate of a model version's accuracy over a window, stored. */
@Entity('performance_estimates')
@Index('ix_performance_estimates_version_checked', ['modelVersionId', 'checkedAt'])
export class PerformanceEstimateEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  @Column('timestamptz', { name: 'checked_at' })
  checkedAt!: Date;

  @Column('timestamptz', { name: 'window_from' })
  windowFrom!: Date;

  @Column('timestamptz', { name: 'window_to' })
  windowTo!: Date;

  /** Predictions in the window (confidence histogram counts). */
  @Column('integer')
  n!: number;

  @Column('double precision', { nullable: true })
  accuracy!: number | null;

  @Column('double precision', { nullable: true })
  lower!: number | null;

  @Column('double precision', { nullable: true })
  upper!: number | null;

  @Column('boolean')
  reliable!: boolean;

  @Column('double precision', { name: 'baseline_accuracy', nullable: true })
  baselineAccuracy!: number | null;

  /** A performance.estimated_drop was sent for this estimate. */
  @Column('boolean')
  alerted!: boolean;

  @Column('jsonb')
  detail!: WindowEstimate;
}

/** At most one performance.estimated_drop per model and ISO week: the primary key enforces it. */
@Entity('estimated_drop_alerts')
export class EstimatedDropAlertEntity {
  @PrimaryColumn('text', { name: 'model_name' })
  modelName!: string;

  @PrimaryColumn('text', { name: 'iso_week' })
  isoWeek!: string;

  @Column('uuid', { name: 'estimate_id' })
  estimateId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Label coverage and delay of one version's predictions in one ISO week, as last measured. */
@Entity('label_coverage')
export class LabelCoverageEntity {
  @PrimaryColumn('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  @PrimaryColumn('text', { name: 'iso_week' })
  isoWeek!: string;

  @Column('timestamptz', { name: 'week_from' })
  weekFrom!: Date;

  // bigint: a busy version makes more than 2^31 predictions a week (read back as strings).
  @Column('bigint')
  predictions!: string;

  @Column('bigint')
  labelled!: string;

  /** Seconds from prediction to label: quantiles and maximum (null without labels). */
  @Column('jsonb', { name: 'delay_seconds', nullable: true })
  delaySeconds!: { p50: number; p90: number; p99: number; max: number } | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
