import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { DeliveryWithEvent, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDeliveryQueue } from './webhook-delivery.job';
import { ListDeliveriesRequest } from './webhook-endpoint.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

export interface DeliveryDetail {
  delivery: WebhookDeliveryEntity;
  attempts: WebhookAttemptEntity[];
}

/** Delivery history of an endpoint, and redelivery on request. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly queue: WebhookDeliveryQueue,
    private readonly config: AppConfig,
  ) {}

  async list(endpointId: string, query: ListDeliveriesRequest): Promise<DeliveryWithEvent[]> {
    await this.endpoints.get(endpointId);
    return this.deliveries.list(endpointId, query.status, query.limit);
  }

  async get(endpointId: string, deliveryId: string): Promise<DeliveryDetail> {
    const delivery = await this.deliveries.find(endpointId, deliveryId);
    if (!delivery) throw notFound('webhook_delivery_not_found', `no delivery ${deliveryId} for this endpoint`);
    return { delivery, attempts: await this.deliveries.attempts(deliveryId) };
  }

  /** Sends the same event (same id, same body) again, with a fresh budget of attempts. */
  async redeliver(endpointId: string, deliveryId: string): Promise<DeliveryDetail> {
    const endpoint = await this.endpoints.get(endpointId);
    if (!endpoint.enabled) throw conflict('webhook_disabled', 'the endpoint is disabled; enable it to redeliver');
    await this.get(endpointId, deliveryId);
    const reopened = await this.deliveries.reopen(endpointId, deliveryId, this.config.WEBHOOK_MAX_ATTEMPTS);
    if (!reopened) throw conflict('webhook_delivery_pending', 'the delivery is still pending; it will be retried');
    await this.queue.schedule(reopened.id, reopened.attemptCount + 1);
    return this.get(endpointId, deliveryId);
  }
}
