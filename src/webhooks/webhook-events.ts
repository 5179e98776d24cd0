import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDeliveryQueue } from './webhook-delivery.job';
import { buildEnvelope, WebhookEventData, WebhookEventType } from './webhook-event-catalogue';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

export interface EmittedWebhookEvent {
  id: string;
  type: WebhookEventType;
  deliveryIds: string[];
}

export interface EmitOptions {
  /** Deliver only to these endpoints, whatever they subscribe to (the test event). */
  endpointIds?: string[];
}

/**
 * How other features send webhooks:
 *
 *   const event = await dataSource.transaction(async (manager) => {
 *     await manager.save(fact);
 *     return webhookEvents.emit(manager, 'drift.detected', { ... });
 *   });
 *   await webhookEvents.dispatch(event.id);
 *
 * emit() writes the event and its deliveries in the caller's transaction (rolled back with it);
 * dispatch() after commit enqueues them. If dispatch never runs, the sweeper delivers anyway.
 */
@Injectable()
export class WebhookEvents {
  private readonly logger = new Logger('WebhookEvents');

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly queue: WebhookDeliveryQueue,
    private readonly config: AppConfig,
  ) {}

  async emit<T extends WebhookEventType>(
    manager: EntityManager,
    type: T,
    data: WebhookEventData<T>,
    options: EmitOptions = {},
  ): Promise<EmittedWebhookEvent> {
    const id = randomUUID();
    const envelope = buildEnvelope(id, type, data, new Date());
    const event = { id, type, version: envelope.version, body: JSON.stringify(envelope) };
    const deliveryIds = await this.outbox.insert(manager, event, this.config.WEBHOOK_MAX_ATTEMPTS, options.endpointIds);
    return { id, type, deliveryIds };
  }

  /** After commit: enqueue the first attempt of each pending delivery of the event. Never throws. */
  async dispatch(eventId: string): Promise<void> {
    const pending = await this.deliveries.pendingOf(eventId).catch((error: unknown) => {
      this.logger.warn({ eventId, err: error }, 'could not dispatch webhook event; the sweeper will');
      return [];
    });
    await Promise.all(pending.map((d) => this.queue.schedule(d.id, d.attemptCount + 1)));
  }

  /** emit + dispatch in a transaction of its own, for events with no other fact to commit. */
  async publish<T extends WebhookEventType>(
    type: T,
    data: WebhookEventData<T>,
    options: EmitOptions = {},
  ): Promise<EmittedWebhookEvent> {
    const event = await this.outbox.transaction((manager) => this.emit(manager, type, data, options));
    await this.dispatch(event.id);
    return event;
  }
}
