import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The outbox: one row per event, written in the transaction of the fact that caused it. */
@Entity('webhook_events')
@Index('ix_webhook_events_type_created', ['type', 'createdAt'])
// The dashboard's alert list reads the newest events first.
@Index('ix_webhook_events_created', ['createdAt'])
export class WebhookEventEntity {
  /** Sent as `webhook-id`; receivers deduplicate on it. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  type!: string;

  @Column('integer')
  version!: number;

  /** The exact bytes sent, fixed at emit time so every attempt re-sends the same body. */
  @Column('text')
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
