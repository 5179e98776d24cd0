import { Module, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../infra/queue/job-registry';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliverer } from './webhook-deliverer';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDeliveryQueue, webhookDeliveryJob, webhookSweepJob } from './webhook-delivery.job';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEvents } from './webhook-events';
import { WebhookEventLogRepository } from './webhook-event-log.repository';
import { WebhookEventsController } from './webhook-events.controller';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookOutboxRepository } from './webhook-outbox.repository';
import { WebhookSigner } from './webhook-signer';
import { WebhookSweeper, WebhookSweepSchedule } from './webhook-sweeper';
import { WebhooksController } from './webhooks.controller';

/**
 * Both roles: the API serves the endpoints, emits and enqueues; whichever process consumes the
 * webhooks queue (worker, JOBS_IN_API, or the API with the inline driver) delivers.
 * Other features import this module and use WebhookEvents.
 */
@Module({
  // WebhookEventsController first: its `events` path must win over WebhooksController's `:id`.
  controllers: [WebhookEventsController, WebhooksController, WebhookDeliveriesController],
  providers: [
    WebhookEventLogRepository,
    WebhookEndpointRepository,
    WebhookOutboxRepository,
    WebhookDeliveryRepository,
    WebhookEndpointsService,
    WebhookDeliveriesService,
    WebhookEvents,
    WebhookDeliveryQueue,
    WebhookDeliverer,
    WebhookHttpClient,
    WebhookSigner,
    WebhookSweeper,
    WebhookSweepSchedule,
  ],
  exports: [WebhookEvents, WebhookSweeper],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly deliverer: WebhookDeliverer,
    private readonly sweeper: WebhookSweeper,
  ) {}

  onModuleInit(): void {
    this.registry.handle(webhookDeliveryJob, (payload) => this.deliverer.deliver(payload));
    this.registry.handle(webhookSweepJob, async () => {
      await this.sweeper.sweep();
    });
  }
}
