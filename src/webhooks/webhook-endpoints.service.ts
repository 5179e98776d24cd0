import { Injectable, Logger } from '@nestjs/common';
import { conflict, invalid, notFound } from '../common/domain-error';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { CreateEndpointRequest, UpdateEndpointRequest } from './webhook-endpoint.dto';
import { EmittedWebhookEvent, WebhookEvents } from './webhook-events';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookSigner } from './webhook-signer';

export interface CreatedEndpoint {
  endpoint: WebhookEndpointEntity;
  /** Returned once, at creation; never stored anywhere it could be read back through the API. */
  secret: string;
}

@Injectable()
export class WebhookEndpointsService {
  private readonly logger = new Logger('WebhookEndpoints');

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly http: WebhookHttpClient,
    private readonly signer: WebhookSigner,
    private readonly events: WebhookEvents,
  ) {}

  async create(request: CreateEndpointRequest): Promise<CreatedEndpoint> {
    await this.assertTargetAllowed(request.url);
    const secret = request.secret ?? this.signer.generateSecret();
    const endpoint = await this.endpoints.insert({
      url: request.url,
      eventTypes: request.eventTypes,
      enabled: request.enabled,
      description: request.description ?? null,
      secret,
    });
    this.logger.log({ endpointId: endpoint.id, eventTypes: endpoint.eventTypes }, 'webhook endpoint created');
    return { endpoint, secret };
  }

  list(): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.list();
  }

  async get(id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.findById(id);
    if (!endpoint) throw notFound('webhook_not_found', `no webhook endpoint ${id}`);
    return endpoint;
  }

  async update(id: string, changes: UpdateEndpointRequest): Promise<WebhookEndpointEntity> {
    await this.get(id);
    if (changes.url !== undefined) await this.assertTargetAllowed(changes.url);
    const updated = await this.endpoints.update(id, changes);
    if (!updated) throw notFound('webhook_not_found', `no webhook endpoint ${id}`);
    return updated;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.endpoints.delete(id))) throw notFound('webhook_not_found', `no webhook endpoint ${id}`);
  }

  /** A signed `webhook.test` event to this endpoint only, delivered like any other. */
  async sendTest(id: string): Promise<EmittedWebhookEvent> {
    const endpoint = await this.get(id);
    if (!endpoint.enabled) throw conflict('webhook_disabled', 'the endpoint is disabled; enable it to test it');
    return this.events.publish(
      'webhook.test',
      { endpointId: id, message: 'Test event from Vigil: your endpoint receives and verifies webhooks.' },
      { endpointIds: [id] },
    );
  }

  private async assertTargetAllowed(url: string): Promise<void> {
    const check = await this.http.checkTarget(new URL(url));
    if (!check.allowed) throw invalid('webhook_target_not_allowed', `url: ${check.reason}`);
  }
}
