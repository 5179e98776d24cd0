import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CalibrationPoints, IsotonicFit } from './stats';

export interface CalibrationParameters {
  method: 'isotonic';
  eceBins: number;
  eceFolds: number;
  bootstrapReplicates: number;
  bootstrapSeed: number;
}

/**
 * P(correct | top-1 confidence) of one model version, fitted on labelled data; the latest one
 * counts. The points are kept so that the bootstrap (and any refit) can be reproduced.
 */
@Entity('calibrations')
@Index('ix_calibrations_version_created', ['modelVersionId', 'createdAt'])
export class CalibrationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  /** 'set:<id>' (a labelled evaluation set run through the version) or 'feedback' (a window's labels). */
  @Column('text')
  source!: string;

  @Column('timestamptz', { name: 'window_from', nullable: true })
  windowFrom!: Date | null;

  @Column('timestamptz', { name: 'window_to', nullable: true })
  windowTo!: Date | null;

  @Column('integer')
  n!: number;

  @Column('integer')
  correct!: number;

  @Column('double precision', { name: 'ece_before' })
  eceBefore!: number;

  @Column('double precision', { name: 'ece_after' })
  eceAfter!: number;

  @Column('jsonb')
  curve!: IsotonicFit;

  @Column('jsonb')
  points!: CalibrationPoints;

  @Column('jsonb')
  parameters!: CalibrationParameters;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
