import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../common/validation';
import { createEndpointSchema, idSchema, updateEndpointSchema } from './webhook-endpoint.dto';
import { webhookEventCatalogue, webhookEventTypes } from './webhook-event-catalogue';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { endpointView } from './webhook-views';

@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** The event catalogue: type, version and the JSON Schema of `data`. Declared before `:id`. */
  @Get('event-types')
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
  async create(@Body() body: unknown) {
    const { endpoint, secret } = await this.endpoints.create(parseInput(createEndpointSchema, body, 'body'));
    return { ...endpointView(endpoint), secret };
  }

  @Get()
  async list() {
    return { webhooks: (await this.endpoints.list()).map(endpointView) };
  }

  @Get(':id')
  async show(@Param('id') id: string) {
    return endpointView(await this.endpoints.get(parseInput(idSchema, id, 'id')));
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown) {
    const changes = parseInput(updateEndpointSchema, body, 'body');
    return endpointView(await this.endpoints.update(parseInput(idSchema, id, 'id'), changes));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.endpoints.remove(parseInput(idSchema, id, 'id'));
  }

  @Post(':id/test')
  @HttpCode(202)
  async test(@Param('id') id: string) {
    const event = await this.endpoints.sendTest(parseInput(idSchema, id, 'id'));
    return { eventId: event.id, type: event.type, deliveryId: event.deliveryIds[0] ?? null };
  }
}
