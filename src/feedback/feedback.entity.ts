import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Ground truth for one prediction; the predicted class is copied so accuracy needs no join. */
@Entity('feedback')
@Index('ix_feedback_model_version_received', ['modelVersionId', 'receivedAt'])
export class FeedbackEntity {
  @PrimaryColumn('uuid', { name: 'prediction_id' })
  predictionId!: string;

  @Column('uuid', { name: 'model_version_id' })
  modelVersionId!: string;

  @Column('timestamptz', { name: 'predicted_at' })
  predictedAt!: Date;

  @Column('smallint', { name: 'predicted_class' })
  predictedClass!: number;

  @Column('smallint', { name: 'label_class' })
  labelClass!: number;

  @Column('text')
  role!: string;

  @UpdateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
