import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from './scopes';

/** An API key managed through the admin API. Only the SHA-256 of the key is stored. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** The first characters of the key, to tell keys apart in lists and logs. */
  @Column('text')
  prefix!: string;

  @Column('text', { name: 'key_hash', unique: true })
  keyHash!: string;

  @Column('text', { array: true })
  scopes!: Scope[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
