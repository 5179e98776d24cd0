import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { QuantizationReport, QuantizationSettings } from './quantization-report';

export type QuantizationStatus = 'queued' | 'calibrating' | 'registering' | 'completed' | 'failed';

/** One quantization of a model version: its settings, progress, and what came out. */
@Entity('quantization_jobs')
@Index('ix_quantization_jobs_parent', ['parentId', 'createdAt'])
export class QuantizationJobEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_quantization_jobs' })
  id!: string;

  @Column('uuid', { name: 'parent_id' })
  parentId!: string;

  /** The version name the INT8 variant is registered under. */
  @Column('text', { name: 'target_version' })
  targetVersion!: string;

  @Column('jsonb')
  settings!: QuantizationSettings;

  @Column('text')
  status!: QuantizationStatus;

  /** Calibration batches run so far, out of `total` (both passes of the percentile method). */
  @Column('integer', { default: 0 })
  done!: number;

  @Column('integer', { default: 0 })
  total!: number;

  @Column('jsonb', { nullable: true })
  report!: QuantizationReport | null;

  @Column('text', { nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
