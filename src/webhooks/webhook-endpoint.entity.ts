import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A receiver of webhooks. The secret is kept as given (it is needed to sign) and never returned after creation. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  url!: string;

  /** Subscribed event types; `*` subscribes to every catalogue type. */
  @Column('text', { name: 'event_types', array: true })
  eventTypes!: string[];

  @Column('boolean', { default: true })
  enabled!: boolean;

  @Column('text')
  secret!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  /** Why the service disabled it (e.g. the receiver answered 410); cleared when re-enabled. */
  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
