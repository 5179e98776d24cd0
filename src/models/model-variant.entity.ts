import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A version that is a variant of another of the same model (an INT8 file made from an FP32 one),
 * judged against that parent on the same items. Versions are retired, never deleted, so the ids stay valid.
 */
@Entity('model_variants')
@Index('ix_model_variants_parent', ['parentId'])
export class ModelVariantEntity {
  @PrimaryColumn('uuid', { name: 'variant_id', primaryKeyConstraintName: 'PK_model_variants' })
  variantId!: string;

  @Column('uuid', { name: 'parent_id' })
  parentId!: string;

  /** `quantized`: made by this service (a quantization job); `registered`: uploaded by a user. */
  @Column('text')
  origin!: 'quantized' | 'registered';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
