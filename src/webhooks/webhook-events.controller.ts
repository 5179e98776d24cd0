import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScope } from '../auth/scopes';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiQueryFrom, ApiResult } from '../openapi/operation';
import { webhookRecentEvents } from '../openapi/schemas/webhooks.schemas';
import { WebhookEventLogRepository } from './webhook-event-log.repository';
import { summariseEvent } from './webhook-event-summary';

const limitMessage = 'must be an integer from 1 to 500';
export const recentEventsSchema = z.object({
  limit: z.coerce
    .number({ error: limitMessage })
    .int({ error: limitMessage })
    .min(1, { error: limitMessage })
    .max(500, { error: limitMessage })
    .default(50),
});

/** Recent outbox events (alerts) for dashboards. Registered before WebhooksController: `events` is no `:id`. */
@ApiTags('Webhooks')
@Controller('v1/webhooks/events')
@RequireScope('read')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventLogRepository) {}

  /** Newest first, `?limit=1..500` (default 50), each with its delivery state per endpoint. */
  @Get()
  @ApiOperation({
    summary: 'Recent webhook events',
    description: 'Newest first, each with a one-line summary and its delivery state per endpoint.',
  })
  @ApiQueryFrom(recentEventsSchema)
  @ApiResult(200, webhookRecentEvents, 'Recent outbox events')
  @ApiErrors(400)
  async recent(@Query() query: unknown) {
    const { limit } = parseInput(recentEventsSchema, query, 'query');
    const events = await this.events.recent(limit);
    return {
      events: events.map((event) => ({
        id: event.id,
        type: event.type,
        version: event.version,
        createdAt: event.createdAt,
        summary: summariseEvent(event.type, event.body),
        deliveries: event.deliveries,
      })),
    };
  }
}
