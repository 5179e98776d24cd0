import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One logged prediction. The table is partitioned by day (see the migration), which TypeORM
 * cannot express, so the schema builder leaves it alone (synchronize: false) and the
 * migration owns it. Rows are written by PredictionLogWriter in batches, never one by one.
 */
@Entity({ name: 'predictions', synchronize: false })
export class PredictionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @PrimaryColumn('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  /** champion / challenger, or the experiment arm that answered. */
  @Column('text')
  role!: string;

  @Column('smallint', { name: 'predicted_class' })
  predictedClass!: number;

  @Column('real')
  confidence!: number;

  @Column('real', { name: 'latency_ms' })
  latencyMs!: number;

  @Column('text', { name: 'unit_id', nullable: true })
  unitId!: string | null;

  @Column('text', { name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column('text', { name: 'input_hash' })
  inputHash!: string;
}
