import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

/** A labelled set of images registered for a model name, reused by every evaluation. */
@Entity('evaluation_sets')
@Unique('uq_evaluation_sets_model_name', ['modelName', 'name'])
export class EvaluationSetEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'model_name' })
  modelName!: string;

  @Column('text')
  name!: string;

  @Column('integer', { name: 'item_count' })
  itemCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One image of a set; bytes live in Postgres so every replica and worker reads the same set. */
@Entity('evaluation_set_items')
export class EvaluationSetItemEntity {
  @PrimaryColumn('uuid', { name: 'set_id' })
  setId!: string;

  @PrimaryColumn('text')
  file!: string;

  @Column('text')
  label!: string;

  @Column('text')
  sha256!: string;

  @Column('bytea')
  image!: Buffer;
}
