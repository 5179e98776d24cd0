import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export interface ReferenceHistogram {
  edges: number[];
  counts: number[];
}

/** What a model version's inputs and outputs looked like when it was right; the latest one counts. */
@Entity('drift_references')
@Index('ix_drift_references_version_created', ['modelVersionId', 'createdAt'])
export class DriftReferenceEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  /** `images`: a labelled set run through the model; `window`: logged traffic. */
  @Column('text')
  source!: 'images' | 'window';

  @Column('timestamptz', { name: 'window_from', nullable: true })
  windowFrom!: Date | null;

  @Column('timestamptz', { name: 'window_to', nullable: true })
  windowTo!: Date | null;

  /** Images behind the reference. */
  @Column('integer', { name: 'sample_count' })
  sampleCount!: number;

  /** The model version's edges_version these histograms (and live counts from now on) use. */
  @Column('integer', { name: 'edges_version' })
  edgesVersion!: number;

  @Column('jsonb')
  histograms!: Record<string, ReferenceHistogram>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
