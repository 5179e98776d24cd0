import { z } from 'zod';
import { named } from '../schema-registry';

const instant = z.iso.datetime();

const endpointShape = {
  id: z.uuid(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  description: z.string().nullable(),
  disabledReason: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
};

export const webhookEndpoint = named('WebhookEndpoint', z.object(endpointShape));

export const webhookEndpointCreated = named(
  'WebhookEndpointCreated',
  z.object({
    ...endpointShape,
    secret: z.string().describe('whsec_... signing secret; shown only in this answer'),
  }),
);

export const webhookEndpointList = named('WebhookEndpointList', z.object({ webhooks: z.array(webhookEndpoint) }));

export const webhookEventCatalogueView = named(
  'WebhookEventTypes',
  z.object({
    eventTypes: z.array(
      z.object({
        type: z.string(),
        version: z.number().int(),
        schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the event data'),
      }),
    ),
  }),
);

export const webhookTestEvent = named(
  'WebhookTestEvent',
  z.object({ eventId: z.string(), type: z.string(), deliveryId: z.uuid().nullable() }),
);

const deliveryShape = {
  id: z.uuid(),
  eventId: z.string(),
  eventType: z.string(),
  endpointId: z.uuid(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attemptCount: z.number().int(),
  attemptLimit: z.number().int(),
  nextAttemptAt: instant.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
};

export const webhookDelivery = named('WebhookDelivery', z.object(deliveryShape));

export const webhookDeliveryList = named('WebhookDeliveryList', z.object({ deliveries: z.array(webhookDelivery) }));

export const webhookDeliveryDetail = named(
  'WebhookDeliveryDetail',
  z.object({
    ...deliveryShape,
    event: z.object({ id: z.string(), type: z.string(), version: z.number().int(), payload: z.unknown() }),
    attempts: z.array(
      z.object({
        attempt: z.number().int(),
        startedAt: instant,
        statusCode: z.number().int().nullable(),
        latencyMs: z.number(),
        outcome: z.string(),
        error: z.string().nullable(),
        responseExcerpt: z.string().nullable(),
      }),
    ),
  }),
);

export const webhookRecentEvents = named(
  'WebhookRecentEvents',
  z.object({
    events: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        version: z.number().int(),
        createdAt: instant,
        summary: z.string().describe('One line for dashboards and logs'),
        deliveries: z.array(
          z.object({
            deliveryId: z.uuid(),
            endpointId: z.uuid(),
            status: z.enum(['pending', 'delivered', 'failed']),
            attemptCount: z.number().int(),
            lastStatusCode: z.number().int().nullable(),
            deliveredAt: instant.nullable(),
          }),
        ),
      }),
    ),
  }),
);
