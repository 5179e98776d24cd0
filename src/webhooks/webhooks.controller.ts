import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScope } from '../auth/scopes';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody, ApiResult, ApiUuidParam } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import {
  webhookEndpoint,
  webhookEndpointCreated,
  webhookEndpointList,
  webhookEventCatalogueView,
  webhookTestEvent,
} from '../openapi/schemas/webhooks.schemas';
import { createEndpointSchema, idSchema, updateEndpointSchema } from './webhook-endpoint.dto';
import { webhookEventCatalogue, webhookEventTypes } from './webhook-event-catalogue';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { endpointView } from './webhook-views';

const endpointId = ApiUuidParam('id', 'Webhook endpoint id');

@ApiTags('Webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** The event catalogue: type, version and the JSON Schema of `data`. Declared before `:id`. */
  @Get('event-types')
  @RequireScope('read')
  @ApiOperation({ summary: 'The webhook event catalogue', description: 'Type, version and JSON Schema of `data`.' })
  @ApiResult(200, webhookEventCatalogueView, 'Every event type Vigil sends')
  eventTypes() {
    return {
      eventTypes: webhookEventTypes.map((type) => ({
        type,
        version: webhookEventCatalogue[type].version,
        schema: z.toJSONSchema(webhookEventCatalogue[type].data),
      })),
    };
  }

  /** The answer carries the signing secret; it is never shown again. */
  @Post()
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Create a webhook endpoint',
    description: 'Events are signed the Standard Webhooks way. The answer carries the signing secret, shown only once.',
  })
  @ApiJsonBody(requestRef('CreateWebhookEndpointRequest', createEndpointSchema))
  @ApiResult(201, webhookEndpointCreated, 'The endpoint with its signing secret')
  @ApiErrors(400, 413)
  async create(@Body() body: unknown) {
    const { endpoint, secret } = await this.endpoints.create(parseInput(createEndpointSchema, body, 'body'));
    return { ...endpointView(endpoint), secret };
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'List webhook endpoints' })
  @ApiResult(200, webhookEndpointList, 'Every endpoint (without secrets)')
  async list() {
    return { webhooks: (await this.endpoints.list()).map(endpointView) };
  }

  @Get(':id')
  @RequireScope('read')
  @ApiOperation({ summary: 'Show a webhook endpoint' })
  @endpointId
  @ApiResult(200, webhookEndpoint, 'The endpoint (without its secret)')
  @ApiErrors(400, 404)
  async show(@Param('id') id: string) {
    return endpointView(await this.endpoints.get(parseInput(idSchema, id, 'id')));
  }

  @Patch(':id')
  @RequireScope('admin')
  @ApiOperation({ summary: 'Change a webhook endpoint', description: 'Send at least one field.' })
  @endpointId
  @ApiJsonBody(requestRef('UpdateWebhookEndpointRequest', updateEndpointSchema))
  @ApiResult(200, webhookEndpoint, 'The changed endpoint')
  @ApiErrors(400, 404, 413)
  async update(@Param('id') id: string, @Body() body: unknown) {
    const changes = parseInput(updateEndpointSchema, body, 'body');
    return endpointView(await this.endpoints.update(parseInput(idSchema, id, 'id'), changes));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Delete a webhook endpoint' })
  @endpointId
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(400, 404)
  async remove(@Param('id') id: string): Promise<void> {
    await this.endpoints.remove(parseInput(idSchema, id, 'id'));
  }

  @Post(':id/test')
  @HttpCode(202)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Send a test event to an endpoint', description: 'Queued like any other event.' })
  @endpointId
  @ApiResult(202, webhookTestEvent, 'The test event and its delivery')
  @ApiErrors(400, 404, 409)
  async test(@Param('id') id: string) {
    const event = await this.endpoints.sendTest(parseInput(idSchema, id, 'id'));
    return { eventId: event.id, type: event.type, deliveryId: event.deliveryIds[0] ?? null };
  }
}
