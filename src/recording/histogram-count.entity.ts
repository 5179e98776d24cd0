import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Bin counts of one signal for one model version and minute. Counts are additive: replicas
 * upsert their own minute totals and Postgres adds them up, so any window is a SUM.
 */
@Entity('histogram_counts')
export class HistogramCountEntity {
  @PrimaryColumn('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  @PrimaryColumn('text')
  signal!: string;

  @PrimaryColumn('integer', { name: 'edges_version' })
  edgesVersion!: number;

  @PrimaryColumn('timestamptz')
  minute!: Date;

  @Column('bigint', { array: true })
  counts!: string[];

  /** Number of observations (images for per-image signals, pixels for pixel signals). */
  @Column('bigint')
  total!: string;
}
