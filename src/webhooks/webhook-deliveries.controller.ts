import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiQueryFrom, ApiResult, ApiUuidParam } from '../openapi/operation';
import { webhookDeliveryDetail, webhookDeliveryList } from '../openapi/schemas/webhooks.schemas';
import { idSchema, listDeliveriesSchema } from './webhook-endpoint.dto';
import { DeliveryDetail, WebhookDeliveriesService } from './webhook-deliveries.service';
import { attemptView, deliveryView } from './webhook-views';

const deliveryId = ApiUuidParam('deliveryId', 'Delivery id');

@ApiTags('Webhooks')
@ApiUuidParam('id', 'Webhook endpoint id')
@Controller('v1/webhooks/:id/deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  /** Newest first; `?status=pending|delivered|failed&limit=50`. */
  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'List deliveries of an endpoint', description: 'Newest first.' })
  @ApiQueryFrom(listDeliveriesSchema)
  @ApiResult(200, webhookDeliveryList, 'Deliveries with their status')
  @ApiErrors(400, 404)
  async list(@Param('id') id: string, @Query() query: unknown) {
    const endpointId = parseInput(idSchema, id, 'id');
    const rows = await this.deliveries.list(endpointId, parseInput(listDeliveriesSchema, query, 'query'));
    return { deliveries: rows.map((row) => deliveryView(row, row.eventType)) };
  }

  /** One delivery with every attempt and the exact payload sent. */
  @Get(':deliveryId')
  @RequireScope('read')
  @ApiOperation({ summary: 'Show a delivery', description: 'Every attempt and the exact payload sent.' })
  @deliveryId
  @ApiResult(200, webhookDeliveryDetail, 'The delivery')
  @ApiErrors(400, 404)
  async show(@Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return detailView(
      await this.deliveries.get(parseInput(idSchema, id, 'id'), parseInput(idSchema, deliveryId, 'deliveryId')),
    );
  }

  /** Same event id and body again, with a fresh budget of attempts. */
  @Post(':deliveryId/redeliver')
  @HttpCode(202)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Redeliver an event',
    description: 'Same event id and body again, with a fresh budget of attempts.',
  })
  @deliveryId
  @ApiResult(202, webhookDeliveryDetail, 'The reopened delivery')
  @ApiErrors(400, 404, 409)
  async redeliver(@Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return detailView(
      await this.deliveries.redeliver(parseInput(idSchema, id, 'id'), parseInput(idSchema, deliveryId, 'deliveryId')),
    );
  }
}

function detailView({ delivery, attempts }: DeliveryDetail) {
  const event = delivery.event!;
  return {
    ...deliveryView(delivery, event.type),
    event: { id: event.id, type: event.type, version: event.version, payload: JSON.parse(event.body) as unknown },
    attempts: attempts.map(attemptView),
  };
}
