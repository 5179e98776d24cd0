import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** One HTTP attempt of a delivery; (delivery, attempt) is unique, so a duplicated job cannot record twice. */
@Entity('webhook_attempts')
@Unique('uq_webhook_attempts_delivery_attempt', ['deliveryId', 'attempt'])
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'delivery_id' })
  deliveryId!: string;

  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'fk_webhook_attempts_delivery' })
  delivery?: WebhookDeliveryEntity;

  @Column('integer')
  attempt!: number;

  @Column('timestamptz', { name: 'started_at' })
  startedAt!: Date;

  @Column('integer', { name: 'status_code', nullable: true })
  statusCode!: number | null;

  @Column('integer', { name: 'latency_ms' })
  latencyMs!: number;

  /** Outcome class: success, http_error, gone, timeout, network_error, refused, endpoint_disabled. */
  @Column('text')
  outcome!: string;

  @Column('text', { nullable: true })
  error!: string | null;

  /** The first KiB of the receiver's answer, for debugging. */
  @Column('text', { name: 'response_excerpt', nullable: true })
  responseExcerpt!: string | null;
}
