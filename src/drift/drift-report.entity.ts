import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DriftState, SignalAssessment } from './stats';

export interface SignalReport extends SignalAssessment {
  signal: string;
  threshold: number;
  counted: boolean;
  current: { edges: number[]; counts: number[] };
  reference: { edges: number[]; counts: number[] };
}

/** One drift check: every signal's assessment over a window, and the overall state. */
@Entity('drift_reports')
// One report per version and check time: a scheduled check runs once, however often it is enqueued.
@Index('uq_drift_reports_checked', ['modelVersionId', 'checkedAt'], { unique: true })
export class DriftReportEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  @Column('uuid', { name: 'reference_id', nullable: true })
  referenceId!: string | null;

  @Column('timestamptz', { name: 'checked_at' })
  checkedAt!: Date;

  @Column('timestamptz', { name: 'window_from' })
  windowFrom!: Date;

  @Column('timestamptz', { name: 'window_to' })
  windowTo!: Date;

  @Column('text')
  state!: DriftState;

  /** Consecutive checks in `drift` up to and including this one. */
  @Column('integer', { name: 'drift_streak' })
  driftStreak!: number;

  /** Whether a drift.detected is outstanding (sent, not yet resolved) after this check. */
  @Column('boolean')
  alerting!: boolean;

  @Column('jsonb')
  signals!: SignalReport[];
}
