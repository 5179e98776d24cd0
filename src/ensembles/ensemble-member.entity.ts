import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelVersionEntity } from '../models/model-version.entity';

/** One member of an ensemble version, in the order it was given; weights count in soft voting only. */
@Entity('ensemble_members')
@Index('ix_ensemble_members_member', ['memberId'])
export class EnsembleMemberEntity {
  @PrimaryColumn('uuid', { name: 'ensemble_id', primaryKeyConstraintName: 'pk_ensemble_members' })
  ensembleId!: string;

  @PrimaryColumn('smallint', { primaryKeyConstraintName: 'pk_ensemble_members' })
  position!: number;

  @Column('uuid', { name: 'member_id' })
  memberId!: string;

  @Column('double precision')
  weight!: number;

  @ManyToOne(() => ModelVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ensemble_id', foreignKeyConstraintName: 'fk_ensemble_members_ensemble' })
  ensemble?: ModelVersionEntity;

  // A version that is a member cannot be deleted from under its ensemble.
  @ManyToOne(() => ModelVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'fk_ensemble_members_member' })
  member?: ModelVersionEntity;
}
